import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicantRow } from '../../shared/domain.ts';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

/** The applicant table's field filter and the reviewer's bulk status changes with their undo, on a real SQLite profile. */

let fixture: ReviewFixture;
let everyRow: ApplicantRow[];

beforeAll(async () => {
  fixture = await reviewFixture({ applications: 80, documents: 'none', seed: 16 });
  everyRow = (await fixture.call('applicants.list', { filter: {} })).rows;
});
afterAll(() => fixture.close());

const listed = async (filter: object) => (await fixture.call('applicants.list', { filter } as never)).rows.map((row) => row.applicationId).sort((a, b) => a - b);

/** The rows whose fields include one in which each typed word begins a word, computed here without SQL. */
function expectedForField(text: string): number[] {
  const typed = text.toLowerCase().split(/\s+/).filter(Boolean);
  return everyRow
    .filter((row) => row.fields.some((field) => {
      const words = field.toLowerCase().split(/[\s\-/,();]+/);
      return typed.every((word) => words.some((candidate) => candidate.startsWith(word)));
    }))
    .map((row) => row.applicationId)
    .sort((a, b) => a - b);
}

describe('the field filter', () => {
  it('finds a field by a word or the start of one, in any letter case', async () => {
    const labor = expectedForField('labor');
    expect(labor.length).toBeGreaterThan(0);
    expect(await listed({ field: 'labor' })).toEqual(labor);
    expect(await listed({ field: 'LAB' })).toEqual(expectedForField('lab'));
    expect(await listed({ field: 'Labor Economics' })).toEqual(labor);
  });

  it('needs every word in one field, and matches words only at their start', async () => {
    const both = expectedForField('international finance');
    expect(both.length).toBeGreaterThan(0);
    expect(await listed({ field: 'international fin' })).toEqual(both);
    // "economics" is inside "Macroeconomics" but begins no word of it.
    const economics = await listed({ field: 'economics' });
    expect(economics).toEqual(expectedForField('economics'));
    const macroOnly = everyRow.filter((row) => row.fields.length > 0 && row.fields.every((field) => field === 'Macroeconomics'));
    for (const row of macroOnly) expect(economics).not.toContain(row.applicationId);
    expect(await listed({ field: 'zzz' })).toEqual([]);
  });

  it('selects the same applications for an export of a saved view that filters by field', async () => {
    const view = await fixture.call('views.save', { name: 'Labor', filter: { field: 'labor' }, sort: null });
    const selected = fixture.core.storage.applications.selected({ listedBy: view.filter }).map((row) => row.applicationId).sort((a, b) => a - b);
    expect(selected).toEqual(expectedForField('labor'));
  });
});

describe('bulk status changes', () => {
  const statusOf = async (ids: readonly number[]) => {
    const rows = (await fixture.call('applicants.list', { filter: {} })).rows;
    return ids.map((id) => rows.find((row) => row.applicationId === id)?.status);
  };

  it('changes many applications in one call and answers the status each had, which an undo restores exactly', async () => {
    const ids = fixture.seeded.applicationIds.slice(0, 6);
    await fixture.call('annotations.setStatus', { applicationIds: [ids[1] as number], status: 'reviewing' });
    await fixture.call('annotations.setStatus', { applicationIds: [ids[2] as number], status: 'rejected' });
    await fixture.call('annotations.setStatus', { applicationIds: [ids[3] as number], status: 'interview' });
    const before = await statusOf(ids);
    expect(before).toEqual(['new', 'reviewing', 'rejected', 'interview', 'new', 'new']);

    const changed = await fixture.call('annotations.changeStatuses', { changes: ids.map((applicationId) => ({ applicationId, status: 'shortlisted' })) });
    expect(changed.annotations.map((annotation) => annotation.status)).toEqual(ids.map(() => 'shortlisted'));
    expect(changed.previous).toEqual(ids.map((applicationId, index) => ({ applicationId, status: before[index] })));
    expect(await statusOf(ids)).toEqual(ids.map(() => 'shortlisted'));

    const undone = await fixture.call('annotations.changeStatuses', { changes: changed.previous });
    expect(undone.annotations.map((annotation) => annotation.status)).toEqual(before);
    expect(await statusOf(ids)).toEqual(before);
  });

  it('applies a bulk change whole or not at all: a failure on the last row leaves the first ones as they were', async () => {
    const ids = fixture.seeded.applicationIds.slice(10, 15);
    const before = await statusOf(ids);
    const last = ids[ids.length - 1] as number;
    const lastRemote = fixture.core.storage.db.prepare('SELECT remote_id FROM applications WHERE id = ?').pluck().get(last) as string;
    // A trigger that fails the write of the last application, after the others were written in the same transaction.
    for (const event of ['INSERT', 'UPDATE']) {
      fixture.core.storage.db.exec(`CREATE TEMP TRIGGER fail_${event.toLowerCase()} BEFORE ${event} ON main.reviews
        WHEN NEW.application_remote_id = '${lastRemote}' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    }
    try {
      const failure = await fixture.fail('annotations.changeStatuses', { changes: ids.map((applicationId) => ({ applicationId, status: 'offer' })) });
      expect(failure.code).not.toBe('input.invalid');
    } finally {
      fixture.core.storage.db.exec('DROP TRIGGER temp.fail_insert; DROP TRIGGER temp.fail_update;');
    }
    expect(await statusOf(ids)).toEqual(before);
  });

  it('refuses an unknown application or one named twice, changing nothing', async () => {
    const [first, second] = fixture.seeded.applicationIds.slice(20, 22) as [number, number];
    const before = await statusOf([first, second]);
    const unknown = await fixture.fail('annotations.changeStatuses', { changes: [{ applicationId: first, status: 'offer' }, { applicationId: 999_999, status: 'offer' }] });
    expect(unknown.code).toBe('input.invalid');
    expect(unknown.message).toMatch(/Reload the list/);
    const twice = await fixture.fail('annotations.changeStatuses', { changes: [{ applicationId: second, status: 'offer' }, { applicationId: second, status: 'new' }] });
    expect(twice.code).toBe('input.invalid');
    expect(twice.message).toMatch(/once/);
    expect(await statusOf([first, second])).toEqual(before);
  });
});
