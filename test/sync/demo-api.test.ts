import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/domain.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { browserHostVault } from '../../electron/web/vault.ts';
import { sandboxLauncher } from '../../electron/host/sandboxes.ts';
import { silentLogger } from '../../electron/core/base/log.ts';

/**
 * `demo.start` through the contract's dispatch, as the onboarding screen's button calls it, with the
 * sandboxes the hosts hand the core, and the vault a new user's browser host has: no DOSSIER_PASSPHRASE,
 * no terminal (and, on this machine, no system keyring).
 */

let dataDir: string;
let core: Core | undefined;

async function openDemoCore(): Promise<Core> {
  const vault = browserHostVault(dataDir, { stdin: new PassThrough(), stderr: new PassThrough(), env: {} }, silentLogger);
  return createCore({ dataDir, vault, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger, sandboxes: sandboxLauncher });
}

async function startDemo(on: Core): Promise<Account[]> {
  const outcome = await on.dispatch('demo.start', {});
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return (outcome.result as { accounts: Account[] }).accounts;
}

/** Resolves with each account's sync outcome once `count` syncs have finished. */
function syncsFinished(on: Core, count: number): Promise<Map<number, boolean>> {
  const outcomes = new Map<number, boolean>();
  return new Promise((resolve) => {
    const off = on.events.on('sync.finished', (event) => {
      outcomes.set(event.accountId, event.ok);
      if (outcomes.size === count) {
        off();
        resolve(outcomes);
      }
    });
  });
}

function openedCore(): Core {
  if (core === undefined) throw new Error('the first test opens the core');
  return core;
}

async function listAccounts(on: Core): Promise<Account[]> {
  const outcome = await on.dispatch('accounts.list', {});
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result as Account[];
}

const idsAndUrls = (accounts: readonly Account[]) => accounts.map((account) => `${account.id} ${account.baseUrl}`).sort();

const signedInProviders = ['careerplug', 'ejm', 'infojobs', 'jobspace', 'jymob'];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-demo-api-'));
});

afterAll(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo.start', () => {
  it('connects an account to each sandbox, signs each in (InfoJobs\' consent approved by the sandbox), and syncs them in the background, without a passphrase', async () => {
    core = await openDemoCore();
    const progress: number[] = [];
    core.events.on('sync.progress', (event) => progress.push(event.accountId));
    const finished = syncsFinished(core, signedInProviders.length);
    const accounts = await startDemo(core);
    expect(accounts.map((account) => account.provider).sort()).toEqual(['careerplug', 'ejm', 'infojobs', 'jobspace', 'jymob']);
    for (const account of accounts) expect(account.state).toMatch(/^(signed_in|syncing)$/);
    const outcomes = await finished;
    expect([...outcomes.values()]).toEqual(signedInProviders.map(() => true));
    expect(new Set(progress)).toEqual(new Set(outcomes.keys()));
    const jobs = await core.dispatch('jobs.list', {});
    expect(jobs.ok && (jobs.result as unknown[]).length).toBeGreaterThan(0);
    // The sandbox credentials stayed in memory: no vault file was started for them.
    expect(existsSync(join(dataDir, 'vault.json'))).toBe(false);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('vault'))).toEqual([]);
  }, 90_000);

  it('is idempotent: a second request returns the same accounts without restarting or re-pointing the sandboxes', async () => {
    const running = openedCore();
    const before = await listAccounts(running);
    const signedOut: number[] = [];
    running.events.on('account.state', (account) => {
      if (account.state === 'signed_out') signedOut.push(account.id);
    });
    const finished = syncsFinished(running, signedInProviders.length);
    const again = await startDemo(running);
    expect(idsAndUrls(again)).toEqual(idsAndUrls(before));
    expect(signedOut).toEqual([]);
    expect([...(await finished).values()]).toEqual(signedInProviders.map(() => true));
  }, 90_000);

  it('after the core restarts, starts the sandboxes again on the ports the accounts point at and syncs', async () => {
    const before = await listAccounts(openedCore());
    await openedCore().close();
    const unreachable = await fetch(before[0]?.baseUrl ?? '').then(() => false, () => true);
    expect(unreachable).toBe(true);
    core = await openDemoCore();
    const finished = syncsFinished(core, signedInProviders.length);
    const accounts = await startDemo(core);
    expect(idsAndUrls(accounts)).toEqual(idsAndUrls(before));
    expect([...(await finished).values()]).toEqual(signedInProviders.map(() => true));
  }, 90_000);
});
