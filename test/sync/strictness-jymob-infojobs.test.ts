import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfoJobsEmulator, type InfoJobsEmulator } from '../../electron/sandbox/infojobs/server.ts';
import { startJyMobEmulator, type JyMobEmulator } from '../../electron/sandbox/jymob/server.ts';
import { jymobForeignPostStatuses, jymobScreeningTestListings, pageCaps, type PageCap, type StrictnessProfile } from '../../electron/sandbox/strictness.ts';
import { addSandboxAccount, consentInPlace, control, syncCore, type SyncCore } from './helpers.ts';

/**
 * JyMob and InfoJobs syncs over real HTTP against every strictness profile their emulators offer
 * (electron/sandbox/strictness.ts): each ends with exactly the emulator's data or a clear error,
 * a second sync after a change tombstones only what was removed, a walk that did not finish
 * tombstones nothing, and a revoked sign-in ends the sync as signed out.
 */

/**
 * A provider that ignores the `page` parameter on one list, as a real HTTP hop in front of the
 * emulator: the walk sees page 1 again and must end unfinished. Everything else passes through.
 */
interface PageIgnoringProxy {
  readonly origin: string;
  ignorePageOn: RegExp | null;
  close(): Promise<void>;
}

async function pageIgnoringProxy(target: string): Promise<PageIgnoringProxy> {
  const upstream = new URL(target);
  const proxy: PageIgnoringProxy = { origin: '', ignorePageOn: null, close: () => new Promise((resolve) => server.close(() => resolve())) };
  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', upstream);
    if (proxy.ignorePageOn?.test(url.pathname) === true && url.searchParams.has('page')) url.searchParams.set('page', '1');
    const forwarded = httpRequest(url, { method: incoming.method, headers: { ...incoming.headers, host: upstream.host } }, (reply) => {
      outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

const count = (target: SyncCore, sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;
const removedApplications = (target: SyncCore) => count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NOT NULL');
const removedJobs = (target: SyncCore) => count(target, 'SELECT count(*) FROM jobs WHERE removed_at IS NOT NULL');

/** Enough applications that the job-post list is longer than the cap (the emulator makes one post per five). */
const jymobScale = (cap: PageCap | undefined) => (cap === undefined || cap === null ? 'small' : String(5 * cap + 1));

const jymobProfiles: StrictnessProfile[] = [
  ...pageCaps.map((pageCap) => ({ pageCap })),
  ...jymobForeignPostStatuses.map((foreignPost) => ({ foreignPost })),
  ...jymobScreeningTestListings.map((screeningTests) => ({ screeningTests })),
  { pageCap: 10, foreignPost: 401, screeningTests: 'absent' },
];

describe.each(jymobProfiles)('JyMob with strictness %o', (strictness) => {
  let emulator: JyMobEmulator;
  let proxy: PageIgnoringProxy;
  let target: SyncCore;
  let accountId: number;

  /** What the emulator holds for the app user right now: its posts, the applications to them, and the tests taken for those. */
  const upstream = () => {
    const owned = new Set([...emulator.data.jobPosts.values()].filter((post) => post.user_id === emulator.data.appUser.id).map((post) => post.id));
    const applications = [...emulator.data.applications.values()].filter((item) => owned.has(item.job_post_id));
    const ids = new Set(applications.map((item) => item.id));
    const tested = new Set([...emulator.data.screeningTests.values()].filter((test) => ids.has(test.job_application_id)).map((test) => test.job_application_id));
    return { jobs: owned.size, applications: applications.length, applicants: new Set(applications.map((item) => item.user_id)).size, tested: tested.size };
  };

  beforeAll(async () => {
    emulator = await startJyMobEmulator({ seed: 14, scale: jymobScale(strictness.pageCap), strictness });
    proxy = await pageIgnoringProxy(emulator.baseUrl);
    target = await syncCore();
    const { accessToken } = (await control(emulator.baseUrl, 'personal-token')) as { accessToken: string };
    accountId = await addSandboxAccount(target, 'jymob', { ...emulator.ready, baseUrl: `${proxy.origin}/v1` }, { token: accessToken });
  });
  afterAll(async () => {
    await target.close();
    await proxy.close();
    await emulator.close();
  });

  it('syncs every own post, application and applicant, whatever the server caps and however it refuses other posts', async () => {
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    const expected = upstream();
    // More posts than one capped page holds, so a walk that stopped at a short page would miss some.
    if (typeof strictness.pageCap === 'number') expect(emulator.data.jobPosts.size).toBeGreaterThan(strictness.pageCap);
    expect(count(target, 'SELECT count(*) FROM jobs WHERE removed_at IS NULL')).toBe(expected.jobs);
    expect(count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NULL')).toBe(expected.applications);
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NULL')).toBe(expected.applicants);
    // Tests come only from a per-post list; where the server keeps none, the sync completes without them.
    const perPost = (strictness.screeningTests ?? 'perPost') === 'perPost';
    expect(count(target, "SELECT count(*) FROM applications WHERE answers_json LIKE '%Screening test%'")).toBe(perPost ? expected.tested : 0);
    // What the account offers is kept for its status: an absent per-post list is shown as not offered.
    const offer = target.db.prepare("SELECT cursor FROM sync_cursors WHERE account_id = ? AND resource = 'offers.screening_tests'").pluck().get(accountId);
    expect(offer).toBe(strictness.screeningTests === 'absent' ? 'not_offered' : 'offered');
    expect(result?.counts.unfinishedLists ?? 0).toBe(0);
    expect(target.db.prepare('SELECT state FROM accounts WHERE id = ?').pluck().get(accountId)).toBe('signed_in');
  });

  it('tombstones exactly what was removed upstream on the next sync', async () => {
    const mutated = (await control(emulator.baseUrl, 'mutate', { add: 2, change: 1, remove: 2 })) as { removed: number[] };
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(removedApplications(target)).toBe(mutated.removed.length);
    expect(removedJobs(target)).toBe(0);
    expect(count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NULL')).toBe(upstream().applications);
  });

  it('tombstones nothing when a walk could not finish', async () => {
    await control(emulator.baseUrl, 'mutate', { remove: 1 });
    const before = removedApplications(target);
    proxy.ignorePageOn = /\/job_posts/;
    try {
      const [result] = await target.engine.run({ documents: false });
      expect(result?.error ?? null).toBe(null);
      // The sync says it was partial rather than reporting a clean pass.
      expect(result?.counts.unfinishedLists).toBe(1);
    } finally {
      proxy.ignorePageOn = null;
    }
    expect(removedApplications(target)).toBe(before);
    expect(removedJobs(target)).toBe(0);
  });

  it('ends the sync as signed out when the token itself is revoked, tombstoning nothing', async () => {
    const before = removedApplications(target);
    await control(emulator.baseUrl, 'personal-token', { rotate: true });
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.code).toBe('auth.needs_login');
    expect(result?.error?.message).toMatch(/paste a new access token/);
    // The account shows what to do; the engine records the failed sync as its state.
    expect(target.db.prepare('SELECT state_message FROM accounts WHERE id = ?').pluck().get(accountId)).toBe(result?.error?.message);
    expect(removedApplications(target)).toBe(before);
  });
});

describe.each(pageCaps.map((pageCap) => ({ pageCap })))('InfoJobs with strictness %o', (strictness) => {
  let emulator: InfoJobsEmulator;
  let proxy: PageIgnoringProxy;
  let target: SyncCore;
  let accountId: number;

  beforeAll(async () => {
    // More applications than one page of 30, the largest documented pageSize.
    emulator = await startInfoJobsEmulator({ seed: 14, scale: '45', strictness });
    proxy = await pageIgnoringProxy(emulator.baseUrl);
    target = await syncCore(undefined, false, async (url) => {
      void consentInPlace(url);
    });
    accountId = await addSandboxAccount(target, 'infojobs', { ...emulator.ready, baseUrl: proxy.origin }, { grant: 'authorization_code', timeZone: 'Europe/Madrid' });
  });
  afterAll(async () => {
    await target.close();
    await proxy.close();
    await emulator.close();
  });

  it('syncs every application of the candidate', async () => {
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(emulator.data.applications.size).toBeGreaterThan(30);
    expect(count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NULL')).toBe(emulator.data.applications.size);
    expect(count(target, 'SELECT count(*) FROM applicants WHERE removed_at IS NULL')).toBe(1);
  });

  it('tombstones exactly what was removed upstream on the next sync', async () => {
    const mutated = (await control(emulator.baseUrl, 'mutate', { add: 2, change: 1, remove: 2 })) as { removed: string[] };
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    expect(removedApplications(target)).toBe(mutated.removed.length);
    expect(count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NULL')).toBe(emulator.data.applications.size);
  });

  it('tombstones nothing when a walk could not finish', async () => {
    await control(emulator.baseUrl, 'mutate', { remove: 1 });
    const before = removedApplications(target);
    proxy.ignorePageOn = /\/5\/application$/;
    try {
      const [result] = await target.engine.run({ documents: false });
      expect(result?.error ?? null).toBe(null);
    } finally {
      proxy.ignorePageOn = null;
    }
    expect(removedApplications(target)).toBe(before);
  });

  it('ends the sync as signed out when the grant is revoked, tombstoning nothing', async () => {
    const before = removedApplications(target);
    await control(emulator.baseUrl, 'revoke');
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.code).toMatch(/^auth\.(needs_login|revoked|invalid_grant)$/);
    // The account shows what to do; the engine records the failed sync as its state.
    expect(target.db.prepare('SELECT state_message FROM accounts WHERE id = ?').pluck().get(accountId)).toBe(result?.error?.message);
    expect(removedApplications(target)).toBe(before);
  });
});
