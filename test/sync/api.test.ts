import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core.ts';
import { FileVault } from '../../electron/host/file-vault.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { jobspaceEmulator } from '../../electron/sandbox/jobspace/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';

/** The sync, outbox, search and postings handlers through the contract's dispatch, as the UI calls them. */

let emulator: StartedEmulator;
let core: Core;
let dataDir: string;

const call = async (name: string, input: unknown) => {
  const outcome = await core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result;
};

beforeAll(async () => {
  emulator = await jobspaceEmulator.start({ scale: 'small', seed: 4 });
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-sync-api-'));
  const vault = await FileVault.open(join(dataDir, 'vault.json'), 'api test passphrase', { cost: { N: 2 ** 10, r: 8, p: 1 } });
  core = createCore({ dataDir, vault, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
});

afterAll(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
  await emulator?.close();
});

describe('sync through the API contract', () => {
  it('starts a sync, reports progress and its end as events, and shows the result in sync.status', async () => {
    const account = (await call('accounts.add', { provider: 'jobspace', name: 'Board', baseUrl: emulator.ready.baseUrl, tokenUrl: emulator.ready.tokenUrl, clientId: emulator.ready.clientId, clientSecret: emulator.ready.clientSecret, grant: 'client_credentials' })) as { id: number };
    const progress: string[] = [];
    core.events.on('sync.progress', (event) => progress.push(event.phase));
    const finished = new Promise((resolve) => core.events.on('sync.finished', resolve));
    expect(await call('sync.start', { accountIds: [account.id] })).toEqual({ started: [account.id] });
    const busy = await core.dispatch('sync.start', { accountIds: [account.id] });
    expect(busy.ok ? null : busy.error.code).toBe('sync.busy');
    expect(await finished).toEqual({ accountId: account.id, ok: true, error: null, unfinishedLists: 0 });
    expect(progress).toContain('jobs');
    const [status] = (await call('sync.status', {})) as { running: boolean; counts: Record<string, number>; lastError: unknown }[];
    expect(status).toMatchObject({ running: false, lastError: null });
    expect(status?.counts.jobs).toBeGreaterThan(0);
    const lookups = (await call('lookups.list', { accountId: account.id })) as { kind: string }[];
    expect(new Set(lookups.map((lookup) => lookup.kind))).toEqual(new Set(['country', 'job_type', 'job_category']));
    const unknown = await core.dispatch('sync.start', { accountIds: [999] });
    expect(unknown.ok ? null : unknown.error.code).toBe('account.not_found');
  });

  it('queues a posting, sends it at once, and lists it in the outbox', async () => {
    const [account] = (await call('accounts.list', {})) as { id: number }[];
    const lookups = (await call('lookups.list', { accountId: account?.id })) as { kind: string; remoteId: string }[];
    const pick = (kind: string) => lookups.find((lookup) => lookup.kind === kind)?.remoteId;
    const finished = new Promise((resolve) => core.events.on('sync.finished', resolve));
    const item = (await call('postings.save', { accountId: account?.id, title: 'Lecturer in Economics', reference: 'DOSSIER-API-1', description: 'Teaching and research.', jobType: pick('job_type'), jobCategory: pick('job_category'), country: pick('country'), openDate: '2026-11-01', closeDate: '2026-12-01' })) as { id: number; state: string };
    expect(item.state).toBe('pending');
    await finished;
    const outbox = (await call('outbox.list', { accountId: account?.id })) as { id: number; state: string; remoteId: string | null }[];
    expect(outbox.find((entry) => entry.id === item.id)).toMatchObject({ state: 'sent' });
    const hits = (await call('search.query', { query: 'Lecturer' })) as unknown[];
    expect(Array.isArray(hits)).toBe(true);
    const retry = await core.dispatch('outbox.retry', { id: item.id });
    expect(retry.ok ? null : retry.error.code).toBe('input.invalid');
  });
});
