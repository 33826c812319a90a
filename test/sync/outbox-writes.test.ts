import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyTarget } from '../../shared/api/writes.ts';
import { startCareerPlugEmulator, type CareerPlugEmulator } from '../../electron/sandbox/careerplug/server.ts';
import { startJobSpaceEmulator, type JobSpaceEmulator } from '../../electron/sandbox/jobspace/server.ts';
import { jymobEmulator } from '../../electron/sandbox/jymob/index.ts';
import { addSandboxAccount, control, setFaults, syncCore, type SyncCore } from './helpers.ts';

/**
 * Writes through the outbox over real HTTP against the emulators: applying a person to another
 * CareerPlug job, deleting a Job Space posting; queued offline, sent by the next sync, never applied
 * twice after a lost reply or a SIGKILL, refusals kept with the provider's words.
 */

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function core(dataDir?: string): Promise<SyncCore> {
  const created = await syncCore(dataDir);
  cleanup.push(() => created.close());
  return created;
}

const answersFor = (target: ApplyTarget) => target.questions.map((question) => ({ questionId: question.id, value: question.choices[0] ?? 'Yes' }));

describe('CareerPlug: apply an applicant to another job', () => {
  let emulator: CareerPlugEmulator;
  let target: SyncCore;
  let accountId: number;
  const appsOf = (email: string, jobRemoteId: string) => [...emulator.data.apps.values()].filter((app) => app.app.email.toLowerCase() === email.toLowerCase() && String(app.job.id) === jobRemoteId);
  const remoteJob = (jobId: number) => target.db.prepare('SELECT remote_id FROM jobs WHERE id = ?').pluck().get(jobId) as string;
  const emailOf = (applicationId: number) => target.db.prepare('SELECT p.email FROM applications a JOIN applicants p ON p.id = a.applicant_id WHERE a.id = ?').pluck().get(applicationId) as string;
  /** A cached application whose person has jobs left to apply to, with those jobs. */
  const candidate = (skip: number[] = []) => {
    const ids = target.db.prepare('SELECT id FROM applications ORDER BY id').pluck().all() as number[];
    for (const applicationId of ids.filter((id) => !skip.includes(id))) {
      const targets = target.core.services.outbox.applyTargets(applicationId);
      if (targets.jobs.length > 0) return { applicationId, targets };
    }
    throw new Error('no application with a job left to apply to');
  };

  beforeAll(async () => {
    emulator = await startCareerPlugEmulator({ scale: 'small', seed: 5 });
    cleanup.push(() => emulator.close());
    target = await core();
    accountId = await addSandboxAccount(target, 'careerplug', emulator.ready);
    const [first] = await target.engine.run({ documents: false });
    expect(first?.error ?? null).toBe(null);
  }, 60_000);

  it('offers the account’s other jobs with their questions, queues the application offline, and sends it with the next sync', async () => {
    const { applicationId, targets } = candidate();
    expect(targets.offered).toBe(true);
    const ownJob = target.db.prepare('SELECT job_id FROM applications WHERE id = ?').pluck().get(applicationId) as number;
    expect(targets.jobs.map((job) => job.jobId)).not.toContain(ownJob);
    const job = targets.jobs[0] as ApplyTarget;
    expect(job.questions.length).toBeGreaterThan(0);
    const email = emailOf(applicationId);
    const item = target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) });
    expect(item).toMatchObject({ state: 'pending', kind: 'application.create', jobId: job.jobId });
    // Queued, not sent: nothing reached CareerPlug yet, and queuing it again is the same item.
    expect(appsOf(email, remoteJob(job.jobId))).toHaveLength(0);
    expect(target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) }).id).toBe(item.id);
    const [sync] = await target.engine.run({ documents: false });
    expect(sync?.ok).toBe(true);
    const sent = target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id);
    expect(sent).toMatchObject({ state: 'sent', lastError: null });
    const created = appsOf(email, remoteJob(job.jobId));
    expect(created).toHaveLength(1);
    expect(sent?.remoteId).toBe(String(created[0]?.id));
    // The same sync pulled it back: the person now has an application to that job locally, and is not offered it again.
    expect(target.db.prepare('SELECT count(*) FROM applications WHERE remote_id = ? AND job_id = ?').pluck().get(sent?.remoteId, job.jobId)).toBe(1);
    expect(target.core.services.outbox.applyTargets(applicationId).jobs.map((entry) => entry.jobId)).not.toContain(job.jobId);
    await expect(async () => target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) })).rejects.toMatchObject({ code: 'input.invalid', message: expect.stringContaining('already applied') });
  });

  it('refuses bad input with what to fix: a missing answer, an answer the job does not offer, a job of another account', async () => {
    const { applicationId, targets } = candidate();
    const job = targets.jobs[0] as ApplyTarget;
    const question = job.questions[0];
    if (!question) throw new Error('the job has no questions');
    expect(() => target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: [] })).toThrow(expect.objectContaining({ code: 'input.invalid', message: expect.stringContaining(question.name) }));
    if (question.choices.length > 0) {
      expect(() => target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job).map((answer) => ({ ...answer, value: 'Not an offered answer' })) })).toThrow(
        expect.objectContaining({ code: 'input.invalid', message: expect.stringContaining('is not one of the answers') }),
      );
    }
    expect(() => target.core.services.outbox.applyToJob({ applicationId, jobId: 999_999, answers: [] })).toThrow(expect.objectContaining({ code: 'input.invalid' }));
    expect(target.core.services.outbox.list(accountId).filter((entry) => entry.state === 'pending')).toHaveLength(0);
  });

  it('withdrawn before the sync, the application is never sent', async () => {
    const { applicationId, targets } = candidate();
    const job = targets.jobs[0] as ApplyTarget;
    const item = target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) });
    expect(target.core.services.outbox.withdraw(item.id)).toBe(item.id);
    await target.engine.run({ documents: false });
    expect(appsOf(emailOf(applicationId), remoteJob(job.jobId))).toHaveLength(0);
    expect(target.core.services.outbox.list(accountId).some((entry) => entry.id === item.id)).toBe(false);
    expect(() => target.core.services.outbox.withdraw(item.id)).toThrow(expect.objectContaining({ code: 'input.invalid' }));
  });

  it('a reply lost after CareerPlug created the app: not retried blindly, and the next sync finds it instead of applying twice', async () => {
    const { applicationId, targets } = candidate();
    const job = targets.jobs[0] as ApplyTarget;
    const email = emailOf(applicationId);
    const item = target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) });
    // The outbox is the sync's first API request: its reply is cut off after CareerPlug stored the app.
    await setFaults(emulator.ready.baseUrl, { reset: 1 });
    try {
      await target.engine.run({ documents: false });
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
    }
    expect(appsOf(email, remoteJob(job.jobId))).toHaveLength(1);
    const failed = target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.lastError).toMatch(/^network\.unreachable/);
    await target.engine.run({ documents: false });
    const created = appsOf(email, remoteJob(job.jobId));
    expect(created).toHaveLength(1);
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id)).toMatchObject({ state: 'sent', remoteId: String(created[0]?.id) });
  });

  it('a refused write (the job closed) ends failed with CareerPlug’s words, is not resent, and loses nothing', async () => {
    const { applicationId, targets } = candidate();
    const job = targets.jobs[0] as ApplyTarget;
    const item = target.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) });
    await control(emulator.ready.baseUrl, 'close-job', { jobId: Number(remoteJob(job.jobId)) });
    const before = target.db.prepare('SELECT count(*) FROM applications WHERE removed_at IS NULL').pluck().get() as number;
    const [sync] = await target.engine.run({ documents: false });
    expect(sync?.ok).toBe(true);
    const failed = target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed?.lastError).toMatch(/^provider\.validation: CareerPlug refused the application: “job_id \d+ is not accepting applications”/);
    expect(target.db.prepare('SELECT count(*) FROM applications WHERE removed_at IS NULL').pluck().get()).toBe(before);
    await target.engine.run({ documents: false });
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id)).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('SIGKILLed right after CareerPlug answered, the resumed sync records the app it made and sends nothing twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-outbox-kill-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const upstream = new URL(emulator.ready.baseUrl);
    let victim: ReturnType<typeof spawn> | null = null;
    // A pass-through in front of the API that kills the syncing process the moment CareerPlug has answered the POST.
    const proxy: Server = createServer((incoming, outgoing) => {
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (reply) => {
        if (incoming.method === 'POST' && incoming.url?.startsWith('/apps') && victim) {
          victim.kill('SIGKILL');
          reply.resume();
          outgoing.destroy();
          return;
        }
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
      });
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const proxied = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

    const first = await syncCore(dataDir, true);
    const account = await addSandboxAccount(first, 'careerplug', { ...emulator.ready, baseUrl: proxied });
    await first.engine.run({ documents: false });
    const applicationId = first.db.prepare('SELECT id FROM applications ORDER BY id DESC LIMIT 1').pluck().get() as number;
    // Not the job the previous test closed (the sync brought its `inactive` status).
    const job = first.core.services.outbox.applyTargets(applicationId).jobs.find((entry) => entry.status !== 'inactive') as ApplyTarget;
    const email = first.db.prepare('SELECT p.email FROM applications a JOIN applicants p ON p.id = a.applicant_id WHERE a.id = ?').pluck().get(applicationId) as string;
    const jobRemoteId = first.db.prepare('SELECT remote_id FROM jobs WHERE id = ?').pluck().get(job.jobId) as string;
    const item = first.core.services.outbox.applyToJob({ applicationId, jobId: job.jobId, answers: answersFor(job) });
    await first.close();

    const exit = await new Promise<{ signal: string | null }>((resolve, reject) => {
      victim = spawn(process.execPath, [child, dataDir], { stdio: ['ignore', 'ignore', 'ignore'] });
      victim.on('error', reject);
      victim.on('exit', (_code, signal) => resolve({ signal }));
    });
    expect(exit.signal).toBe('SIGKILL');
    expect(appsOf(email, jobRemoteId)).toHaveLength(1);

    const resumed = await core(dataDir);
    expect(resumed.core.services.outbox.list(account).find((entry) => entry.id === item.id)?.state).toBe('sending');
    const [sync] = await resumed.engine.run({ documents: false });
    expect(sync?.ok).toBe(true);
    const created = appsOf(email, jobRemoteId);
    expect(created).toHaveLength(1);
    expect(resumed.core.services.outbox.list(account).find((entry) => entry.id === item.id)).toMatchObject({ state: 'sent', remoteId: String(created[0]?.id) });
  }, 60_000);
});

describe('The Job Space: delete a posting', () => {
  let emulator: JobSpaceEmulator;
  let target: SyncCore;
  let accountId: number;
  const liveJob = () => target.db.prepare('SELECT id, remote_id AS remoteId FROM jobs WHERE removed_at IS NULL ORDER BY id LIMIT 1').get() as { id: number; remoteId: string };
  const deletedUpstream = (remoteId: string) => emulator.jobs.get(Number(remoteId))?.deleted_at !== null;

  beforeAll(async () => {
    emulator = await startJobSpaceEmulator({ scale: 'small', seed: 4 });
    cleanup.push(() => emulator.close());
    target = await core();
    accountId = await addSandboxAccount(target, 'jobspace', emulator.ready);
    const [first] = await target.engine.run({ documents: false });
    expect(first?.error ?? null).toBe(null);
  }, 60_000);

  it('queues the deletion, sends it with the next sync, and the posting is gone locally after that sync and the next', async () => {
    const job = liveJob();
    const item = target.core.services.outbox.deletePosting(job.id);
    expect(item).toMatchObject({ kind: 'job.delete', state: 'pending', jobId: job.id });
    expect(target.core.services.outbox.deletePosting(job.id).id).toBe(item.id);
    expect(deletedUpstream(job.remoteId)).toBe(false);
    const [sync] = await target.engine.run({ documents: false });
    expect(sync?.ok).toBe(true);
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id)).toMatchObject({ state: 'sent', remoteId: job.remoteId });
    expect(deletedUpstream(job.remoteId)).toBe(true);
    expect(target.db.prepare('SELECT removed_at IS NOT NULL FROM jobs WHERE id = ?').pluck().get(job.id)).toBe(1);
    await target.engine.run({ documents: false });
    expect(target.db.prepare('SELECT removed_at IS NOT NULL FROM jobs WHERE id = ?').pluck().get(job.id)).toBe(1);
    expect(() => target.core.services.outbox.deletePosting(job.id)).toThrow(expect.objectContaining({ code: 'input.invalid', message: expect.stringContaining('already gone') }));
  });

  it('a lost reply or a crash after the board deleted it: the resumed delete’s 404 counts as done', async () => {
    const job = liveJob();
    const item = target.core.services.outbox.deletePosting(job.id);
    await setFaults(emulator.ready.baseUrl, { reset: 1 });
    try {
      await target.engine.run({ documents: false });
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
    }
    expect(deletedUpstream(job.remoteId)).toBe(true);
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id)?.state).toBe('failed');
    // As a SIGKILL after the send leaves it: in "sending".
    target.db.prepare("UPDATE outbox SET state = 'sending' WHERE id = ?").run(item.id);
    const [sync] = await target.engine.run({ documents: false });
    expect(sync?.ok).toBe(true);
    expect(target.core.services.outbox.list(accountId).find((entry) => entry.id === item.id)).toMatchObject({ state: 'sent', remoteId: job.remoteId, lastError: null });
  });

  it('withdrawn before the sync, the posting stays on the board', async () => {
    const job = liveJob();
    const item = target.core.services.outbox.deletePosting(job.id);
    target.core.services.outbox.withdraw(item.id);
    await target.engine.run({ documents: false });
    expect(deletedUpstream(job.remoteId)).toBe(false);
    expect(target.db.prepare('SELECT removed_at FROM jobs WHERE id = ?').pluck().get(job.id)).toBe(null);
  });
});

describe('The Job Space: a 2017-05 board, which has no admin API', () => {
  const posting = (accountId: number) => ({
    accountId,
    title: 'Lecturer in Economics',
    reference: 'DOSSIER-2017-05',
    summary: 'Permanent post',
    description: 'All fields.',
    jobType: 'full-time',
    jobCategory: 'academic',
    country: 'GB',
    locality: 'York',
    openDate: '2026-11-01',
    closeDate: '2026-12-15',
    salaryText: 'Competitive',
  });

  it('refuses a write queued before the first sync when it is sent, then refuses new ones at once, posting nothing', async () => {
    const emulator = await startJobSpaceEmulator({ scale: 'small', seed: 4, strictness: { board: '2017-05' } });
    cleanup.push(() => emulator.close());
    const target = await core();
    const accountId = await addSandboxAccount(target, 'jobspace', emulator.ready);
    const jobsBefore = emulator.jobs.size;
    // Nothing says yet which API the board runs: the write is queued and tried.
    const early = target.core.services.outbox.savePosting(posting(accountId));
    const [sync] = await target.engine.run({ documents: false });
    expect(sync?.error ?? null).toBe(null);
    const sent = target.core.services.outbox.list(accountId).find((entry) => entry.id === early.id);
    expect(sent?.state).toBe('failed');
    expect(sent?.lastError).toMatch(/^provider\.unsupported: .*2017-05 API/);
    expect(emulator.jobs.size).toBe(jobsBefore);
    // Now the board is known: new writes are refused before they are queued.
    expect(() => target.core.services.outbox.savePosting({ ...posting(accountId), reference: 'DOSSIER-2017-06' })).toThrow(expect.objectContaining({ code: 'provider.unsupported', message: expect.stringContaining('board’s own admin site') }));
    const job = target.db.prepare('SELECT id FROM jobs WHERE removed_at IS NULL LIMIT 1').pluck().get() as number;
    expect(() => target.core.services.outbox.deletePosting(job)).toThrow(expect.objectContaining({ code: 'provider.unsupported' }));
  });
});

describe('JyMob', () => {
  it('does not offer applying someone else, and says why', async () => {
    const emulator = await jymobEmulator.start({ scale: 'small', seed: 3 });
    cleanup.push(() => emulator.close());
    const target = await core();
    const { accessToken } = (await control(emulator.ready.baseUrl, 'personal-token')) as { accessToken: string };
    await addSandboxAccount(target, 'jymob', emulator.ready, { token: accessToken });
    await target.engine.run({ documents: false });
    const applicationId = target.db.prepare('SELECT id FROM applications LIMIT 1').pluck().get() as number;
    const targets = target.core.services.outbox.applyTargets(applicationId);
    expect(targets).toMatchObject({ offered: false, jobs: [] });
    expect(targets.reason).toMatch(/resume/);
    const jobId = target.db.prepare('SELECT id FROM jobs LIMIT 1').pluck().get() as number;
    expect(() => target.core.services.outbox.applyToJob({ applicationId, jobId, answers: [] })).toThrow(expect.objectContaining({ code: 'provider.unsupported' }));
  });
});
