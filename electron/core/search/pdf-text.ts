import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

type PdfJs = typeof PdfJsModule;

/** Larger PDFs are stored and shown but not text-indexed: parsing them would need their whole size in memory. */
export const maxIndexedPdfBytes = 16 * 1024 * 1024;
/** Enough text to find a document by its content (title, abstract, introduction); keeps snippets and ranking fast. */
const maxTextChars = 60_000;
const maxPages = 60;

let pdfjs: Promise<PdfJs> | undefined;

/** True when the file starts with the PDF signature (providers' MIME types are not trusted). */
export async function looksLikePdf(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    return head.toString('latin1') === '%PDF-';
  } finally {
    await handle.close();
  }
}

/**
 * Extracts the text of a PDF with pdfjs-dist's legacy Node build (no worker thread, no eval),
 * for the search index. Returns null when the file is not a readable PDF or is too large;
 * a PDF that cannot be read is still a stored document, just not searchable by content.
 */
export async function extractPdfText(file: string, size: number): Promise<string | null> {
  if (size > maxIndexedPdfBytes || !(await looksLikePdf(file))) return null;
  const { getDocument } = await (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));
  const handle = await open(file, 'r');
  let data: Uint8Array;
  try {
    data = new Uint8Array(size);
    await handle.read(data, 0, size, 0);
  } finally {
    await handle.close();
  }
  const task = getDocument({ data, useSystemFonts: false, disableFontFace: true, stopAtErrors: false, verbosity: 0 });
  try {
    const document = await task.promise;
    const parts: string[] = [];
    let length = 0;
    for (let number = 1; number <= Math.min(document.numPages, maxPages) && length < maxTextChars; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' ').trim();
      page.cleanup();
      parts.push(text);
      length += text.length;
    }
    return parts.join('\n').slice(0, maxTextChars);
  } catch {
    return null;
  } finally {
    await task.destroy();
  }
}

/** The worker's heap ceiling: a hostile or huge PDF ends that one extraction, never the sync's memory budget. */
const workerHeapMb = 160;

/**
 * Runs `extractPdfText` in a worker thread, one file at a time: parsing is CPU work that would
 * otherwise stall downloads and database writes on the main thread, and pdfjs's memory stays
 * inside the worker's bounded heap. A worker that dies (out of memory, crash) is replaced, and
 * the file it was reading gets no text, like any unreadable PDF.
 */
export class PdfTextWorker {
  #worker: Worker | undefined;
  #pending: { id: number; resolve(text: string | null): void } | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #nextId = 0;

  /** Queues one file; resolves with its text, or null when it is not a readable PDF. */
  extract(file: string, size: number): Promise<string | null> {
    const result = this.#tail.then(() => this.#run(file, size));
    this.#tail = result.catch(() => null);
    return result;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #run(file: string, size: number): Promise<string | null> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const worker = this.#spawned();
      this.#pending = { id, resolve };
      // Referenced only while a file is being read: an idle extractor never keeps the process alive.
      worker.ref();
      worker.postMessage({ id, file, size });
    });
  }

  #spawned(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./pdf-text-worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: workerHeapMb } });
    worker.on('message', (reply: { id: number; text: string | null }) => this.#settle(reply.id, reply.text));
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      if (this.#pending) this.#settle(this.#pending.id, null);
    });
    this.#worker = worker;
    return worker;
  }

  #settle(id: number, text: string | null): void {
    if (this.#pending?.id !== id) return;
    const { resolve } = this.#pending;
    this.#pending = undefined;
    this.#worker?.unref();
    resolve(text);
  }
}
