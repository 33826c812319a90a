import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyTargets } from '../../shared/api/writes.ts';
import type { OutboxItem } from '../../shared/domain.ts';
import { startCareerPlugEmulator, type CareerPlugEmulator } from '../../electron/sandbox/careerplug/server.ts';
import { startJobSpaceEmulator, type JobSpaceEmulator } from '../../electron/sandbox/jobspace/server.ts';
import { runCli } from '../helpers/cli.ts';

/** `dossier apply`, `dossier postings delete` and `dossier outbox list|withdraw` against the emulators. */

let careerplug: CareerPlugEmulator;
let jobspace: JobSpaceEmulator;
let dataDir: string;
const passphrase = 'cli writes passphrase';
const dossier = (args: string[], secret = '') => runCli(['--data-dir', dataDir, ...args], { DOSSIER_PASSPHRASE: passphrase, ...(secret ? { DOSSIER_CLIENT_SECRET: secret } : {}) });

beforeAll(async () => {
  careerplug = await startCareerPlugEmulator({ scale: 'small', seed: 8 });
  jobspace = await startJobSpaceEmulator({ scale: 'small', seed: 8 });
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-writes-cli-'));
  for (const [name, provider, ready] of [['Gyms', 'careerplug', careerplug.ready], ['Board', 'jobspace', jobspace.ready]] as const) {
    const added = await dossier(['accounts', 'add', '--provider', provider, '--name', name, '--base-url', ready.baseUrl, '--token-url', ready.tokenUrl, '--client-id', ready.clientId], ready.clientSecret);
    expect(added.code, added.stderr).toBe(0);
  }
  const synced = await dossier(['sync', '--no-documents']);
  expect(synced.code, synced.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await careerplug?.close();
  await jobspace?.close();
});

describe('dossier apply', () => {
  it('lists the jobs a person can take with their questions, refuses a missing answer (non-zero exit), queues, withdraws, and sends with sync', async () => {
    const searched = await dossier(['--json', 'search', 'a', '--limit', '1']);
    const applicationId = (JSON.parse(searched.stdout) as { hits: { applicationId: number | null }[] }).hits.find((hit) => hit.applicationId !== null)?.applicationId;
    expect(applicationId).toBeTypeOf('number');
    const listed = await dossier(['--json', 'apply', '--application', String(applicationId)]);
    expect(listed.code, listed.stderr).toBe(0);
    const targets = JSON.parse(listed.stdout) as ApplyTargets;
    const job = targets.jobs.find((entry) => entry.questions.length > 0);
    if (!job) throw new Error('no job with questions');

    const missing = await dossier(['apply', '--application', String(applicationId), '--job', String(job.jobId)]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(job.questions[0]?.name);

    const answers = job.questions.flatMap((question) => ['--answer', `${question.id}=${question.choices[0] ?? 'Yes'}`]);
    const first = await dossier(['--json', 'apply', '--application', String(applicationId), '--job', String(job.jobId), ...answers]);
    expect(first.code, first.stderr).toBe(0);
    const item = (JSON.parse(first.stdout) as { item: OutboxItem }).item;
    expect(item).toMatchObject({ state: 'pending', kind: 'application.create' });
    const withdrawn = await dossier(['outbox', 'withdraw', String(item.id)]);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toContain(`Withdrew #${item.id}`);

    const again = await dossier(['apply', '--application', String(applicationId), '--job', String(job.jobId), ...answers]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Queued #\d+: Apply .* It is sent with the next: dossier sync "Gyms"/);
    const before = careerplug.data.apps.size;
    const synced = await dossier(['sync', 'Gyms', '--no-documents']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(careerplug.data.apps.size).toBe(before + 1);
    const outbox = JSON.parse((await dossier(['--json', 'outbox', 'list'])).stdout) as { items: OutboxItem[] };
    expect(outbox.items.filter((entry) => entry.kind === 'application.create').map((entry) => entry.state)).toEqual(['sent']);
  }, 60_000);
});

describe('dossier postings delete', () => {
  it('queues the deletion of a posting, the sync sends it, and a sent change cannot be withdrawn', async () => {
    const [remoteId] = [...jobspace.jobs.keys()];
    const queued = await dossier(['--json', 'postings', 'delete', String(remoteId), '--account', 'Board']);
    expect(queued.code, queued.stderr).toBe(0);
    const item = (JSON.parse(queued.stdout) as { item: OutboxItem }).item;
    expect(item).toMatchObject({ kind: 'job.delete', state: 'pending' });
    expect(jobspace.jobs.get(Number(remoteId))?.deleted_at).toBe(null);
    const synced = await dossier(['sync', 'Board', '--no-documents']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(jobspace.jobs.get(Number(remoteId))?.deleted_at).not.toBe(null);
    const late = await dossier(['outbox', 'withdraw', String(item.id)]);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toContain('already sent');
    const unknown = await dossier(['postings', 'delete', '999999', '--account', 'Board']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('has no job with id "999999"');
  }, 60_000);
});
