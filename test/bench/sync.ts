/**
 * Sync benchmark on the EconJobMarket emulator (default: the full season), every figure measured
 * in the same run against baselines run in the same run:
 *   (a) full sync time (including every document's searchable text) / a minimal client that
 *       only fetches every endpoint with the same concurrency and writes the decoded documents
 *       to disk (the machine's limit)                                                 target ≤ 1.3
 *   (a') time until every document is verified on disk and browsable (its row committed, its
 *       text possibly still being extracted) / the same minimal client                target ≤ 1.1
 *   (b) a sequential client fetching one resource at a time, as EJM's own sync script does,
 *       over the full sync time, on loopback                                         target ≥ 4
 *   (c) no-change re-sync time / full sync time                                     target ≤ 0.02
 *   (d) peak memory (max RSS) of the sync process                                   target ≤ 250 MB
 *   (e) search latency p50 / p95 over the synced season, on the mix of `searchMix`
 *       (a third of the queries several words)                                      target p95 < 10 ms
 *   (b') (b) under a stated network model: on loopback the single-threaded emulator is the limit,
 *       so concurrency cannot show; on a real network every request also waits a round trip,
 *       which concurrency hides. A second emulator (--scale medium, same seed) answers every API
 *       request 80 ms late (its latencyMs fault; token requests are not delayed, and bandwidth
 *       is not limited). Measured there: a full sync into a fresh profile and the sequential
 *       client, plus, for context, the concurrent minimal client and each run's request
 *       count (the floor is requests × 80 ms / requests in flight)                  target ≥ 4
 * Usage: npx node test/bench/sync.ts [--scale season|small] [--seed N] [--keep DIR] [--no-latency]
 *        npx node test/bench/sync.ts --latency-only [--seed N]   (only (b'))
 *        npx node test/bench/sync.ts --search-only DIR           (only (e), on a profile kept by --keep)
 * --keep leaves the synced profile in DIR, so search can be measured again without a new sync.
 * --scale applies to (a)–(e); (b') always uses the medium dataset.
 * Each emulator runs in its own process (`dossier sandbox ejm`), one at a time, and so does each
 * sync; in (a)–(e) each client meets a freshly started, warm emulator. Every process the
 * benchmark starts is stopped however it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { Storage } from '../../electron/core/storage/storage.ts';
import { coreHeapFlags } from '../../electron/host/heap.ts';
import type { ReadyLine } from '../../electron/sandbox/emulator.ts';
import { SearchService } from '../../electron/core/search/service.ts';
import { setFaults } from '../sync/helpers.ts';
import type { Traffic } from '../../electron/sandbox/faults.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const scale = argument('--scale', 'season');
const seed = argument('--seed', '20251101');
const concurrency = 6;
/** The network model of (b'): the round trip every API request waits, and the dataset it is measured on. */
const roundTripMs = 80;
const latencyScale = 'medium';
const root = join(import.meta.dirname, '..', '..');

/** Every process the benchmark starts, so that none outlives it, however it ends. */
const children = new Set<ChildProcess>();

function startChild(args: readonly string[]): ChildProcess & { stdout: NodeJS.ReadableStream } {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function stopChildren(): void {
  for (const child of children) child.kill('SIGTERM');
}

/** Runs `use` against an emulator of the given scale, and stops that emulator when `use` ends. */
async function withEmulator<T>(emulatorScale: string, use: (ready: ReadyLine) => Promise<T>): Promise<T> {
  const child = startChild([join(root, 'bin', 'dossier.js'), 'sandbox', 'ejm', '--scale', emulatorScale, '--seed', seed]);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
    });
    return await use(JSON.parse(line) as ReadyLine);
  } finally {
    child.kill('SIGTERM');
  }
}

type SyncRun = { ms: number; browsableMs: number; maxRssMb: number; results: { ok: boolean; error: string | null; counts: Record<string, number> }[] };

function runSyncChild(dataDir: string, ready: ReadyLine, add: boolean): Promise<SyncRun> {
  return new Promise((resolve, reject) => {
    // The sync runs with the core's heap limits, as in the app's core process and the `dossier` command.
    const child = startChild([...coreHeapFlags, join(import.meta.dirname, 'sync-child.ts'), dataDir, JSON.stringify(ready), ...(add ? ['--add'] : [])]);
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

/** A full sync into a fresh profile, which must succeed on every account. */
async function fullSync(dataDir: string, ready: ReadyLine): Promise<SyncRun> {
  const full = await runSyncChild(dataDir, ready, true);
  if (!full.results.every((result) => result.ok)) throw new Error(`the sync failed: ${JSON.stringify(full.results)}`);
  return full;
}

/**
 * The baseline clients: fetch every list, every conference, and every document with `parallel`
 * requests at a time, decode each document the simplest way (parse the whole reply, decode the
 * base64) and write it to disk. No database, no hashing, no search index. Resolves to the time
 * taken and the number of documents written; the directory is removed afterwards.
 */
async function baseline(ready: ReadyLine, parallel: number, out: string): Promise<{ ms: number; documents: number }> {
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
  const ms = performance.now() - started;
  rmSync(out, { recursive: true, force: true });
  return { ms, documents: files.length + letters.length };
}

const seconds = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;

/** How many API and token requests the emulator has answered so far (from its control stats). */
async function requestsAnswered(ready: ReadyLine): Promise<number> {
  const response = await request(`${new URL(ready.baseUrl).origin}/__sandbox/stats`);
  return Object.values((await response.body.json()) as Record<string, number>).reduce((sum, count) => sum + count, 0);
}

/** Runs `measure` and adds how many requests the emulator answered meanwhile. */
async function countingRequests<T extends object>(ready: ReadyLine, measure: () => Promise<T>): Promise<T & { requests: number }> {
  const before = await requestsAnswered(ready);
  const result = await measure();
  return { ...result, requests: (await requestsAnswered(ready)) - before };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * The search mix of (e), drawn from the synced profile: 60 single words (surnames, an institution's
 * first word, fields, a long word from a document's text) and 30 of several words, a third of the
 * mix (full institution names, "first last" names, a quoted three-word phrase from a document).
 */
function searchMix(db: Storage['db']): { single: string[]; multiWord: string[] } {
  const column = (sql: string): string[] => (db.prepare(sql).pluck().all() as (string | null)[]).filter((value): value is string => Boolean(value));
  const texts = column('SELECT text FROM document_texts WHERE length(text) > 200 ORDER BY random() LIMIT 20');
  const single = [
    ...column('SELECT last_name FROM applicants ORDER BY random() LIMIT 30'),
    ...column('SELECT institution FROM applicants ORDER BY random() LIMIT 10').map((name) => name.split(' ')[0] ?? name),
    ...column('SELECT primary_field FROM applicants ORDER BY random() LIMIT 10').map((field) => field.split(' ')[0] ?? field),
    ...texts.slice(0, 10).map((text) => text.split(/\s+/).find((word) => word.length > 6) ?? 'economics'),
  ];
  const multiWord = [
    ...column("SELECT institution FROM applicants WHERE institution LIKE '% % %' ORDER BY random() LIMIT 12"),
    ...column("SELECT first_name || ' ' || last_name FROM applicants ORDER BY random() LIMIT 10"),
    ...texts.slice(10, 18).map((text) => `"${text.split(/\s+/).filter((word) => /^[A-Za-z]{3,}$/.test(word)).slice(10, 13).join(' ')}"`),
  ];
  return { single, multiWord };
}

function searchLatency(dataDir: string): { p50: number; p95: number; multiWordP95: number; queries: number } {
  const storage = Storage.open(join(dataDir, 'dossier.db'));
  const search = new SearchService(storage);
  try {
    const { single, multiWord } = searchMix(storage.db);
    const timed = (queries: readonly string[]): number[] => queries.map((query) => {
      const started = performance.now();
      search.query(query, 50);
      return performance.now() - started;
    });
    for (const query of [...single, ...multiWord].slice(0, 20)) search.query(query, 50);
    const multiWordTimes = timed(multiWord);
    const times = [...timed(single), ...multiWordTimes].sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95), multiWordP95: percentile(multiWordTimes.sort((a, b) => a - b), 95), queries: times.length };
  } finally {
    storage.close();
  }
}

function printLatency(dataDir: string): void {
  const latency = searchLatency(dataDir);
  console.log(`(e) search p50 / p95 (${latency.queries} queries, a third of several words; those alone p95 ${latency.multiWordP95.toFixed(2)})  ${latency.p50.toFixed(2)} / ${latency.p95.toFixed(2)} ms   target p95 < 10 ms`);
}

/**
 * Runs `use` against a freshly started emulator at `scale` whose first list has been answered (it
 * waits for the season's sha1s), so every measured client meets the same server: one emulator
 * process slows down after serving a season (the same sync took 116 s, then 220 s on its third
 * season), which would otherwise favour whichever client runs first.
 */
function withWarmEmulator<T>(use: (ready: ReadyLine) => Promise<T>): Promise<T> {
  return withEmulator(scale, async (ready) => {
    const response = await request(`${ready.baseUrl}files/`, { headers: { authorization: `Bearer ${await token(ready)}`, accept: 'application/json' } });
    await response.body.dump();
    return use(ready);
  });
}

/** (a)–(e): the full sync and the baselines, each against its own warm emulator at `scale`, on loopback. */
async function measureLoopback(work: string, profile: string): Promise<void> {
  console.log(`EconJobMarket emulator, scale ${scale}, seed ${seed}; concurrency ${concurrency}; loopback; a fresh, warm emulator for each client`);
  const minimal = await withWarmEmulator((ready) => baseline(ready, concurrency, join(work, 'minimal')));
  console.log(`minimal client (fetch + decode + write, ${concurrency} at a time): ${seconds(minimal.ms)}`);
  const { full, again } = await withWarmEmulator(async (ready) => {
    const full = await fullSync(profile, ready);
    console.log(`full sync: ${seconds(full.ms)} (documents browsable after ${seconds(full.browsableMs)}), peak RSS ${full.maxRssMb.toFixed(0)} MB, ${JSON.stringify(full.results[0]?.counts)}`);
    // The same emulator: the profile's account points at its port.
    const again = await runSyncChild(profile, ready, false);
    console.log(`no-change re-sync: ${seconds(again.ms, 2)}, downloads ${again.results[0]?.counts.downloaded ?? '?'}`);
    return { full, again };
  });
  const sequential = await withWarmEmulator((ready) => baseline(ready, 1, join(work, 'sequential')));
  console.log(`sequential client (one resource at a time): ${seconds(sequential.ms)}`);
  console.log('');
  console.log(`(a) full sync / minimal client                ${(full.ms / minimal.ms).toFixed(2)}   target <= 1.3`);
  console.log(`(a') documents browsable / minimal client     ${(full.browsableMs / minimal.ms).toFixed(2)}   target <= 1.1`);
  console.log(`(b) sequential client / full sync, loopback   ${(sequential.ms / full.ms).toFixed(2)}   target >= 4`);
  console.log(`(c) no-change re-sync / full sync             ${(again.ms / full.ms).toFixed(4)}   target <= 0.02`);
  console.log(`(d) peak memory of the sync                   ${full.maxRssMb.toFixed(0)} MB   target <= 250 MB`);
  printLatency(profile);
}

/** (b'): the full sync and the baselines against a medium emulator whose every API request waits `roundTripMs`. */
async function measureWithRoundTrips(work: string): Promise<void> {
  await withEmulator(latencyScale, async (ready) => {
    await setFaults(ready.baseUrl, { latencyMs: roundTripMs });
    console.log(`EconJobMarket emulator, scale ${latencyScale}, seed ${seed}; concurrency ${concurrency}; network model: every API request answered ${roundTripMs} ms late (a round trip; no bandwidth limit)`);
    // Request counts set each time against the floor the round trips impose (requests × round trip / in flight).
    const full = await countingRequests(ready, () => fullSync(join(work, 'round-trip-profile'), ready));
    console.log(`full sync: ${seconds(full.ms)}, ${full.requests} requests, ${JSON.stringify(full.results[0]?.counts)}`);
    // The full sync is the first client of this emulator, so everything the emulator counted is its: how far the adaptive limit went.
    const traffic = (await (await fetch(`${new URL(ready.baseUrl).origin}/__sandbox/traffic`)).json()) as Traffic;
    console.log(`full sync: at most ${Math.max(...traffic.arrivals.map((arrival) => arrival.inFlight))} requests in flight, as the emulator saw them (the adaptive limit starts at 6; ceiling 16)`);
    const minimal = await countingRequests(ready, () => baseline(ready, concurrency, join(work, 'minimal')));
    console.log(`minimal client (${concurrency} at a time), for context: ${seconds(minimal.ms)}, ${minimal.requests} requests`);
    const sequential = await countingRequests(ready, () => baseline(ready, 1, join(work, 'sequential')));
    console.log(`sequential client (one resource at a time): ${seconds(sequential.ms)}, ${sequential.requests} requests`);
    console.log('');
    console.log(`(b') sequential client / full sync with ${roundTripMs} ms round trips (${latencyScale} dataset: ${sequential.documents} documents)   ${(sequential.ms / full.ms).toFixed(2)}   target >= 4`);
  });
}

const searchOnly = argument('--search-only', '');
if (searchOnly) {
  printLatency(searchOnly);
  process.exit(0);
}
const latencyOnly = process.argv.includes('--latency-only');
const withRoundTrips = !process.argv.includes('--no-latency');
if (latencyOnly && !withRoundTrips) throw new Error('--latency-only and --no-latency together leave nothing to measure');
const keep = argument('--keep', '');
const work = mkdtempSync(join(tmpdir(), 'dossier-bench-sync-'));
// 'exit' also follows an uncaught error or process.exit(); a signal is turned into an exit, so the
// emulators and syncs stop and the scratch directory goes on every path.
process.once('exit', () => {
  stopChildren();
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(128 + constants.signals[signal]));
if (!latencyOnly) await measureLoopback(work, keep || join(work, 'profile'));
if (!latencyOnly && withRoundTrips) console.log('');
if (withRoundTrips) await measureWithRoundTrips(work);
