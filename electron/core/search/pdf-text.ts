import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { init, type WrappedPdfiumModule } from '@embedpdf/pdfium';

/** Larger PDFs are stored and shown but not text-indexed: parsing them would need their whole size in memory. */
export const maxIndexedPdfBytes = 16 * 1024 * 1024;
/** Enough text to find a document by its content (title, abstract, introduction); keeps snippets and ranking fast. */
const maxTextChars = 60_000;
const maxPages = 60;

let pdfium: Promise<WrappedPdfiumModule> | undefined;
let pdfiumInstance: WrappedPdfiumModule | undefined;

/** PDFium compiled to WebAssembly, loaded once per thread from the package's own file (plain fs, so it also reads inside an asar archive). */
function loadPdfium(): Promise<WrappedPdfiumModule> {
  pdfium ??= (async () => {
    const wasmBinary = readFileSync(createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm'));
    const module = await init({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
    module.PDFiumExt_Init();
    pdfiumInstance = module;
    return module;
  })();
  return pdfium;
}

/** The size of the thread's WebAssembly memory, which grows with the largest PDF read and never shrinks. */
export function pdfiumMemoryBytes(): number {
  return pdfiumInstance?.pdfium.HEAPU8.byteLength ?? 0;
}

/**
 * Extracts the text of a PDF with PDFium (the engine of Chrome's PDF viewer), for the search
 * index: up to 60 pages or 60,000 characters, whitespace collapsed, pages on lines of their own.
 * Returns null when the file is not a PDF (providers' MIME types are not trusted: the signature
 * decides), is too large, or cannot be read; such a file is still a stored document, just not
 * searchable by content.
 */
export async function extractPdfText(file: string, size: number): Promise<string | null> {
  if (size > maxIndexedPdfBytes || size < 5) return null;
  const module = await loadPdfium();
  const { wasmExports, UTF16ToString } = module.pdfium;
  const data = wasmExports.malloc(size);
  if (data === 0) return null;
  let documentHandle = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      if (readSync(fd, module.pdfium.HEAPU8, data, size, 0) !== size) return null;
    } finally {
      closeSync(fd);
    }
    if (Buffer.from(module.pdfium.HEAPU8.buffer, data, 5).toString('latin1') !== '%PDF-') return null;
    documentHandle = module.FPDF_LoadMemDocument(data, size, '');
    if (documentHandle === 0) return null;
    const pages: string[] = [];
    let length = 0;
    for (let index = 0; index < Math.min(module.FPDF_GetPageCount(documentHandle), maxPages) && length < maxTextChars; index += 1) {
      const text = pageText(module, documentHandle, index, UTF16ToString);
      pages.push(text);
      length += text.length;
    }
    return pages.join('\n').slice(0, maxTextChars);
  } finally {
    if (documentHandle !== 0) module.FPDF_CloseDocument(documentHandle);
    wasmExports.free(data);
  }
}

function pageText(module: WrappedPdfiumModule, documentHandle: number, index: number, utf16ToString: (pointer: number) => string): string {
  const page = module.FPDF_LoadPage(documentHandle, index);
  if (page === 0) return '';
  const textPage = module.FPDFText_LoadPage(page);
  try {
    if (textPage === 0) return '';
    const count = module.FPDFText_CountChars(textPage);
    if (count <= 0) return '';
    const buffer = module.pdfium.wasmExports.malloc((count + 1) * 2);
    try {
      module.FPDFText_GetText(textPage, 0, count, buffer);
      return utf16ToString(buffer).replace(/\s+/g, ' ').trim();
    } finally {
      module.pdfium.wasmExports.free(buffer);
    }
  } finally {
    if (textPage !== 0) module.FPDFText_ClosePage(textPage);
    module.FPDF_ClosePage(page);
  }
}

/**
 * A worker whose WebAssembly memory grew past this (a large or hostile PDF) is replaced after that
 * file, so one odd document never keeps its memory for the rest of the sync.
 */
const recycleAboveBytes = 96 * 1024 * 1024;

interface Job {
  readonly file: string;
  readonly size: number;
  readonly signal: AbortSignal | undefined;
  resolve(text: string | null): void;
}

/** An idle worker ends after this long, returning its memory; a busy sync keeps its workers. */
const idleLifetimeMs = 5_000;

/**
 * Extracts PDF text in worker threads, one file per worker at a time: parsing is CPU work that
 * would otherwise stall downloads and database writes on the main thread. One worker per spare
 * core (at least one, at most three), started on first use; an idle worker never keeps the
 * process alive and ends after a few seconds. A worker that dies (a crash) is replaced, and the
 * file it was reading gets no text, like any unreadable PDF.
 */
export class PdfTextExtractor {
  readonly #size = Math.min(3, Math.max(1, availableParallelism() - 1));
  readonly #idle: Worker[] = [];
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];

  /** Queues one file; resolves with its text, or null when it is not a readable PDF or was cancelled before its turn. */
  extract(file: string, size: number, signal?: AbortSignal): Promise<string | null> {
    return new Promise((resolve) => {
      this.#queue.push({ file, size, signal, resolve });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const workers = [...this.#idle, ...this.#busy.keys()];
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #dispatch(): void {
    clearTimeout(this.#idleTimer);
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#busy.size < this.#size ? this.#spawn() : undefined);
      if (!worker) return;
      const job = this.#queue.shift() as Job;
      if (job.signal?.aborted) {
        job.resolve(null);
        this.#idle.push(worker);
        continue;
      }
      this.#busy.set(worker, job);
      worker.ref();
      worker.postMessage({ file: job.file, size: job.size });
    }
    for (const worker of this.#idle) worker.unref();
    if (this.#idle.length > 0) {
      this.#idleTimer = setTimeout(() => {
        for (const worker of this.#idle.splice(0)) void worker.terminate();
      }, idleLifetimeMs).unref();
    }
  }

  #spawn(): Worker {
    const worker = new Worker(new URL('./pdf-text-worker.ts', import.meta.url));
    worker.on('message', (reply: { text: string | null; memoryBytes: number }) => {
      this.#finish(worker, reply.text);
      if (reply.memoryBytes > recycleAboveBytes) void worker.terminate();
      else this.#idle.push(worker);
      this.#dispatch();
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      const idleAt = this.#idle.indexOf(worker);
      if (idleAt >= 0) this.#idle.splice(idleAt, 1);
      this.#finish(worker, null);
      this.#dispatch();
    });
    return worker;
  }

  #finish(worker: Worker, text: string | null): void {
    const job = this.#busy.get(worker);
    this.#busy.delete(worker);
    job?.resolve(text);
  }
}
