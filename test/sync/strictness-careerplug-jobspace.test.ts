import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCareerPlugEmulator, type CareerPlugEmulator } from '../../electron/sandbox/careerplug/server.ts';
import { startJobSpaceEmulator, type JobSpaceEmulator } from '../../electron/sandbox/jobspace/server.ts';
import { careerplugIntegrations, jobspaceBoards, pageCaps, type StrictnessProfile } from '../../electron/sandbox/strictness.ts';
import { addSandboxAccount, control, syncCore, type SyncCore } from './helpers.ts';

/**
 * CareerPlug and The Job Space connectors over real HTTP against every value of every strictness
 * switch their emulators offer (electron/sandbox/strictness.ts): a full sync ends with exactly the
 * emulator's data, a sync after changes upstream tombstones exactly what was removed, and a walk
 * that never reaches its end (the `ignore-page` fault: every page is the first) tombstones nothing.
 */

/** One profile per switch value: the other switches keep the emulator's default. */
const careerplugProfiles: StrictnessProfile[] = [...pageCaps.map((pageCap) => ({ pageCap })), ...careerplugIntegrations.map((integration) => ({ integration }))];
const jobspaceProfiles: StrictnessProfile[] = [
  ...pageCaps.map((pageCap) => ({ pageCap })),
  ...jobspaceBoards.map((board) => ({ board })),
  // The older board with a small cap: both of its uncertainties at once.
  { board: '2017-05', pageCap: 10 },
];

/** What the connectors ask per page: CareerPlug `per_page=100`, The Job Space `page[size]=50`. */
const requested = { careerplug: 100, jobspace: 50 };

/** A few records more than two served pages, so every walk spans pages and ends on a partial one. */
const justAbove = (cap: number | null | undefined, asked: number) => 2 * (cap ?? asked) + 3;

const label = (profile: StrictnessProfile) => Object.entries(profile).map(([key, value]) => `${key}=${value === null ? 'none' : String(value)}`).join(',');

const count = (target: SyncCore, sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;
const remoteIds = (target: SyncCore, table: 'jobs' | 'applications', accountId: number, where = 'removed_at IS NULL') =>
  (target.db.prepare(`SELECT remote_id FROM ${table} WHERE account_id = ? AND ${where} ORDER BY remote_id`).pluck().all(accountId) as string[]).sort();
const sorted = (ids: Iterable<number | string>) => [...ids].map(String).sort();

describe.each(careerplugProfiles.map((profile) => [label(profile), profile] as const))('CareerPlug, profile %s', (_name, profile) => {
  let emulator: CareerPlugEmulator;
  let target: SyncCore;
  let accountId: number;

  beforeAll(async () => {
    // Apps just above two of the cap's pages; jobs come at one per eight apps, so they span pages too when the cap is small.
    const apps = profile.pageCap === undefined ? justAbove(undefined, requested.careerplug) : 8 * justAbove(profile.pageCap, requested.careerplug);
    emulator = await startCareerPlugEmulator({ scale: String(apps), seed: 5, strictness: profile });
    target = await syncCore();
    accountId = await addSandboxAccount(target, 'careerplug', emulator.ready);
    // A partner integration must ask for its scope; a custom one (the official page's request) asks for none.
    if (profile.integration === 'partner') await target.core.services.accounts.update({ id: accountId, scope: 'global_partner_api', clientSecret: emulator.ready.clientSecret });
  });
  afterAll(async () => {
    await target.close();
    await emulator.close();
  });
  afterEach(async () => {
    await control(emulator.ready.baseUrl, 'ignore-page', { on: false });
  });

  // With no cursor the connector walks every app, as on the first sync; only a full walk can see removals.
  const fullPass = () => target.db.prepare('DELETE FROM sync_cursors WHERE account_id = ?').run(accountId);

  it('a full sync holds every job and app the emulator has', async () => {
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(remoteIds(target, 'jobs', accountId)).toEqual(sorted(emulator.data.jobs.keys()));
    expect(remoteIds(target, 'applications', accountId)).toEqual(sorted(emulator.data.apps.keys()));
  });

  // The connector walks in full on its own once its last full walk is a week old.
  const weekLater = () => target.db.prepare("UPDATE sync_cursors SET cursor = ? WHERE account_id = ? AND resource = 'apps.full_pass'").run(new Date(Date.now() - 8 * 86_400_000).toISOString(), accountId);

  it('after changes upstream: the incremental pass adds and updates, and the weekly full pass tombstones exactly the removed apps', async () => {
    const mutated = (await control(emulator.ready.baseUrl, 'mutate', { add: 2, change: 2, remove: 3 })) as { added: number[]; changed: number[]; removed: number[] };
    const [incremental] = await target.engine.run({ documents: false });
    expect(incremental?.error ?? null).toBe(null);
    // The date filter only sees what changed, so it cannot see removals: it tombstones nothing.
    expect(count(target, 'SELECT count(*) FROM applications WHERE account_id = ? AND removed_at IS NOT NULL', accountId)).toBe(0);
    for (const id of mutated.added) expect(remoteIds(target, 'applications', accountId)).toContain(String(id));
    expect(weekLater().changes).toBe(1);
    const [full] = await target.engine.run({ documents: false });
    expect(full?.error ?? null).toBe(null);
    expect(remoteIds(target, 'applications', accountId, 'removed_at IS NOT NULL')).toEqual(sorted(mutated.removed));
    expect(remoteIds(target, 'applications', accountId)).toEqual(sorted(emulator.data.apps.keys()));
  });

  it('a walk that never ends (every page is the first) tombstones nothing', async () => {
    const before = remoteIds(target, 'applications', accountId);
    const jobsBefore = remoteIds(target, 'jobs', accountId);
    await control(emulator.ready.baseUrl, 'mutate', { remove: 2 });
    await control(emulator.ready.baseUrl, 'ignore-page', { on: true });
    fullPass();
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    // The sync says it was partial, and keeps no cursor, so the next sync walks in full again.
    expect(result?.counts.unfinishedLists).toBe(2);
    expect(count(target, 'SELECT count(*) FROM sync_cursors WHERE account_id = ?', accountId)).toBe(0);
    expect(remoteIds(target, 'applications', accountId)).toEqual(before);
    expect(remoteIds(target, 'jobs', accountId)).toEqual(jobsBefore);
  });
});

describe('CareerPlug scope refusals say which scope to try', () => {
  it.each([
    ['custom', 'global_partner_api', 'leave the account\'s scope empty'],
    ['partner', null, 'set the account\'s scope to global_partner_api'],
  ] as const)('a %s integration asked for scope %s', async (integration, scope, advice) => {
    const emulator = await startCareerPlugEmulator({ scale: 'small', seed: 5, strictness: { integration } });
    const target = await syncCore();
    try {
      const accountId = await addSandboxAccount(target, 'careerplug', emulator.ready);
      if (scope !== null) await target.core.services.accounts.update({ id: accountId, scope, clientSecret: emulator.ready.clientSecret });
      const [result] = await target.engine.run({ documents: false });
      expect(result?.error).toMatchObject({ code: 'input.invalid', message: expect.stringContaining(advice) });
      expect(count(target, 'SELECT count(*) FROM applications')).toBe(0);
    } finally {
      await target.close();
      await emulator.close();
    }
  });
});

describe.each(jobspaceProfiles.map((profile) => [label(profile), profile] as const))('The Job Space, profile %s', (_name, profile) => {
  let emulator: JobSpaceEmulator;
  let target: SyncCore;
  let accountId: number;
  const live = () => sorted([...emulator.jobs.values()].filter((job) => !job.deleted_at).map((job) => job.id));

  beforeAll(async () => {
    const jobs = justAbove(profile.pageCap, requested.jobspace);
    emulator = await startJobSpaceEmulator({ scale: String(jobs), seed: 5, strictness: profile });
    target = await syncCore();
    accountId = await addSandboxAccount(target, 'jobspace', emulator.ready, { timeZone: 'Europe/London' });
  });
  afterAll(async () => {
    await target.close();
    await emulator.close();
  });
  afterEach(async () => {
    await control(emulator.ready.baseUrl, 'ignore-page', { on: false });
  });

  const older = profile.board === '2017-05';

  it(`a full sync holds every job; posting options are ${older ? 'found missing and shown so' : 'read'}`, async () => {
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(remoteIds(target, 'jobs', accountId)).toEqual(live());
    const lookups = count(target, 'SELECT count(*) FROM lookups WHERE account_id = ?', accountId);
    if (older) expect(lookups).toBe(0);
    else expect(lookups).toBeGreaterThan(0);
    const outcome = await target.core.dispatch('sync.status', {});
    const status = (outcome.ok ? outcome.result : []) as { accountId: number; offers?: Record<string, string> }[];
    expect(status.find((entry) => entry.accountId === accountId)?.offers).toEqual({ posting_options: older ? 'not_offered' : 'offered' });
  });

  it('after changes upstream, the next sync tombstones exactly the removed jobs', async () => {
    const mutated = (await control(emulator.ready.baseUrl, 'mutate', { add: 2, change: 2, remove: 3 })) as { removed: number[] };
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(remoteIds(target, 'jobs', accountId, 'removed_at IS NOT NULL')).toEqual(sorted(mutated.removed));
    expect(remoteIds(target, 'jobs', accountId)).toEqual(live());
  });

  it('a walk that never ends (every page is the first) tombstones nothing', async () => {
    const before = remoteIds(target, 'jobs', accountId);
    await control(emulator.ready.baseUrl, 'mutate', { remove: 2 });
    await control(emulator.ready.baseUrl, 'ignore-page', { on: true });
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(result?.counts.unfinishedLists).toBe(1);
    expect(remoteIds(target, 'jobs', accountId)).toEqual(before);
  });
});
