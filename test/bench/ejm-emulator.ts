/**
 * EconJobMarket emulator benchmark: serves the full-season dataset from a child process
 * (`dossier sandbox ejm --scale season`) and prints document throughput and the emulator's peak
 * RSS, next to a baseline measured in the same run: a plain `fs.createReadStream` file server on
 * 127.0.0.1 serving the same number of bytes per document (raw, without JSON or base64).
 *
 *   npx node test/bench/ejm-emulator.ts [--documents N] [--concurrency C] [--scale small|season]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { documents: { type: 'string', default: '600' }, concurrency: { type: 'string', default: '4' }, scale: { type: 'string', default: 'season' } } });
const documentCount = Number(values.documents);
const concurrency = Number(values.concurrency);

interface Ready { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string }
interface FileMeta { file_id: number; blobid: number | null; filesize: number | null }

const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/dossier.js'), 'sandbox', 'ejm', '--scale', values.scale], { stdio: ['ignore', 'pipe', 'inherit'] });
const peakRssMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const started = performance.now();
const ready = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))) as Ready;
const startupMs = performance.now() - started;
const origin = new URL(ready.baseUrl).origin;

const token = ((await (await fetch(ready.tokenUrl, {
  method: 'POST',
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.clientId, client_secret: ready.clientSecret }),
})).json()) as { access_token: string }).access_token;
const headers = { authorization: `Bearer ${token}` };

const listStarted = performance.now();
const files = ((await (await fetch(`${ready.baseUrl}files/`, { headers })).json()) as FileMeta[]).filter((file) => file.blobid !== null);
const listMs = performance.now() - listStarted;
const rssAfterList = peakRssMb();

// A fixed sample across the season, plus the largest document, so big and small ones are both served.
const largest = files.reduce((best, file) => ((file.filesize ?? 0) > (best.filesize ?? 0) ? file : best));
const step = Math.max(1, Math.floor(files.length / documentCount));
const sample = [largest, ...files.filter((_, index) => index % step === 0).slice(0, documentCount - 1)];
const sampleBytes = sample.reduce((sum, file) => sum + (file.filesize ?? 0), 0);

/** Fetches every URL with `concurrency` in flight, reading each body to the end; returns seconds. */
async function drive(urls: string[], init: RequestInit): Promise<{ seconds: number; wireBytes: number }> {
  let next = 0;
  let wireBytes = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const url = urls[next++] as string;
        const reply = await fetch(url, init);
        if (!reply.ok || !reply.body) throw new Error(`${url}: ${reply.status}`);
        for await (const chunk of reply.body) wireBytes += (chunk as Uint8Array).length;
      }
    }),
  );
  return { seconds: (performance.now() - begin) / 1000, wireBytes };
}

const emulator = await drive(sample.map((file) => `${ready.baseUrl}files/${file.file_id}/`), { headers });
const peakAfterSample = peakRssMb();
// The largest document, `concurrency` times at once: RSS must not grow by anything like its size per reply.
const largeRuns = await drive(Array.from({ length: concurrency * 2 }, () => `${ready.baseUrl}files/${largest.file_id}/`), { headers });
const peakAfterLarge = peakRssMb();

// Baseline: one file as large as the largest document, served as byte ranges of each document's size.
const dir = mkdtempSync(join(tmpdir(), 'ejm-bench-'));
const blobPath = join(dir, 'blob.bin');
writeFileSync(blobPath, Buffer.alloc(largest.filesize ?? 0, 0x5a));
const baseline = createServer((request, response) => {
  const size = Number(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('size'));
  response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(size) });
  createReadStream(blobPath, { start: 0, end: size - 1 }).pipe(response);
});
await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
const baselinePort = (baseline.address() as AddressInfo).port;
const plain = await drive(sample.map((file) => `http://127.0.0.1:${baselinePort}/?size=${file.filesize}`), {});
baseline.close();
rmSync(dir, { recursive: true, force: true });

const stats = (await (await fetch(`${origin}/__sandbox/dataset`, { method: 'POST', body: '{}' })).json()) as Record<string, unknown>;
child.kill('SIGTERM');

const mb = (bytes: number) => bytes / 1024 / 1024;
const line = (label: string, run: { seconds: number; wireBytes: number }) =>
  `${label.padEnd(26)} ${(sample.length / run.seconds).toFixed(1).padStart(8)} docs/s ${(mb(sampleBytes) / run.seconds).toFixed(1).padStart(8)} MB/s of documents ${(mb(run.wireBytes) / run.seconds).toFixed(1).padStart(8)} MB/s on the wire`;
console.log(`EJM emulator, scale ${values.scale}: ${String(stats.applicants)} applicants, ${String(stats.applications)} applications, ${String(stats.files)} files, ${String(stats.letters)} letters, ${mb(Number(stats.documentBytes)).toFixed(0)} MB of documents`);
console.log(`ready line after ${startupMs.toFixed(0)} ms; first /api/files list (sha1 of every file) after ${(listMs / 1000).toFixed(1)} s; peak RSS then ${rssAfterList.toFixed(0)} MB`);
console.log(`sample: ${sample.length} documents, ${mb(sampleBytes).toFixed(0)} MB, largest ${mb(largest.filesize ?? 0).toFixed(1)} MB, concurrency ${concurrency}`);
console.log(line('emulator (JSON + base64)', emulator));
console.log(line('baseline (createReadStream)', plain));
console.log(`ratio emulator/baseline: ${(plain.seconds / emulator.seconds).toFixed(2)}x the baseline's document throughput`);
console.log(`largest document ${mb(largest.filesize ?? 0).toFixed(0)} MB served ${concurrency * 2} times, ${concurrency} at once: ${(mb((largest.filesize ?? 0) * concurrency * 2) / largeRuns.seconds).toFixed(1)} MB/s of documents`);
console.log(`emulator peak RSS: ${rssAfterList.toFixed(0)} MB after the lists, ${peakAfterSample.toFixed(0)} MB after the sample, ${peakAfterLarge.toFixed(0)} MB after the largest documents (season documents ${mb(Number(stats.documentBytes)).toFixed(0)} MB)`);
