import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import { jobspaceEmulator } from '../../electron/sandbox/jobspace/index.ts';
import { jymobEmulator } from '../../electron/sandbox/jymob/index.ts';
import { idempotencyKey } from '../../electron/core/outbox/service.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { addSandboxAccount, consentInPlace, control, dumpCache, setFaults, syncCore, type SyncCore } from './helpers.ts';

/** CareerPlug, The Job Space and JyMob over real HTTP against their emulators, outbox included. */

const started: StartedEmulator[] = [];
const cores: SyncCore[] = [];
afterAll(async () => {
  for (const core of cores) await core.close();
  for (const emulator of started) await emulator.close();
});

async function start(factory: { start(options: { scale: 'small'; seed: number }): Promise<StartedEmulator> }, seed = 3): Promise<StartedEmulator> {
  const emulator = await factory.start({ scale: 'small', seed });
  started.push(emulator);
  return emulator;
}

async function core(): Promise<SyncCore> {
  const created = await syncCore();
  cores.push(created);
  return created;
}

const count = (target: SyncCore, sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;

describe('CareerPlug', () => {
  let emulator: StartedEmulator;
  let target: SyncCore;
  let accountId: number;

  beforeAll(async () => {
    emulator = await start(careerplugEmulator);
    target = await core();
    accountId = await addSandboxAccount(target, 'careerplug', emulator.ready);
  });

  it('syncs every job and app in full, then only what changed since the day cursor', async () => {
    const [first] = await target.engine.run({ documents: true });
    expect(first?.error ?? null).toBe(null);
    const apps = count(target, 'SELECT count(*) FROM applications');
    expect(apps).toBeGreaterThan(0);
    expect(count(target, 'SELECT count(*) FROM jobs')).toBeGreaterThan(0);
    expect(count(target, 'SELECT count(*) FROM applications WHERE job_id IS NULL OR applicant_id IS NULL')).toBe(0);
    expect(count(target, "SELECT count(*) FROM sync_cursors WHERE resource = 'apps.last_acted_on.by_person'")).toBe(1);
    const mutated = (await control(emulator.ready.baseUrl, 'mutate', { add: 2, change: 3 })) as { added?: unknown[]; changed?: unknown[] };
    emulator.sandbox.stats.clear();
    const [second] = await target.engine.run({ documents: true });
    expect(second?.ok).toBe(true);
    expect(count(target, 'SELECT count(*) FROM applications')).toBe(apps + (mutated.added?.length ?? 2));
    expect(second?.counts.applications).toBe((mutated.added?.length ?? 2) + (mutated.changed?.length ?? 3));
    // The incremental pass asked for apps acted on since the cursor, not for every app again.
    expect(emulator.sandbox.stats.get('GET /apps')).toBeLessThanOrEqual(2);
  });

  it('waits out the load balancer’s HTML 403 throttle page and 429s', async () => {
    const fresh = await core();
    await addSandboxAccount(fresh, 'careerplug', emulator.ready);
    await setFaults(emulator.ready.baseUrl, { throttle: 3, rateLimitEvery: 4, retryAfterSeconds: 0 });
    try {
      const [result] = await fresh.engine.run({ documents: true });
      expect(result?.error ?? null).toBe(null);
      expect(count(fresh, 'SELECT count(*) FROM applications')).toBe(count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NULL'));
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
    }
  });

  it('applies an applicant to a job through the outbox once, even when the send is repeated after a crash', async () => {
    const job = target.db.prepare('SELECT remote_id, raw_json FROM jobs LIMIT 1').get() as { remote_id: string; raw_json: string };
    const questions = (JSON.parse(job.raw_json) as { prescreen_questions: { id: number; answers?: string[] }[] }).prescreen_questions;
    const payload = {
      job_id: Number(job.remote_id),
      app: { email: 'ada.lovelace@example.org', firstname: 'Ada', lastname: 'Lovelace', resume: { text: 'Analyst of engines.' } },
      prescreen_answers: questions.map((question) => ({ id: question.id, value: question.answers?.[0] ?? 'Yes' })),
    };
    const write = { accountId, kind: 'application.create' as const, payload, summary: 'Apply Ada Lovelace', key: idempotencyKey(accountId, 'application.create', payload) };
    const item = target.core.services.outbox.enqueue(write);
    expect(target.core.services.outbox.enqueue(write).id).toBe(item.id);
    const before = count(target, 'SELECT count(*) FROM applications');
    const [result] = await target.engine.run({ documents: false });
    expect(result?.ok).toBe(true);
    const sent = target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id);
    expect(sent).toMatchObject({ state: 'sent', lastError: null });
    expect(sent?.remoteId).toMatch(/^\d+$/);
    expect(count(target, 'SELECT count(*) FROM applications')).toBe(before + 1);
    // A crash between the send and recording it leaves the item in "sending": the next sync finds the app instead of applying twice.
    target.db.prepare("UPDATE outbox SET state = 'sending' WHERE id = ?").run(item.id);
    await target.engine.run({ documents: false });
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id)).toMatchObject({ state: 'sent', remoteId: sent?.remoteId });
    expect(count(target, "SELECT count(*) FROM applications WHERE json_extract(raw_json, '$.app.email') = 'ada.lovelace@example.org'")).toBe(1);
  });

  it('shows a failed write with its reason instead of dropping it', async () => {
    const item = target.core.services.outbox.enqueue({ accountId, kind: 'application.create', payload: { job_id: 999_999_999, app: { email: 'x@example.org', firstname: 'X', lastname: 'Y' }, prescreen_answers: [] }, summary: 'Apply to a job that does not exist', key: 'bad-job' });
    const [result] = await target.engine.run({ documents: false });
    expect(result?.ok).toBe(true);
    const failed = target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.lastError).toMatch(/^provider\.validation/);
  });
});

describe('The Job Space', () => {
  it('syncs the board’s jobs page by page with the posting options, and creates and updates postings through the outbox', async () => {
    const emulator = await start(jobspaceEmulator);
    const target = await core();
    const accountId = await addSandboxAccount(target, 'jobspace', emulator.ready);
    const [first] = await target.engine.run({ documents: true });
    expect(first?.error ?? null).toBe(null);
    const jobs = count(target, 'SELECT count(*) FROM jobs');
    expect(jobs).toBeGreaterThan(0);
    expect(count(target, "SELECT count(*) FROM jobs WHERE posted_at LIKE '____-__-__T__:__:__.000Z'")).toBe(jobs);
    const lookups = target.db.prepare('SELECT kind, remote_id FROM lookups').all() as { kind: string; remote_id: string }[];
    for (const kind of ['country', 'job_type', 'job_category']) expect(lookups.some((lookup) => lookup.kind === kind)).toBe(true);
    const pick = (kind: string) => lookups.find((lookup) => lookup.kind === kind)?.remote_id ?? '';
    const posting = {
      accountId,
      title: 'Assistant Professor of Economics',
      reference: 'DOSSIER-2026-001',
      summary: 'Tenure-track position',
      description: 'We invite applications in all fields.',
      jobType: pick('job_type'),
      jobCategory: pick('job_category'),
      country: pick('country'),
      locality: 'Sheffield',
      openDate: '2026-11-01',
      closeDate: '2026-12-15',
      salaryText: 'Competitive',
    };
    const created = target.core.services.outbox.savePosting(posting);
    expect(target.core.services.outbox.savePosting(posting).id).toBe(created.id);
    const [second] = await target.engine.run({ documents: false });
    expect(second?.ok).toBe(true);
    const sent = target.core.services.outbox.list(accountId).find((entry) => entry.id === created.id);
    expect(sent).toMatchObject({ state: 'sent' });
    const local = target.db.prepare('SELECT id, title FROM jobs WHERE remote_id = ?').get(sent?.remoteId) as { id: number; title: string };
    expect(local.title).toBe(posting.title);
    const updated = target.core.services.outbox.savePosting({ ...posting, jobId: local.id, title: 'Associate Professor of Economics' });
    await target.engine.run({ documents: false });
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === updated.id)).toMatchObject({ state: 'sent', remoteId: sent?.remoteId });
    expect(target.db.prepare('SELECT title FROM jobs WHERE id = ?').pluck().get(local.id)).toBe('Associate Professor of Economics');
    await control(emulator.ready.baseUrl, 'mutate', { remove: 1 });
    await target.engine.run({ documents: false });
    expect(count(target, 'SELECT count(*) FROM jobs WHERE removed_at IS NOT NULL')).toBe(1);
  });
});

describe('JyMob', () => {
  it('syncs the account’s job posts with their applications and screening tests, using a pasted token', async () => {
    const emulator = await start(jymobEmulator);
    const target = await core();
    const { accessToken } = (await control(emulator.ready.baseUrl, 'personal-token')) as { accessToken: string };
    await addSandboxAccount(target, 'jymob', emulator.ready, { token: accessToken });
    const [first] = await target.engine.run({ documents: true });
    expect(first?.error ?? null).toBe(null);
    expect(count(target, 'SELECT count(*) FROM jobs')).toBeGreaterThan(0);
    expect(count(target, 'SELECT count(*) FROM applications')).toBeGreaterThan(0);
    expect(count(target, 'SELECT count(*) FROM applications WHERE applicant_id IS NULL')).toBe(0);
    expect(count(target, "SELECT count(*) FROM applications WHERE answers_json LIKE '%Screening test%'")).toBeGreaterThan(0);
    const before = dumpCache(target.db);
    const [again] = await target.engine.run({ documents: true });
    expect(again?.counts.applications).toBe(0);
    expect(dumpCache(target.db)).toEqual(before);
    const mutated = (await control(emulator.ready.baseUrl, 'mutate', { add: 2, change: 1, remove: 1 })) as { removed: number[] };
    await target.engine.run({ documents: true });
    expect(count(target, 'SELECT count(*) FROM applications WHERE removed_at IS NOT NULL')).toBe(mutated.removed.length);
  });
});

describe('several accounts', () => {
  it('keeps going when one account fails: the other syncs and the failure is recorded on its account', async () => {
    const emulator = await start(jobspaceEmulator, 9);
    const target = await core();
    const good = await addSandboxAccount(target, 'jobspace', emulator.ready, { name: 'board' });
    const bad = await addSandboxAccount(target, 'jobspace', { ...emulator.ready, clientSecret: 'wrong secret' }, { name: 'bad board' });
    const results = await target.engine.run({ documents: true });
    expect(results.find((result) => result.accountId === good)?.ok).toBe(true);
    const failed = results.find((result) => result.accountId === bad);
    expect(failed?.ok).toBe(false);
    expect(failed?.error?.code).toMatch(/^auth\./);
    expect(target.db.prepare('SELECT state FROM accounts WHERE id = ?').pluck().get(bad)).toBe('error');
    expect(target.on('sync.finished').map((event) => event.ok).sort()).toEqual([false, true]);
  });
});

describe('InfoJobs', () => {
  it('signs in through the authorization-code flow and syncs the candidate’s applications page by page', async () => {
    const { infojobsEmulator } = await import('../../electron/sandbox/infojobs/index.ts');
    const emulator = await start(infojobsEmulator);
    // Like a browser, the consent happens beside the app, not inside its call to open the page.
    const consentErrors: unknown[] = [];
    const target = await syncCore(undefined, false, async (url) => {
      consentInPlace(url).catch((error: unknown) => consentErrors.push(error));
    });
    cores.push(target);
    await addSandboxAccount(target, 'infojobs', emulator.ready, { grant: 'authorization_code', timeZone: 'Europe/Madrid' });
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    expect(count(target, 'SELECT count(*) FROM applicants')).toBe(1);
    const applications = count(target, 'SELECT count(*) FROM applications');
    expect(applications).toBeGreaterThan(0);
    expect(count(target, 'SELECT count(*) FROM applications WHERE job_id IS NOT NULL AND applicant_id IS NOT NULL')).toBe(applications);
    expect(count(target, "SELECT count(*) FROM applications WHERE applied_at LIKE '%Z'")).toBe(applications);
    expect(consentErrors).toEqual([]);
  });
});
