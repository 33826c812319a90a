import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { runCli } from '../helpers/cli.ts';

/** `dossier sync`, `dossier status` and `dossier search` against the EconJobMarket emulator. */

let emulator: StartedEjm;
let dataDir: string;
const env = () => ({ DOSSIER_PASSPHRASE: 'cli sync passphrase', DOSSIER_CLIENT_SECRET: emulator.ready.clientSecret });

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 2 });
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-sync-cli-'));
  const added = await runCli(['--data-dir', dataDir, 'accounts', 'add', '--provider', 'ejm', '--name', 'Econ', '--base-url', emulator.ready.baseUrl, '--token-url', emulator.ready.tokenUrl, '--client-id', emulator.ready.clientId], env());
  expect(added.code, added.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await emulator?.close();
});

describe('dossier sync, status and search', () => {
  it('syncs metadata with --no-documents, printing plain progress lines off a terminal', async () => {
    const result = await runCli(['--data-dir', dataDir, 'sync', 'Econ', '--no-documents'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Econ: Applications');
    expect(result.stderr).toContain('Econ: Indexing for search');
    expect(result.stderr).not.toContain('\r');
    expect(result.stdout).toMatch(/^Econ: ok — changed: applicants 30, applications 36/);
    expect(result.stdout).toMatch(/still owed [1-9]\d*/);
  }, 60_000);

  it('reports the owed downloads in status, then fetches them with a full sync (--json)', async () => {
    const before = await runCli(['--data-dir', dataDir, '--json', 'status'], env());
    const owed = (JSON.parse(before.stdout) as { accounts: { pendingDownloads: number; lastError: unknown }[] }).accounts[0];
    expect(owed?.pendingDownloads).toBeGreaterThan(0);
    expect(owed?.lastError).toBe(null);
    const result = await runCli(['--data-dir', dataDir, '--json', 'sync'], env());
    expect(result.code, result.stderr).toBe(0);
    const [synced] = (JSON.parse(result.stdout) as { results: { account: string; ok: boolean; counts: Record<string, number> }[] }).results;
    expect(synced).toMatchObject({ account: 'Econ', ok: true });
    expect(synced?.counts.downloaded).toBe(owed?.pendingDownloads);
    const after = await runCli(['--data-dir', dataDir, '--json', 'status'], env());
    expect((JSON.parse(after.stdout) as { accounts: { pendingDownloads: number; counts: Record<string, number> }[] }).accounts[0]).toMatchObject({ pendingDownloads: 0, counts: { applications: 36 } });
  }, 120_000);

  it('searches with highlighted snippets', async () => {
    const text = await runCli(['--data-dir', dataDir, 'search', 'economics'], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\[economics\]/i);
    const json = await runCli(['--data-dir', dataDir, '--json', 'search', 'economics'], env());
    const parsed = JSON.parse(json.stdout) as { hits: { snippet: string; applicationId: number | null }[] };
    expect(parsed.hits.length).toBeGreaterThan(0);
    expect(parsed.hits.some((hit) => hit.snippet.includes('\uE000'))).toBe(true);
  });

  it('fails with a clear message and a non-zero exit for an unknown account', async () => {
    const result = await runCli(['--data-dir', dataDir, 'sync', 'Nope'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nope/);
  });
});

describe('dossier demo', () => {
  it('starts every sandbox, connects and syncs an account for each through the real sign-in path, and re-points them on the next run', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'dossier-demo-'));
    try {
      // No DOSSIER_PASSPHRASE and no terminal: the demo's sandbox secrets never reach the vault.
      const demoEnv = {};
      for (let run = 0; run < 2; run += 1) {
        const result = await runCli(['--data-dir', demoDir, '--json', 'demo', '--once', '--no-documents'], demoEnv);
        expect(result.code, result.stderr).toBe(0);
        const { accounts } = JSON.parse(result.stdout) as { accounts: { provider: string; signedIn: boolean; synced: boolean; error: unknown }[] };
        expect(accounts.map((account) => account.provider).sort()).toEqual(['careerplug', 'ejm', 'infojobs', 'jobspace', 'jymob']);
        for (const account of accounts) expect(account, JSON.stringify(account.error)).toMatchObject({ signedIn: true, synced: true });
        expect(result.stderr).toMatch(/InfoJobs \(sandbox\): the sandbox's consent page was approved on your behalf/);
      }
      const status = await runCli(['--data-dir', demoDir, '--json', 'status'], {});
      expect((JSON.parse(status.stdout) as { accounts: unknown[] }).accounts).toHaveLength(5);
      expect(existsSync(join(demoDir, 'vault.json'))).toBe(false);
    } finally {
      rmSync(demoDir, { recursive: true, force: true });
    }
  }, 120_000);
});
