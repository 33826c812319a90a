import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { dataPaths } from '../../electron/core/base/paths.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { FileVault } from '../../electron/host/file-vault.ts';
import { vaultOnFirstUse } from '../../electron/host/host-vault.ts';
import { runCli } from '../helpers/cli.ts';
import { seedDataDir, type SeedResult } from '../fixtures/seed.ts';
import { spawnCommitteeServer, type SpawnedCommitteeServer } from './server-process.ts';

/**
 * A core opens the committees joined here only when something asks about one (or a host showing
 * the UI asks for them live): a short command that touches none must not open the vault, which on
 * the command line can mean asking for the passphrase. The vault is the one the command line uses,
 * opened on first use; the committee server is a real process on 127.0.0.1.
 */

const scryptCost = { N: 2 ** 10, r: 8, p: 1 };
let dataDir: string;
let serverDir: string;
let server: SpawnedCommitteeServer;
let seeded: SeedResult;
let committeeId: string;

/** A core on the data folder whose vault counts how often it was opened. */
function openCore(): { core: Core; vaultOpens: () => number } {
  let opens = 0;
  const vault = vaultOnFirstUse(async () => {
    opens += 1;
    return FileVault.open(dataPaths(dataDir).vault, 'open on use passphrase', { cost: scryptCost });
  });
  const core = createCore({ dataDir, vault, openExternal: async () => undefined, host: 'cli', documentUrl: (id) => `dossier://document/${id}`, logger: silentLogger });
  return { core, vaultOpens: () => opens };
}

async function call<Name extends ApiName>(core: Core, name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
  const outcome = await core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result as ApiResult<Name>;
}

/** A local application of the job, or of any other job. */
function applicationOf(core: Core, jobId: number, sameJob: boolean): number {
  const row = core.storage.db.prepare(`SELECT id FROM applications WHERE job_id ${sameJob ? '=' : '<>'} ? ORDER BY id LIMIT 1`).get(jobId) as { id: number } | undefined;
  if (!row) throw new Error(`no application ${sameJob ? 'of' : 'outside'} job ${jobId}`);
  return row.id;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-open-on-use-'));
  serverDir = mkdtempSync(join(tmpdir(), 'dossier-open-on-use-server-'));
  seeded = await seedDataDir(dataDir, { applications: 12, documents: 'none', seed: 5 });
  server = await spawnCommitteeServer({ dataDir: serverDir });
  const { core } = openCore();
  try {
    const created = await call(core, 'committee.create', { name: 'Search 2027', serverUrl: server.url, accountId: seeded.accountId, jobIds: [seeded.jobIds[0] as number], memberName: 'Chair' });
    committeeId = created.id;
  } finally {
    await core.close();
  }
}, 60_000);

afterAll(async () => {
  await server?.stop().catch(() => undefined);
  for (const dir of [dataDir, serverDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('committees on first use', () => {
  it('a core started and stopped without touching a committee never opens the vault, even when a job outside it is rated', async () => {
    const { core, vaultOpens } = openCore();
    try {
      await call(core, 'accounts.list', {});
      await call(core, 'applicants.list', { filter: {} });
      await call(core, 'annotations.setRating', { applicationId: applicationOf(core, seeded.jobIds[0] as number, false), rating: 2 });
    } finally {
      await core.close();
    }
    expect(vaultOpens()).toBe(0);
  });

  it('`dossier status` leaves the vault shut: a wrong passphrase goes unnoticed until a committee command', async () => {
    const env = { DOSSIER_VAULT: 'file', DOSSIER_PASSPHRASE: 'not the passphrase' };
    const logged = () => (existsSync(dataPaths(dataDir).logFile) ? readFileSync(dataPaths(dataDir).logFile, 'utf8') : '');
    const status = await runCli(['--data-dir', dataDir, 'status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(logged()).not.toContain('committee.open_failed');
    // The same vault, asked for the committee's keys, is opened and refuses the passphrase.
    await runCli(['--data-dir', dataDir, 'committee', 'list'], env);
    expect(logged()).toContain('committee.open_failed');
  });

  it('opens the committees for a rating on a committee job and publishes it before the core closes', async () => {
    const jobId = seeded.jobIds[0] as number;
    const rated = openCore();
    const applicationId = applicationOf(rated.core, jobId, true);
    try {
      await call(rated.core, 'annotations.setRating', { applicationId, rating: 4 });
    } finally {
      await rated.core.close();
    }
    expect(rated.vaultOpens()).toBe(1);

    const listed = openCore();
    try {
      expect(listed.vaultOpens()).toBe(0);
      const [committee] = await call(listed.core, 'committee.list', {});
      expect(committee).toMatchObject({ id: committeeId, name: 'Search 2027' });
      expect(listed.vaultOpens()).toBe(1);
      const tally = await call(listed.core, 'committee.tally', { committeeId, sort: 'name', filter: 'all' });
      const row = tally.rows.find((candidate) => candidate.applicationId === applicationId);
      expect(row?.verdicts.find((verdict) => verdict.memberId === committee?.memberId)?.rating).toBe(4);
    } finally {
      await listed.core.close();
    }
  });
});
