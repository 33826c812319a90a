import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { runCli } from '../helpers/cli.ts';
import { addSandboxAccount, setFaults, syncCore } from './helpers.ts';
import { startDossier, startNode, type ProcessResult } from './processes.ts';

const openDatabaseChild = join(import.meta.dirname, 'open-database-child.ts');

/**
 * One profile shared by several real `dossier` processes, and the faults that must lose nothing:
 * two syncs of one account at once, a crowd opening a new database, a sync killed with SIGKILL, a
 * full disk (a size-limited tmpfs) and a list reply of a gigabyte from a real HTTP server.
 */

let emulator: StartedEjm;
const dirs: string[] = [];
const env = () => ({ DOSSIER_PASSPHRASE: 'shared profile passphrase', DOSSIER_CLIENT_SECRET: emulator.ready.clientSecret });

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 11 });
}, 60_000);

afterEach(async () => {
  await setFaults(emulator.ready.baseUrl, { latencyMs: 0 });
});

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await emulator?.close();
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-shared-'));
  dirs.push(dir);
  return dir;
}

async function addAccount(dataDir: string, baseUrl = emulator.ready.baseUrl): Promise<void> {
  const added = await runCli(['--data-dir', dataDir, 'accounts', 'add', '--provider', 'ejm', '--name', 'Econ', '--base-url', baseUrl, '--token-url', emulator.ready.tokenUrl, '--client-id', emulator.ready.clientId], env());
  expect(added.code, added.stderr).toBe(0);
}

function jsonError(result: ProcessResult): { code: string; message: string } | null {
  const line = result.stderr.split('\n').find((candidate) => candidate.startsWith('{"error"'));
  return line === undefined ? null : (JSON.parse(line) as { error: { code: string; message: string } }).error;
}

function accountRow(dataDir: string): { state: string; unfinishedRuns: number } {
  const db = openDatabase(join(dataDir, 'dossier.db'));
  try {
    return {
      state: db.prepare('SELECT state FROM accounts').pluck().get() as string,
      unfinishedRuns: db.prepare('SELECT count(*) FROM sync_runs WHERE outcome IS NULL').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

describe('several processes on one profile', () => {
  it('lets two `dossier sync` runs of one account end well: one syncs, the other says which process holds the account', async () => {
    const dataDir = newDataDir();
    await addAccount(dataDir);
    // Slow replies so the two syncs overlap for certain.
    await setFaults(emulator.ready.baseUrl, { latencyMs: 40 });
    const results = await Promise.all([0, 1].map(() => startDossier(['--data-dir', dataDir, '--json', 'sync', 'Econ', '--no-documents'], env()).done));
    for (const result of results) {
      expect(result.stderr).not.toMatch(/internal|Something went wrong|SQLITE/);
      expect(result.signal).toBe(null);
    }
    const succeeded = results.filter((result) => result.code === 0);
    const refused = results.filter((result) => result.code !== 0);
    expect(succeeded.length, results.map((result) => result.stderr).join('\n---\n')).toBeGreaterThanOrEqual(1);
    for (const result of refused) {
      const error = jsonError(result);
      expect(error?.code).toBe('sync.busy');
      expect(error?.message).toMatch(/process \d+ on \S+ \(since \d{4}-/);
    }
    expect(accountRow(dataDir)).toEqual({ state: 'signed_in', unfinishedRuns: 0 });
  }, 60_000);

  it('opens a new database from twelve processes at once, every one succeeding', async () => {
    const file = join(newDataDir(), 'dossier.db');
    // Each child sleeps until the same instant, so their opens (and migrations) truly overlap.
    const at = String(Date.now() + 1_500);
    const results = await Promise.all(Array.from({ length: 12 }, () => startNode([openDatabaseChild, file, at]).done));
    for (const result of results) expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: 'opened\n', stderr: '' });
  }, 60_000);

  it('recovers an account a SIGKILLed sync left in `syncing`; the next sync completes', async () => {
    const dataDir = newDataDir();
    await addAccount(dataDir);
    await setFaults(emulator.ready.baseUrl, { latencyMs: 40 });
    const killed = startDossier(['--data-dir', dataDir, 'sync', 'Econ', '--no-documents'], env());
    await killed.stderrLine(/Econ: Applications/);
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(accountRow(dataDir)).toMatchObject({ state: 'syncing', unfinishedRuns: 1 });
    await setFaults(emulator.ready.baseUrl, { latencyMs: 0 });

    const status = await startDossier(['--data-dir', dataDir, '--json', 'status'], env()).done;
    expect(status.code, status.stderr).toBe(0);
    const [account] = (JSON.parse(status.stdout) as { accounts: { state: string; lastError: { code: string } | null }[] }).accounts;
    expect(account?.state).not.toBe('syncing');
    expect(account?.lastError?.code).toBe('sync.interrupted');
    expect(accountRow(dataDir).unfinishedRuns).toBe(0);

    const next = await startDossier(['--data-dir', dataDir, '--json', 'sync', 'Econ', '--no-documents'], env()).done;
    expect(next.code, next.stderr).toBe(0);
    expect(accountRow(dataDir)).toEqual({ state: 'signed_in', unfinishedRuns: 0 });
  }, 90_000);
});

/**
 * A real full disk: a tmpfs of 24 MB, which root may mount on the machines this suite runs on. Where
 * mounting is refused (no privilege), the test is reported as skipped with the reason, never as passed.
 */
function mountSmallDisk(): { mountPoint: string; refused: string | null } {
  const mountPoint = mkdtempSync(join(tmpdir(), 'dossier-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return { mountPoint, refused: null };
  } catch (error) {
    rmSync(mountPoint, { recursive: true, force: true });
    return { mountPoint, refused: String((error as { stderr?: Buffer }).stderr ?? error).trim() };
  }
}

const smallDisk = mountSmallDisk();
const noDisk = smallDisk.refused === null ? '' : ` [skipped: a size-limited filesystem cannot be mounted here (${smallDisk.refused})]`;
// The default reporter names skipped tests only in a summary count; this line says which and why.
if (noDisk !== '') console.warn(`full-disk test${noDisk}`);

describe('a full disk', () => {
  const { mountPoint } = smallDisk;

  afterAll(() => {
    if (smallDisk.refused !== null) return;
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it.skipIf(smallDisk.refused !== null)(`ends the sync with disk.full naming the folder, records the run, and leaves no download worker running${noDisk}`, async () => {
    const dataDir = join(mountPoint, 'profile');
    mkdirSync(dataDir);
    const profile = await syncCore(dataDir, true);
    let closed = false;
    onTestFinished(async () => {
      if (!closed) await profile.close();
    });
    await addSandboxAccount(profile, 'ejm', emulator.ready);
    const [metadata] = await profile.engine.run({ documents: false });
    expect(metadata?.ok, JSON.stringify(metadata?.error)).toBe(true);
    // Leave a sliver of space: a few documents fit, then the disk is full.
    fillDisk(mountPoint, 256 * 1024);

    const [result] = await profile.engine.run({ documents: true });
    expect(result?.error?.code, JSON.stringify(result?.error)).toBe('disk.full');
    expect(result?.error?.message).toContain(dataDir);
    const finishedAt = profile.events.findIndex((event) => event.name === 'sync.finished' && (event.payload as { ok: boolean }).ok === false);
    // Every worker has stopped before the sync reports its end: nothing after it reports progress.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(profile.events.slice(finishedAt + 1).map((event) => event.name)).toEqual([]);
    const run = profile.db.prepare('SELECT outcome, error_code AS errorCode FROM sync_runs ORDER BY id DESC LIMIT 1').get();
    expect(run).toEqual({ outcome: 'error', errorCode: 'disk.full' });
    expect(profile.db.prepare('SELECT state FROM accounts').pluck().get()).toBe('error');
    closed = true;
    await profile.close();
    const temp = readdirSync(join(dataDir, 'tmp'));
    expect(temp.filter((name) => name.endsWith('.part'))).toEqual([]);
  }, 60_000);
});

/** Writes a filler file until the filesystem refuses, then frees `leaveBytes`. */
function fillDisk(mountPoint: string, leaveBytes: number): void {
  const filler = join(mountPoint, 'filler');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  } catch {
    // dd stops with "No space left on device": the disk is now full.
  }
  execFileSync('truncate', ['-s', `-${leaveBytes}`, filler]);
}

describe('a list reply far larger than any list', () => {
  let proxy: Server;
  let sentBytes = 0;

  beforeAll(async () => {
    // The emulator behind a real proxy that answers the applicants list with a gigabyte of JSON, streamed.
    const upstream = new URL(emulator.ready.baseUrl);
    proxy = createServer((request, response) => {
      if (request.url?.startsWith('/api/applicants')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        const record = Buffer.from(`${JSON.stringify({ id: 1, name: 'x'.repeat(1000) })},`);
        const total = 1024 ** 3;
        let sent = 0;
        const pump = (): void => {
          while (sent < total) {
            sent += record.length;
            sentBytes += record.length;
            if (!response.write(record)) return void response.once('drain', pump);
          }
          response.end('{}]}');
        };
        response.write('{"data":[');
        pump();
        return;
      }
      const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers }, (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      });
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('refuses it with a clear error naming the endpoint, the process staying alive and its memory bounded', async () => {
    const dataDir = newDataDir();
    await addAccount(dataDir, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/`);
    const result = await startDossier(['--data-dir', dataDir, '--json', 'sync', 'Econ', '--no-documents'], env()).done;
    expect(result.signal, result.stderr.slice(-2000)).toBe(null);
    expect(result.code).toBe(1);
    const error = jsonError(result);
    expect(error?.code).toBe('provider.too_large');
    expect(error?.message).toMatch(/applicants/);
    expect(error?.message).toMatch(/--max-reply-mb/);
    // The reply was cut off near the cap, not read to its end.
    expect(sentBytes).toBeLessThan(256 * 1024 ** 2);
    // Measured: about 200 MB peak with the 64 MB cap (the process itself, V8's 192 MB old space mostly unused).
    if (result.peakRssBytes !== null) expect(result.peakRssBytes, 'peak resident memory').toBeLessThan(400 * 1024 ** 2);
    expect(accountRow(dataDir)).toEqual({ state: 'error', unfinishedRuns: 0 });
  }, 120_000);
});
