import { afterEach, describe, expect, it } from 'vitest';
import { nowIso } from '../../electron/core/base/time.ts';
import type { Snapshot } from '../../electron/core/providers/kit/records.ts';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

let fixture: ReviewFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function annotated(size = 8): Promise<ReviewFixture & { target: number }> {
  fixture = await reviewFixture({ applications: size, documents: 'none', seed: 11 });
  const target = fixture.seeded.applicationIds[2] as number;
  await fixture.call('annotations.setRating', { applicationId: target, rating: 4 });
  await fixture.call('annotations.setStatus', { applicationIds: [target], status: 'shortlisted' });
  await fixture.call('annotations.setNote', { applicationId: target, note: 'Great job talk; ask about the second chapter.' });
  await fixture.call('annotations.addTag', { applicationIds: [target], tag: 'Macro' });
  return { ...fixture, target };
}

function resync(current: ReviewFixture, snapshot: Snapshot): void {
  current.core.storage.syncedRecords.write(current.seeded.accountId, snapshot, nowIso());
}

const expectedAnnotation = { rating: 4, status: 'shortlisted', note: 'Great job talk; ask about the second chapter.', tags: ['Macro'] };

async function packetAnnotation(current: ReviewFixture, applicationId: number) {
  const packet = await current.call('applicants.packet', { applicationId });
  return { rating: packet.row.rating, status: packet.row.status, note: packet.note, tags: packet.row.tags };
}

describe('annotations', () => {
  it('returns the whole annotation after each change and shows it in the list and the packet', async () => {
    const current = await annotated();
    const cleared = await current.call('annotations.setRating', { applicationId: current.target, rating: null });
    expect(cleared).toEqual({ applicationId: current.target, rating: null, status: 'shortlisted', tags: ['Macro'], note: expectedAnnotation.note });
    await current.call('annotations.setRating', { applicationId: current.target, rating: 4 });
    expect(await packetAnnotation(current, current.target)).toEqual(expectedAnnotation);
    const row = (await current.call('applicants.list', { filter: { statuses: ['shortlisted'] } })).rows[0];
    expect(row?.applicationId).toBe(current.target);
    expect(row?.tags).toEqual(['Macro']);
  });

  it('survives a re-sync of the same rows, a changed upstream record, a removal upstream and a re-created row', async () => {
    const current = await annotated();
    const snapshot = current.seeded.snapshot;
    resync(current, snapshot);
    expect(await packetAnnotation(current, current.target)).toEqual(expectedAnnotation);

    const remote = (current.core.storage.db.prepare('SELECT remote_id FROM applications WHERE id = ?').pluck().get(current.target)) as string;
    const changed = (snapshot.applications?.rows ?? []).map((row) => (row.remoteId === remote ? { ...row, raw: { ...(row.raw as object), changedate: 'later' }, appliedAt: '2026-11-20T10:00:00.000Z' } : row));
    resync(current, { applications: { rows: changed, complete: true } });
    const afterChange = await current.call('applicants.packet', { applicationId: current.target });
    expect(afterChange.row.appliedAt).toBe('2026-11-20T10:00:00.000Z');
    expect(await packetAnnotation(current, current.target)).toEqual(expectedAnnotation);

    resync(current, { applications: { rows: changed.filter((row) => row.remoteId !== remote), complete: true } });
    const removed = await current.call('applicants.packet', { applicationId: current.target });
    expect(removed.row.removedUpstream).toBe(true);
    expect(await packetAnnotation(current, current.target)).toEqual(expectedAnnotation);

    // The row is deleted outright and synced again: a new local id, the same (account, remote id).
    current.core.storage.db.prepare('DELETE FROM applications WHERE id = ?').run(current.target);
    resync(current, { applications: { rows: changed, complete: true } });
    const recreated = current.core.storage.db.prepare('SELECT id FROM applications WHERE remote_id = ?').pluck().get(remote) as number;
    expect(recreated).not.toBe(current.target);
    expect(await packetAnnotation(current, recreated)).toEqual(expectedAnnotation);
  });

  it('applies status and tags in bulk, keeps one tag per name whatever its case, and drops unused tags', async () => {
    const current = await annotated();
    const many = current.seeded.applicationIds.slice(0, 5);
    const result = await current.call('annotations.addTag', { applicationIds: many, tag: 'macro' });
    expect(result.map((annotation) => annotation.tags)).toEqual(many.map(() => ['Macro']));
    await current.call('annotations.addTag', { applicationIds: many.slice(0, 2), tag: 'read twice' });
    expect(await current.call('tags.list', {})).toEqual([{ name: 'Macro', count: 5 }, { name: 'read twice', count: 2 }]);
    await current.call('annotations.removeTag', { applicationIds: many.slice(0, 2), tag: 'READ TWICE' });
    expect(await current.call('tags.list', {})).toEqual([{ name: 'Macro', count: 5 }]);
    const statuses = await current.call('annotations.setStatus', { applicationIds: many, status: 'rejected' });
    expect(statuses.every((annotation) => annotation.status === 'rejected')).toBe(true);
  });

  it('refuses unknown applications as a whole and ratings outside the scheme', async () => {
    const current = await annotated();
    const unknown = await current.fail('annotations.setStatus', { applicationIds: [current.target, 999_999], status: 'rejected' });
    expect(unknown.code).toBe('input.invalid');
    expect((await current.call('applicants.packet', { applicationId: current.target })).row.status).toBe('shortlisted');
    const outside = await current.fail('annotations.setRating', { applicationId: current.target, rating: 9 });
    expect(outside.code).toBe('input.invalid');
    expect(outside.message).toContain('1 to 5');
    await current.call('settings.ratingScheme', { scheme: { min: 0, max: 10, labels: { '10': 'Hire' } } });
    expect((await current.call('annotations.setRating', { applicationId: current.target, rating: 9 })).rating).toBe(9);
  });
});

describe('settings', () => {
  it('keeps the theme and a validated rating scheme', async () => {
    fixture = await reviewFixture({ applications: 1, documents: 'none' });
    expect(await fixture.call('settings.theme', {})).toEqual({ theme: 'system' });
    expect(await fixture.call('settings.theme', { theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(await fixture.call('settings.theme', {})).toEqual({ theme: 'dark' });
    expect((await fixture.call('settings.ratingScheme', {})).max).toBe(5);
    expect((await fixture.fail('settings.ratingScheme', { scheme: { min: 5, max: 1, labels: {} } })).code).toBe('input.invalid');
    expect((await fixture.fail('settings.ratingScheme', { scheme: { min: 1, max: 3, labels: { '4': 'too high' } } })).message).toContain('remove the label for 4');
    const scheme = { min: 1, max: 4, labels: { '1': 'No', '4': 'Yes' } };
    expect(await fixture.call('settings.ratingScheme', { scheme })).toEqual(scheme);
    expect(await fixture.call('settings.ratingScheme', {})).toEqual(scheme);
  });
});

describe('saved views', () => {
  it('saves, replaces by name, renames, refuses a taken name and removes', async () => {
    fixture = await reviewFixture({ applications: 1, documents: 'none' });
    const shortlist = await fixture.call('views.save', { name: 'Shortlist', filter: { statuses: ['shortlisted'] } });
    expect(shortlist).toEqual({ id: shortlist.id, name: 'Shortlist', filter: { statuses: ['shortlisted'] }, sort: null });
    const replaced = await fixture.call('views.save', { name: 'shortlist', filter: { statuses: ['shortlisted'], minRating: 4 }, sort: { key: 'rating', direction: 'desc' } });
    expect(replaced.id).toBe(shortlist.id);
    const macro = await fixture.call('views.save', { name: 'Macro', filter: { tags: ['macro'] } });
    expect((await fixture.call('views.list', {})).map((view) => view.name)).toEqual(['Macro', 'shortlist']);
    expect((await fixture.fail('views.save', { id: macro.id, name: 'Shortlist', filter: {} })).message).toContain('already called');
    expect((await fixture.call('views.save', { id: macro.id, name: 'Macro (4+)', filter: { tags: ['macro'], minRating: 4 } })).name).toBe('Macro (4+)');
    expect(await fixture.call('views.remove', { id: macro.id })).toEqual({ removed: true });
    expect(await fixture.call('views.remove', { id: macro.id })).toEqual({ removed: false });
    expect(await fixture.call('views.list', {})).toEqual([{ id: shortlist.id, name: 'shortlist', filter: { statuses: ['shortlisted'], minRating: 4 }, sort: { key: 'rating', direction: 'desc' } }]);
  });
});
