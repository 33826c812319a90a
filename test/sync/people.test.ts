import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../shared/domain.ts';
import type { Scorecard } from '../../shared/api/review.ts';
import type { ApplicantRecord, ApplicationRecord } from '../../electron/core/providers/kit/records.ts';
import { applicantRecord } from '../../electron/core/providers/kit/records.ts';
import { mapApps } from '../../electron/core/providers/careerplug/mapping.ts';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { addSandboxAccount, syncCore, type SyncCore } from './helpers.ts';

/**
 * One person, one applicant (decision 0014), over real HTTP against the CareerPlug emulator, whose
 * account has people who applied to two jobs: one applicant row with both applications, the packet's
 * "also applied to", and a profile synced under the old per-application keys re-keyed by the normal
 * sync without losing a rating, note, tag, status or score.
 */

let emulator: StartedEmulator;
const cores: SyncCore[] = [];
beforeAll(async () => {
  emulator = await careerplugEmulator.start({ scale: 'small', seed: 3 });
});
afterAll(async () => {
  for (const core of cores) await core.close();
  await emulator?.close();
});

async function syncedCore(): Promise<{ target: SyncCore; accountId: number }> {
  const target = await syncCore();
  cores.push(target);
  const accountId = await addSandboxAccount(target, 'careerplug', emulator.ready);
  return { target, accountId };
}

async function call<Result>(target: SyncCore, name: string, input: unknown): Promise<Result> {
  const outcome = await target.core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result as Result;
}

interface AppRow {
  id: number;
  remote_id: string;
  applicant_id: number | null;
  job_title: string;
  email: string;
  acted: string;
}

/** The synced applications with the e-mail and last action each app carried, as CareerPlug sent them. */
function applications(target: SyncCore): AppRow[] {
  return target.db
    .prepare(
      `SELECT id, remote_id, applicant_id, job_title, lower(trim(json_extract(raw_json, '$.app.email'))) AS email,
         json_extract(raw_json, '$.last_acted_on_at') AS acted FROM applications WHERE removed_at IS NULL ORDER BY id`,
    )
    .all() as AppRow[];
}

/** The e-mails that applied more than once, with their applications. */
function returning(rows: readonly AppRow[]): AppRow[][] {
  const byEmail = new Map<string, AppRow[]>();
  for (const row of rows) byEmail.set(row.email, [...(byEmail.get(row.email) ?? []), row]);
  return [...byEmail.values()].filter((group) => group.length > 1);
}

const count = (target: SyncCore, sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;

describe('one person, one applicant (CareerPlug)', () => {
  it('syncs a person who applied to two jobs as one applicant with two applications, listed in each packet', async () => {
    const { target } = await syncedCore();
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    const rows = applications(target);
    const people = new Set(rows.map((row) => row.email));
    const groups = returning(rows);
    expect(groups.length, 'the emulator account has people who applied to more than one job').toBeGreaterThan(0);
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NULL')).toBe(people.size);
    expect(rows.length).toBeGreaterThan(people.size);

    for (const group of groups) {
      const applicantIds = new Set(group.map((row) => row.applicant_id));
      expect(applicantIds.size, `${group[0]?.email} is one applicant`).toBe(1);
      expect([...applicantIds][0]).not.toBe(null);
      // The most recently acted-on app's profile wins, whole.
      const newest = [...group].sort((left, right) => left.acted.localeCompare(right.acted) || Number(left.remote_id) - Number(right.remote_id)).at(-1) as AppRow;
      const applicant = target.db.prepare('SELECT remote_id, raw_json FROM applicants WHERE id = ?').get(newest.applicant_id) as { remote_id: string; raw_json: string };
      expect(applicant.remote_id).toBe(newest.email);
      const newestApp = target.db.prepare("SELECT json_extract(raw_json, '$.app') FROM applications WHERE id = ?").pluck().get(newest.id) as string;
      expect(JSON.parse(applicant.raw_json)).toEqual(JSON.parse(newestApp));
    }

    const [first, second] = groups.find((group) => group.length === 2) as AppRow[];
    const packet = await call<Packet>(target, 'applicants.packet', { applicationId: first?.id });
    expect(packet.alsoApplied).toEqual([{ applicationId: second?.id, jobId: expect.any(Number), jobTitle: second?.job_title, status: 'new', removedUpstream: false }]);
    expect(packet.row.otherApplications).toBe(1);
    const back = await call<Packet>(target, 'applicants.packet', { applicationId: second?.id });
    expect(back.alsoApplied.map((entry) => entry.applicationId)).toEqual([first?.id]);
    const single = rows.find((row) => !groups.some((group) => group.includes(row)));
    const alone = await call<Packet>(target, 'applicants.packet', { applicationId: single?.id });
    expect(alone.alsoApplied).toEqual([]);
    expect(alone.row.otherApplications).toBe(0);

    // The sync card's and `dossier status`' applicant count counts people, not applications.
    const [status] = await call<{ counts: Record<string, number> }[]>(target, 'sync.status', {});
    expect(status?.counts.applicants).toBe(people.size);
    expect(status?.counts.applications).toBe(rows.length);
  });

  it('re-keys a profile synced under the per-application keys, keeping every rating, note, tag, status and score', async () => {
    // The profile as the version before this change left it: the same apps, each its own applicant
    // (remote id = app id), and an incremental cursor under the old name.
    const reference = await syncedCore();
    await reference.target.engine.run({ documents: false });
    const { target, accountId } = await syncedCore();
    const raws = reference.target.db.prepare('SELECT raw_json FROM applications ORDER BY id').pluck().all() as string[];
    const jobs = reference.target.db.prepare('SELECT remote_id, title, raw_json FROM jobs').all() as { remote_id: string; title: string; raw_json: string }[];
    const oldApplicants: ApplicantRecord[] = [];
    const oldApplications: ApplicationRecord[] = [];
    for (const text of raws) {
      const raw = JSON.parse(text) as { id: number; job: { id: number; name: string }; app: { email: string; firstname: string; lastname: string }; applied_at: string; last_acted_on_at: string };
      const id = String(raw.id);
      oldApplicants.push(applicantRecord({ remoteId: id, remoteVersion: null, raw: raw.app, firstName: raw.app.firstname, lastName: raw.app.lastname, email: raw.app.email }));
      oldApplications.push({ remoteId: id, remoteVersion: raw.last_acted_on_at, raw, jobRemoteId: String(raw.job.id), applicantRemoteId: id, jobTitle: raw.job.name, appliedAt: raw.applied_at, remoteStatus: null, lettersExpected: 0, answers: [] });
    }
    const now = new Date().toISOString();
    target.core.storage.syncedRecords.write(accountId, {
      jobs: { rows: jobs.map((job) => ({ remoteId: job.remote_id, remoteVersion: null, raw: JSON.parse(job.raw_json) as unknown, title: job.title, department: null, location: null, status: null, postedAt: null, closesAt: null })), complete: true },
      applicants: { rows: oldApplicants, complete: true },
      applications: { rows: oldApplications, complete: true },
    }, now);
    target.core.storage.syncRuns.saveCursors(accountId, { 'apps.last_acted_on': now.slice(0, 10) }, now);
    const before = applications(target);
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NULL')).toBe(before.length);

    // The reviewer's work on both applications of a returning person, and on one other.
    const [first, second] = returning(before).find((group) => group.length === 2) as AppRow[];
    const other = before.find((row) => row.email !== first?.email) as AppRow;
    const jobOf = (row: AppRow | undefined) => target.db.prepare('SELECT job_id FROM applications WHERE id = ?').pluck().get(row?.id) as number;
    const rubric = await call<{ criteria: { id: number }[] }>(target, 'scorecards.saveRubric', { jobId: jobOf(first), scale: { min: 1, max: 5 }, criteria: [{ name: 'Fit', weight: 1 }] });
    const criterionId = rubric.criteria[0]?.id;
    await call(target, 'annotations.setRating', { applicationId: first?.id, rating: 4 });
    await call(target, 'annotations.setNote', { applicationId: first?.id, note: 'Strong at the front desk.' });
    await call(target, 'annotations.addTag', { applicationIds: [first?.id, second?.id], tag: 'Returning' });
    await call(target, 'annotations.setStatus', { applicationIds: [second?.id], status: 'shortlisted' });
    await call(target, 'annotations.setRating', { applicationId: other.id, rating: 2 });
    await call(target, 'scorecards.setScore', { applicationId: first?.id, criterionId, score: 5 });
    const reviewed = async () => Promise.all([first, second, other].map(async (row) => {
      const packet = await call<Packet>(target, 'applicants.packet', { applicationId: row?.id });
      return { rating: packet.row.rating, status: packet.row.status, tags: packet.row.tags, note: packet.note, score: packet.row.committeeScore };
    }));
    const annotated = await reviewed();

    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    const after = applications(target);
    // The same applications under the same local ids: the reviewer's rows are keyed by app id and untouched.
    expect(after.map((row) => [row.id, row.remote_id])).toEqual(before.map((row) => [row.id, row.remote_id]));
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NULL')).toBe(new Set(after.map((row) => row.email)).size);
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NULL AND remote_id NOT LIKE ?', '%@%')).toBe(0);
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NOT NULL')).toBe(before.length);
    expect(count(target, 'SELECT count(*) FROM applications WHERE applicant_id IS NULL OR applicant_id IN (SELECT id FROM applicants WHERE removed_at IS NOT NULL)')).toBe(0);
    expect(await reviewed()).toEqual(annotated);
    expect(annotated[0]).toEqual({ rating: 4, status: 'new', tags: ['Returning'], note: 'Strong at the front desk.', score: 5 });
    const scorecard = await call<Scorecard>(target, 'scorecards.get', { applicationId: first?.id });
    expect(scorecard.scores).toEqual([{ criterionId, score: 5 }]);

    const packet = await call<Packet>(target, 'applicants.packet', { applicationId: first?.id });
    expect(packet.alsoApplied).toEqual([expect.objectContaining({ applicationId: second?.id, status: 'shortlisted' })]);

    // Search finds the person once, as one applicant; the per-application applicants left the index.
    const hits = await call<{ kind: string; applicationId: number | null }[]>(target, 'search.query', { query: first?.email ?? '' });
    expect(hits.filter((hit) => hit.kind === 'applicant')).toEqual([expect.objectContaining({ applicationId: expect.any(Number) })]);
    expect(hits.every((hit) => hit.applicationId !== null)).toBe(true);
  });
});

describe('the CareerPlug person key', () => {
  const app = (id: number, email: string | null, acted: string, title: string) => ({
    id, job: { id: 10 + id, name: `Job ${id}` }, app: { email, firstname: 'Ann', lastname: 'Lee', recent_title: title },
    hiring_status: 'new_app', applied_at: '2026-01-01T00:00:00Z', last_acted_on_at: acted,
  });
  const where = { provider: 'careerplug', endpoint: 'apps', timeZone: 'UTC' };

  it('matches e-mails trimmed and ignoring case, keeps the newest form whole, and never merges on a name', () => {
    const mapped = mapApps([
      app(1, ' Ann.Lee@Example.org ', '2026-02-01T00:00:00Z', 'Old title'),
      app(2, 'ann.lee@example.org', '2026-03-01T09:00:00+02:00', 'New title'),
      app(3, 'ann.lee@work.example', '2026-01-15T00:00:00Z', 'Other address'),
      app(4, null, '2026-01-15T00:00:00Z', 'No address'),
      app(5, '  ', '2026-01-15T00:00:00Z', 'Blank address'),
    ], where);
    expect(mapped.applications.map((row) => row.applicantRemoteId)).toEqual(['ann.lee@example.org', 'ann.lee@example.org', 'ann.lee@work.example', '4', '5']);
    expect(mapped.applicants.map((row) => [row.remoteId, row.currentPosition])).toEqual([
      ['ann.lee@example.org', 'New title'],
      ['ann.lee@work.example', 'Other address'],
      ['4', 'No address'],
      ['5', 'Blank address'],
    ]);
  });

  it('breaks a tie in recency by the larger app id, whatever the order of the reply', () => {
    const forward = mapApps([app(9, 'a@example.org', '2026-02-01T00:00:00Z', 'Nine'), app(10, 'a@example.org', '2026-02-01T00:00:00Z', 'Ten')], where);
    const backward = mapApps([app(10, 'a@example.org', '2026-02-01T00:00:00Z', 'Ten'), app(9, 'a@example.org', '2026-02-01T00:00:00Z', 'Nine')], where);
    expect(forward.applicants.map((row) => row.currentPosition)).toEqual(['Ten']);
    expect(backward.applicants.map((row) => row.currentPosition)).toEqual(['Ten']);
  });
});
