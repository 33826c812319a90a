import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../shared/domain.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { blobPath } from '../../electron/core/blobs/layout.ts';
import { PdfTextExtractor } from '../../electron/core/search/pdf-text.ts';
import { TextIndexing } from '../../electron/core/sync/text-indexing.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { addSandboxAccount, syncCore, type SyncCore } from './helpers.ts';

/**
 * Text extraction across cores (docs/decisions/0022-extraction-across-cores.md), on a real profile
 * synced from the EconJobMarket emulator (small scale, about 230 documents) over real HTTP, with
 * real PDFium worker threads.
 */

let emulator: StartedEjm;
let reference: SyncCore;
let accountId: number;
let texts: { sha256: string; text: string }[];

const storedTexts = (core: SyncCore) => core.db.prepare('SELECT sha256, text FROM document_texts ORDER BY sha256').all() as { sha256: string; text: string }[];
const textCount = (core: SyncCore) => core.db.prepare('SELECT count(*) FROM document_texts').pluck().get() as number;

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 11 });
  reference = await syncCore();
  accountId = await addSandboxAccount(reference, 'ejm', emulator.ready);
  const [result] = await reference.engine.run({ documents: true });
  expect(result?.error ?? null).toBe(null);
  texts = storedTexts(reference);
}, 120_000);

afterAll(async () => {
  await reference?.close();
  await emulator?.close();
});

/** An extractor that records how many files it was given at once (read or waiting for a worker). */
class CountingExtractor extends PdfTextExtractor {
  active = 0;
  mostAtOnce = 0;

  override extract(file: string, size: number, signal?: AbortSignal): Promise<string | null> {
    this.active += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.active);
    return super.extract(file, size, signal).finally(() => {
      this.active -= 1;
    });
  }
}

describe('text extraction across cores', () => {
  it('uses every core on Linux, one spare core elsewhere, at most three', () => {
    const cores = availableParallelism();
    expect(new PdfTextExtractor().workers).toBe(Math.min(3, process.platform === 'linux' ? cores : Math.max(1, cores - 1)));
  });

  it('saves the same texts with several workers as one worker reading every file in turn', async () => {
    expect(texts.length).toBe(reference.db.prepare('SELECT count(DISTINCT sha256) FROM documents WHERE sha256 IS NOT NULL').pluck().get());
    expect(texts.filter((row) => row.text.length > 200).length).toBeGreaterThan(texts.length / 2);
    const sizes = new Map((reference.db.prepare('SELECT sha256, size FROM blobs').all() as { sha256: string; size: number }[]).map((row) => [row.sha256, row.size]));
    const one = new PdfTextExtractor({ workers: 1 });
    try {
      for (const { sha256, text } of texts) expect((await one.extract(blobPath(reference.core.paths.store, sha256), sizes.get(sha256) as number)) ?? '').toBe(text);
    } finally {
      await one.close();
    }
  }, 60_000);

  it.runIf(process.platform === 'linux')('lowers only the extraction threads to the lowest priority, not the thread that started them', async () => {
    const niceOf = () =>
      new Map(
        readdirSync('/proc/self/task').flatMap((task) => {
          try {
            // Field 19 of stat is the nice value; the fields start after the command name's closing parenthesis.
            return [[task, Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]?.split(' ')[16])] as const];
          } catch {
            return []; // a thread that ended meanwhile
          }
        }),
      );
    const before = niceOf();
    const extractor = new PdfTextExtractor({ workers: 2 });
    try {
      const [first, second] = texts.slice(0, 2).map(({ sha256 }) => blobPath(reference.core.paths.store, sha256));
      const size = (file: string) => readFileSync(file).length;
      await Promise.all([extractor.extract(first as string, size(first as string)), extractor.extract(second as string, size(second as string))]);
      const after = niceOf();
      const started = [...after].filter(([task]) => !before.has(task));
      expect(started.filter(([, nice]) => nice === 19)).toHaveLength(2);
      expect(started.filter(([, nice]) => nice !== 19)).toEqual([]);
      for (const [task, nice] of before) if (after.has(task)) expect(after.get(task)).toBe(nice);
      expect(getPriority(0)).toBe(before.get(String(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0])));
    } finally {
      await extractor.close();
    }
  }, 30_000);

  it('keeps at most two files per worker in flight, whatever the number of documents, and reports its progress', async () => {
    reference.db.prepare('DELETE FROM document_texts').run();
    const extractor = new CountingExtractor({ workers: 2 });
    const progress: [number, number][] = [];
    const indexing = new TextIndexing({ storage: reference.core.storage, pdfTexts: extractor, storeDir: reference.core.paths.store, accountId, signal: new AbortController().signal, log: silentLogger });
    try {
      await indexing.finished((indexed, total) => progress.push([indexed, total]));
    } finally {
      indexing.close();
      await extractor.close();
    }
    expect(extractor.mostAtOnce).toBe(4);
    expect(storedTexts(reference)).toEqual(texts);
    expect(progress[0]).toEqual([0, texts.length]);
    expect(progress.at(-1)).toEqual([texts.length, texts.length]);
    expect(progress.every(([indexed], index) => index === 0 || indexed > (progress[index - 1]?.[0] ?? 0))).toBe(true);
  }, 60_000);

  it('reports the documents done, then "indexing for search" until the last text is saved, then the end', () => {
    const progress = reference.on('sync.progress').filter((event) => event.accountId === accountId);
    const documentsDone = progress.findIndex((event) => event.phase === 'documents' && event.total !== null && event.total > 0 && event.done === event.total);
    const textPhase = progress.map((event, index) => ({ event, index })).filter(({ event, index }) => event.phase === 'index' && event.total !== null && index > documentsDone);
    const end = progress.findIndex((event) => event.phase === 'done');
    expect(documentsDone).toBeGreaterThan(0);
    expect(textPhase.length).toBeGreaterThan(0);
    expect(textPhase.every(({ index }) => index < end)).toBe(true);
    expect(textPhase.at(-1)?.event).toMatchObject({ done: texts.length, total: texts.length });
    expect(progress.slice(documentsDone + 1, end).every((event) => event.phase === 'index')).toBe(true);
  });

  it('writes no text after a cancel mid-indexing, and the next sync extracts the rest', async () => {
    reference.db.prepare('DELETE FROM document_texts').run();
    const events: SyncProgress[] = [];
    const finished = new Promise((resolve) => {
      const stop = reference.core.events.on('sync.finished', (event) => {
        stop();
        resolve(event);
      });
    });
    const stopWatching = reference.core.events.on('sync.progress', (event) => {
      events.push(event);
      if (event.phase === 'index' && event.total !== null && event.done > 0) reference.engine.cancel([accountId]);
    });
    expect(reference.engine.start({ documents: true })).toEqual([accountId]);
    expect(await finished).toMatchObject({ accountId, ok: false, error: { code: 'sync.cancelled' } });
    stopWatching();
    const saved = textCount(reference);
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(texts.length);
    // Files the workers were reading when the cancel came answer after it; none of their texts may be saved.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(textCount(reference)).toBe(saved);
    expect(events.filter((event) => event.phase === 'index' && event.total !== null).at(-1)?.total).toBe(texts.length);

    const [result] = await reference.engine.run({ documents: true });
    expect(result?.ok).toBe(true);
    expect(storedTexts(reference)).toEqual(texts);
  }, 60_000);
});
