/**
 * Text extraction benchmark (docs/decisions/0022-extraction-across-cores.md), on the EconJobMarket
 * emulator's own documents (files and letters, built as the emulator serves them), every figure a
 * ratio against a baseline measured in the same run:
 *   extraction alone: N workers (normal priority, and at the lowest thread priority) / 1 worker
 *   alongside downloads: the main thread does download-like work (SHA-256 and SHA-1 of 1 MiB
 *     chunks, with a turn of the event loop between chunks, as the sync hashes what arrives) while
 *     the extractor reads every document; its time / the same work alone, and the extraction's
 *     time / extraction alone with 1 worker
 *   and the process's peak RSS while extracting alone (the workers' memory is the process's)
 * Each configuration runs twice, alternating, and the better run counts (the machine is shared).
 * Usage: node test/bench/extraction.ts [--scale small|medium] [--seed N] [--chunks N]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PdfTextExtractor } from '../../electron/core/search/pdf-text.ts';
import { generateDataset } from '../../electron/sandbox/ejm/dataset.ts';
import { DocumentStore } from '../../electron/sandbox/ejm/documents.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const scale = argument('--scale', 'small') as 'small' | 'medium';
const seed = Number(argument('--seed', '20251101'));
const downloadChunks = Number(argument('--chunks', '600'));
const cores = availableParallelism();

interface Config {
  readonly name: string;
  readonly workers: number;
  readonly lowPriority: boolean;
}
const configs: readonly Config[] = [
  { name: '1 worker', workers: 1, lowPriority: false },
  { name: `${cores} workers`, workers: cores, lowPriority: false },
  { name: `${cores} workers, lowest priority`, workers: cores, lowPriority: true },
];

const folder = mkdtempSync(join(tmpdir(), 'dossier-bench-extraction-'));
try {
  const data = generateDataset(scale, seed);
  const store = new DocumentStore(data);
  const documents: { file: string; size: number }[] = [];
  const built = [
    ...[...data.files.values()].filter((file) => file.blobid !== null && file.kind !== null).map((file) => store.fileDocument(file)),
    ...[...data.letters.values()].filter((letter) => letter.blobid !== null).map((letter) => store.letterDocument(letter)),
  ];
  for (const [index, pending] of built.entries()) {
    const pdf = await pending;
    const file = join(folder, `${index}.pdf`);
    writeFileSync(file, Buffer.concat([...pdf.chunks()]));
    documents.push({ file, size: pdf.size });
  }
  const megabytes = documents.reduce((sum, document) => sum + document.size, 0) / 1024 / 1024;
  console.log(`${documents.length} documents (${megabytes.toFixed(0)} MB, ${scale}, seed ${seed}), ${cores} cores, load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);

  /** Extracts every document; `digest` is a SHA-256 of all texts in document order, so runs that read the same texts agree. */
  const extractAll = async (config: Config): Promise<{ ms: number; digest: string; peakRssMb: number }> => {
    const extractor = new PdfTextExtractor({ workers: config.workers, lowPriority: config.lowPriority });
    // Started and compiled before the clock starts, as a sync's workers are after its first files.
    await Promise.all(documents.slice(0, config.workers).map((document) => extractor.extract(document.file, document.size)));
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 20);
    const started = performance.now();
    const texts: (string | null)[] = [];
    // Kept at twice the workers in flight, as TextIndexing feeds it.
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 * config.workers }, async () => {
        for (let index = next++; index < documents.length; index = next++) {
          const document = documents[index] as { file: string; size: number };
          texts[index] = await extractor.extract(document.file, document.size);
        }
      }),
    );
    const ms = performance.now() - started;
    clearInterval(sampler);
    await extractor.close();
    return { ms, peakRssMb: peakRss / 1024 / 1024, digest: createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 16) };
  };

  const chunk = Buffer.alloc(1024 * 1024, 7);
  const downloadLike = async (): Promise<number> => {
    const started = performance.now();
    for (let index = 0; index < downloadChunks; index += 1) {
      createHash('sha256').update(chunk).digest();
      createHash('sha1').update(chunk).digest();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return performance.now() - started;
  };

  const best = (runs: readonly number[]) => Math.min(...runs);
  const alone = new Map<string, number[]>(configs.map((config) => [config.name, []]));
  const peakRssMb = new Map<string, number>();
  const together = new Map<string, { download: number[]; extraction: number[] }>(configs.map((config) => [config.name, { download: [], extraction: [] }]));
  const downloadAlone: number[] = [];
  const digests = new Set<string>();
  // Warm the file cache once, outside the figures.
  await extractAll(configs[0] as Config);
  console.log(`RSS before extracting: ${(process.memoryUsage.rss() / 1024 / 1024).toFixed(0)} MB`);
  for (let round = 0; round < 2; round += 1) {
    downloadAlone.push(await downloadLike());
    for (const config of configs) {
      const run = await extractAll(config);
      alone.get(config.name)?.push(run.ms);
      peakRssMb.set(config.name, Math.max(peakRssMb.get(config.name) ?? 0, run.peakRssMb));
      digests.add(run.digest);
      const [download, extraction] = await Promise.all([downloadLike(), extractAll(config)]);
      together.get(config.name)?.download.push(download);
      together.get(config.name)?.extraction.push(extraction.ms);
    }
  }
  const baseline = best(alone.get('1 worker') ?? []);
  const downloadBaseline = best(downloadAlone);
  console.log(`digest of the texts per run: ${[...digests].join(', ')} (one value: every configuration read the same texts)`);
  console.log(`download-like work alone: ${downloadBaseline.toFixed(0)} ms (runs ${downloadAlone.map((ms) => ms.toFixed(0)).join(', ')})`);
  console.log(`extraction alone, 1 worker: ${baseline.toFixed(0)} ms (runs ${(alone.get('1 worker') ?? []).map((ms) => ms.toFixed(0)).join(', ')})`);
  for (const config of configs) {
    const ownAlone = best(alone.get(config.name) ?? []);
    const run = together.get(config.name) ?? { download: [], extraction: [] };
    console.log(
      `${config.name.padEnd(30)} alone ${ownAlone.toFixed(0).padStart(6)} ms = ${(ownAlone / baseline).toFixed(2)} × 1 worker, peak RSS ${(peakRssMb.get(config.name) ?? 0).toFixed(0)} MB | ` +
        `beside downloads: downloads ${(best(run.download) / downloadBaseline).toFixed(2)} × alone, extraction ${(best(run.extraction) / baseline).toFixed(2)} × 1 worker alone ` +
        `(runs ${run.download.map((ms) => ms.toFixed(0)).join('/')} ms, ${run.extraction.map((ms) => ms.toFixed(0)).join('/')} ms)`,
    );
  }
  console.log(`load after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
