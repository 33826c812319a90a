/**
 * Sync benchmark on the EconJobMarket emulator (default: the full season), every figure measured
 * in the same run against baselines run in the same run:
 *   (a) full sync time / a minimal client that only fetches every endpoint with the same
 *       concurrency and writes the decoded documents to disk (the machine's limit)  target ≤ 1.3
 *   (b) a sequential client fetching one resource at a time, as EJM's own sync script does,
 *       over the full sync time                                                      target ≥ 4
 *   (c) no-change re-sync time / full sync time                                     target ≤ 0.05
 *   (d) peak memory (max RSS) of the sync process                                   target ≤ 350 MB
 *   (e) search latency p50 / p95 over the synced season                              target p95 < 15 ms
 * Usage: npx node test/bench/sync.ts [--scale season|small] [--seed N] [--keep DIR]
 *        npx node test/bench/sync.ts --search-only DIR   (only (e), on a profile kept by --keep)
 * --keep leaves the synced profile in DIR, so search can be measured again without a new sync.
 * The emulator runs in its own process (`dossier sandbox ejm`), and so does each sync.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { openDatabase } from '../../electron/core/db/database.ts';
import type { ReadyLine } from '../../electron/core/sandbox/registry.ts';
import { search } from '../../electron/core/search/query.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const scale = argument('--scale', 'season');
const seed = argument('--seed', '20251101');
const concurrency = 6;
const root = join(import.meta.dirname, '..', '..');

async function startEmulator(): Promise<{ ready: ReadyLine; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'dossier.js'), 'sandbox', 'ejm', '--scale', scale, '--seed', seed], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  return { ready: JSON.parse(line) as ReadyLine, child };
}

function runSyncChild(dataDir: string, ready: ReadyLine, add: boolean): Promise<{ ms: number; maxRssMb: number; results: { ok: boolean; error: string | null; counts: Record<string, number> }[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'sync-child.ts'), dataDir, JSON.stringify(ready), ...(add ? ['--add'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')) : reject(new Error(`sync child exited ${code}`))));
  });
}

async function token(ready: ReadyLine): Promise<string> {
  const response = await request(ready.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.clientId, client_secret: ready.clientSecret }).toString(),
  });
  return ((await response.body.json()) as { access_token: string }).access_token;
}

/**
 * The baseline clients: fetch every list, every conference, and every document with `parallel`
 * requests at a time, decode each document the simplest way (parse the whole reply, decode the
 * base64) and write it to disk. No database, no hashing, no search index.
 */
async function baseline(ready: ReadyLine, parallel: number, out: string): Promise<number> {
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  let bearer = await token(ready);
  let minted = Date.now();
  const get = async (path: string): Promise<unknown> => {
    if (Date.now() - minted > 50 * 60_000) {
      bearer = await token(ready);
      minted = Date.now();
    }
    const response = await request(`${ready.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
    return response.body.json();
  };
  const lists = ['applicants/', 'applications/', 'files/', 'letters/', 'conferences/'];
  const replies = new Map<string, unknown>();
  const queue: (() => Promise<void>)[] = lists.map((path) => async () => {
    replies.set(path, await get(path));
  });
  const drain = async () => {
    await Promise.all(Array.from({ length: parallel }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }));
  };
  await drain();
  for (const conference of replies.get('conferences/') as { conference_id: number }[]) queue.push(async () => void (await get(`conferences/${conference.conference_id}/`)));
  const files = (replies.get('files/') as { file_id: number; blobid: number | null; type_id: number }[]).filter((file) => file.blobid && file.type_id !== 25 && file.type_id !== 75);
  const letters = (replies.get('letters/') as { letterid: number; blobid: number | null }[]).filter((letter) => letter.blobid);
  const blobOf = (reply: unknown): string => {
    const object = reply as Record<string, unknown> & { files?: unknown[]; letters?: unknown[] };
    const value = (Array.isArray(reply) ? reply[0] : (object['0'] ?? object.files?.[0] ?? object.letters?.[0] ?? reply)) as { filecontent: string };
    return value.filecontent;
  };
  for (const file of files) queue.push(async () => writeFileSync(join(out, `f${file.file_id}`), Buffer.from(blobOf(await get(`files/${file.file_id}/`)), 'base64')));
  for (const letter of letters) queue.push(async () => writeFileSync(join(out, `l${letter.letterid}`), Buffer.from(blobOf(await get(`letters/${letter.letterid}/`)), 'base64')));
  await drain();
  return performance.now() - started;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function searchLatency(dataDir: string): { p50: number; p95: number; queries: number } {
  const db = openDatabase(join(dataDir, 'dossier.db'));
  try {
    const words = [
      ...(db.prepare('SELECT last_name FROM applicants ORDER BY random() LIMIT 80').pluck().all() as string[]),
      ...(db.prepare('SELECT institution FROM applicants ORDER BY random() LIMIT 40').pluck().all() as string[]).map((name) => name.split(' ')[0] ?? name),
      ...(db.prepare('SELECT primary_field FROM applicants ORDER BY random() LIMIT 40').pluck().all() as string[]),
      ...((db.prepare('SELECT text FROM document_texts ORDER BY random() LIMIT 40').pluck().all() as string[]).map((text) => text.split(/\s+/).find((word) => word.length > 6) ?? 'economics')),
      'econ', 'labor economics', 'monetary policy', 'Harvard', 'Smith', 'macro',
    ].filter(Boolean);
    for (const word of words.slice(0, 20)) search(db, word, 50);
    const times = words.map((word) => {
      const started = performance.now();
      search(db, word, 50);
      return performance.now() - started;
    }).sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95), queries: times.length };
  } finally {
    db.close();
  }
}

function printLatency(dataDir: string): void {
  const latency = searchLatency(dataDir);
  console.log(`(e) search p50 / p95 (${latency.queries} queries)  ${latency.p50.toFixed(2)} / ${latency.p95.toFixed(2)} ms   target p95 < 15 ms`);
}

const searchOnly = argument('--search-only', '');
if (searchOnly) {
  printLatency(searchOnly);
  process.exit(0);
}
const keep = argument('--keep', '');
const work = mkdtempSync(join(tmpdir(), 'dossier-bench-sync-'));
const profile = keep || join(work, 'profile');
const { ready, child } = await startEmulator();
try {
  console.log(`EconJobMarket emulator, scale ${scale}, seed ${seed}; concurrency ${concurrency}`);
  const minimalMs = await baseline(ready, concurrency, join(work, 'minimal'));
  console.log(`minimal client (fetch + decode + write, ${concurrency} at a time): ${(minimalMs / 1000).toFixed(1)} s`);
  rmSync(join(work, 'minimal'), { recursive: true, force: true });
  const full = await runSyncChild(profile, ready, true);
  if (!full.results.every((result) => result.ok)) throw new Error(`the sync failed: ${JSON.stringify(full.results)}`);
  console.log(`full sync: ${(full.ms / 1000).toFixed(1)} s, peak RSS ${full.maxRssMb.toFixed(0)} MB, ${JSON.stringify(full.results[0]?.counts)}`);
  const again = await runSyncChild(profile, ready, false);
  console.log(`no-change re-sync: ${(again.ms / 1000).toFixed(2)} s, downloads ${again.results[0]?.counts.downloaded ?? '?'}`);
  const sequentialMs = await baseline(ready, 1, join(work, 'sequential'));
  console.log(`sequential client (one resource at a time): ${(sequentialMs / 1000).toFixed(1)} s`);
  rmSync(join(work, 'sequential'), { recursive: true, force: true });
  console.log('');
  console.log(`(a) full sync / minimal client      ${(full.ms / minimalMs).toFixed(2)}   target <= 1.3`);
  console.log(`(b) sequential client / full sync   ${(sequentialMs / full.ms).toFixed(2)}   target >= 4`);
  console.log(`(c) no-change re-sync / full sync   ${(again.ms / full.ms).toFixed(4)}   target <= 0.05`);
  console.log(`(d) peak memory of the sync         ${full.maxRssMb.toFixed(0)} MB   target <= 350 MB`);
  printLatency(profile);
} finally {
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
