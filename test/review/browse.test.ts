import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicantRow, ReviewStatus } from '../../shared/domain.ts';
import { reviewStatuses } from '../../shared/domain.ts';
import type { ApplicantRecord, ApplicationRecord, LetterRecord } from '../../electron/core/providers/kit/records.ts';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

let fixture: ReviewFixture;
let applicants: Map<string, ApplicantRecord>;
let applications: ApplicationRecord[];
let remoteOf: Map<number, string>;

beforeAll(async () => {
  fixture = await reviewFixture({ applications: 60, documents: 'none', seed: 7 });
  applicants = new Map((fixture.seeded.snapshot.applicants?.rows ?? []).map((row) => [row.remoteId, row]));
  applications = [...(fixture.seeded.snapshot.applications?.rows ?? [])];
  remoteOf = new Map((fixture.core.storage.db.prepare('SELECT id, remote_id AS remoteId FROM applications').all() as { id: number; remoteId: string }[])
    .map((row) => [row.id, row.remoteId]));
});
afterAll(() => fixture.close());

const applicantOf = (row: ApplicantRow): ApplicantRecord => {
  const application = applications.find((candidate) => candidate.remoteId === remoteOf.get(row.applicationId));
  return applicants.get(application?.applicantRemoteId ?? '') as ApplicantRecord;
};
/** SQLite's NOCASE folds ASCII letters only; the expected order is computed the same way. */
const nocase = (text: string | null) => (text ?? '').replace(/[A-Z]/g, (letter) => letter.toLowerCase());
const ids = (rows: readonly ApplicantRow[]) => rows.map((row) => row.applicationId).sort((left, right) => left - right);
const all = (filter: object = {}, sort?: object) => fixture.call('applicants.list', { filter, ...(sort ? { sort } : {}) } as never);

describe('applicants.list', () => {
  it('lists every application once with the applicant, job and letter counts joined in', async () => {
    const page = await all();
    expect(page.total).toBe(60);
    expect(new Set(page.rows.map((row) => row.applicationId)).size).toBe(60);
    const letters = (fixture.seeded.snapshot.letters?.rows ?? []) as LetterRecord[];
    for (const row of page.rows) {
      const applicant = applicantOf(row);
      expect(row.name).toContain(applicant.lastName);
      expect(row.institution).toBe(applicant.institution);
      expect(row.degreeYear).toBe(applicant.degreeYear);
      expect(row.fields).toEqual(applicant.fields);
      const own = letters.filter((letter) => letter.applicationRemoteId === remoteOf.get(row.applicationId));
      expect(row.lettersExpected).toBe(own.length);
      expect(row.lettersReceived).toBe(own.filter((letter) => letter.receivedAt !== null).length);
      expect(row.status).toBe('new');
    }
  });

  it('sorts by name by default, by last then first name, ignoring ASCII case', async () => {
    const { rows } = await all();
    const keys = rows.map((row) => [nocase(applicantOf(row).lastName), nocase(applicantOf(row).firstName)].join('\u0000'));
    expect(keys).toEqual([...keys].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0)));
  });

  it('sorts by each key in both directions, empty values last', async () => {
    const [first, second, third] = fixture.seeded.applicationIds as [number, number, number];
    await fixture.call('annotations.setRating', { applicationId: first, rating: 5 });
    await fixture.call('annotations.setRating', { applicationId: second, rating: 2 });
    await fixture.call('annotations.setStatus', { applicationIds: [third], status: 'offer' });

    const rated = (await all({}, { key: 'rating', direction: 'desc' })).rows;
    expect(rated.slice(0, 2).map((row) => row.applicationId)).toEqual([first, second]);
    expect(rated.slice(2).every((row) => row.rating === null)).toBe(true);
    const ratedAscending = (await all({}, { key: 'rating', direction: 'asc' })).rows;
    expect(ratedAscending.slice(0, 2).map((row) => row.applicationId)).toEqual([second, first]);

    const byYear = (await all({}, { key: 'degreeYear', direction: 'asc' })).rows.map((row) => row.degreeYear ?? Infinity);
    expect(byYear).toEqual([...byYear].sort((left, right) => left - right));
    const byApplied = (await all({}, { key: 'appliedAt', direction: 'desc' })).rows.map((row) => row.appliedAt ?? '');
    expect(byApplied).toEqual([...byApplied].sort().reverse());
    const byStatus = (await all({}, { key: 'status', direction: 'desc' })).rows.map((row) => reviewStatuses.indexOf(row.status));
    expect(byStatus[0]).toBe(reviewStatuses.indexOf('offer'));
    expect(byStatus).toEqual([...byStatus].sort((left, right) => right - left));
    const byLetters = (await all({}, { key: 'letters', direction: 'asc' })).rows.map((row) => row.lettersReceived);
    expect(byLetters).toEqual([...byLetters].sort((left, right) => left - right));
    const byInstitution = (await all({}, { key: 'institution', direction: 'asc' })).rows.map((row) => nocase(row.institution));
    expect(byInstitution).toEqual([...byInstitution].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0)));
  });

  it('pages through one stable order with a total that does not depend on the page', async () => {
    const full = await all({}, { key: 'appliedAt', direction: 'asc' });
    const pages = [];
    for (let offset = 0; offset < 60; offset += 25) {
      const page = await fixture.call('applicants.list', { filter: {}, sort: { key: 'appliedAt', direction: 'asc' }, offset, limit: 25 });
      expect(page.total).toBe(60);
      pages.push(...page.rows);
    }
    expect(pages.map((row) => row.applicationId)).toEqual(full.rows.map((row) => row.applicationId));
    const beyond = await fixture.call('applicants.list', { filter: {}, offset: 100, limit: 10 });
    expect(beyond).toEqual({ total: 60, rows: [] });
  });

  it('filters by job, field, letters complete and interview', async () => {
    const [jobId] = fixture.seeded.jobIds as [number];
    const byJob = await all({ jobId });
    expect(byJob.rows.every((row) => row.jobId === jobId)).toBe(true);
    expect(byJob.total).toBe(applications.filter((application) => application.jobRemoteId === '9000').length);

    const field = applicants.values().next().value?.fields[0] as string;
    const byField = await all({ field: field.toUpperCase() });
    const expectedField = [...applicants.values()].filter((applicant) => applicant.fields.includes(field)).length;
    expect(byField.total).toBe(expectedField);
    expect(byField.rows.every((row) => row.fields.includes(field))).toBe(true);

    const complete = await all({ lettersComplete: true });
    const incomplete = await all({ lettersComplete: false });
    expect(complete.total + incomplete.total).toBe(60);
    expect(complete.rows.every((row) => row.lettersReceived >= row.lettersExpected)).toBe(true);
    expect(incomplete.rows.every((row) => row.lettersReceived < row.lettersExpected)).toBe(true);

    const target = (await all({ hasInterview: false })).rows[0] as ApplicantRow;
    await fixture.call('interviews.save', {
      applicationId: target.applicationId, title: 'Fly-out', startsAt: '2027-02-01T15:00:00Z', endsAt: '2027-02-01T16:00:00Z', timeZone: 'America/Chicago',
    });
    const interviewed = await all({ hasInterview: true });
    const slotApplications = new Set((fixture.seeded.snapshot.slots?.rows ?? []).map((slot) => slot.applicationRemoteId));
    expect(ids(interviewed.rows)).toEqual([...remoteOf].filter(([id, remote]) => slotApplications.has(remote) || id === target.applicationId).map(([id]) => id).sort((left, right) => left - right));
    expect(interviewed.rows.every((row) => row.hasInterview)).toBe(true);
  });

  it('filters by status, tags (every chosen tag) and minimum rating', async () => {
    const chosen = fixture.seeded.applicationIds.slice(10, 14) as [number, number, number, number];
    await fixture.call('annotations.setStatus', { applicationIds: chosen, status: 'shortlisted' });
    await fixture.call('annotations.addTag', { applicationIds: chosen.slice(0, 3), tag: 'Macro' });
    await fixture.call('annotations.addTag', { applicationIds: chosen.slice(1, 4), tag: 'teaching' });
    await fixture.call('annotations.setRating', { applicationId: chosen[2], rating: 4 });

    expect(ids((await all({ statuses: ['shortlisted'] satisfies ReviewStatus[] })).rows)).toEqual([...chosen].sort((left, right) => left - right));
    expect(ids((await all({ statuses: ['shortlisted', 'offer'] })).rows)).toHaveLength(5);
    expect(ids((await all({ tags: ['macro'] })).rows)).toEqual(chosen.slice(0, 3).sort((left, right) => left - right));
    expect(ids((await all({ tags: ['Macro', 'teaching'] })).rows)).toEqual(chosen.slice(1, 3).sort((left, right) => left - right));
    expect(ids((await all({ minRating: 4 })).rows)).toEqual([fixture.seeded.applicationIds[0], chosen[2]].sort((left, right) => (left ?? 0) - (right ?? 0)));
    expect((await all({ statuses: ['shortlisted'], tags: ['teaching'], minRating: 4 })).rows.map((row) => row.applicationId)).toEqual([chosen[2]]);
  });

  it('finds free text in names, institutions and, through the full-text index, in letters', async () => {
    const row = (await all()).rows[5] as ApplicantRow;
    const applicant = applicantOf(row);
    const byName = await all({ text: applicant.lastName?.toLowerCase() });
    expect(byName.rows.map((candidate) => candidate.applicationId)).toContain(row.applicationId);
    expect(byName.rows.every((candidate) => nocase(candidate.name).includes(nocase(applicant.lastName)) || candidate.applicationId !== row.applicationId)).toBe(true);

    const letter = (fixture.seeded.snapshot.letters?.rows ?? []).find((candidate) => candidate.applicationRemoteId === remoteOf.get(row.applicationId)) as LetterRecord;
    const writerSurname = letter.writerName.split(' ').at(-1) as string;
    const byWriter = await all({ text: writerSurname });
    expect(byWriter.rows.map((candidate) => candidate.applicationId)).toContain(row.applicationId);

    expect((await all({ text: 'zzqxnotaword' })).total).toBe(0);
    // FTS5 and LIKE syntax is inert, so nothing holds these words (both also go through the full-text index,
    // each as one unclosed quoted phrase).
    expect(await all({ text: '"unterminated* OR NEAR( %_\\' })).toEqual({ total: 0, rows: [] });
    expect(await all({ text: '"unterminated* NEAR( %_\\' })).toEqual({ total: 0, rows: [] });
    // Wrapped in that syntax, a letter writer's surname still finds the candidate through the full-text index.
    expect((await all({ text: `"${writerSurname}*` })).rows.map((candidate) => candidate.applicationId)).toContain(row.applicationId);
  });

  it('refuses malformed input with a message naming the field', async () => {
    const error = await fixture.fail('applicants.list', { filter: { statuses: ['hired'] } });
    expect(error.code).toBe('input.invalid');
    expect(error.message).toContain('filter.statuses');
  });
});

describe('jobs.list', () => {
  it('lists jobs with their application counts', async () => {
    const jobs = await fixture.call('jobs.list', {});
    expect(jobs.map((job) => job.id).sort()).toEqual([...fixture.seeded.jobIds].sort());
    expect(jobs.reduce((sum, job) => sum + job.applicationCount, 0)).toBe(60);
    expect(await fixture.call('jobs.list', { accountId: fixture.seeded.accountId + 1 })).toEqual([]);
  });
});
