import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { extractPdfText, pdfiumMemoryBytes } from './pdfium.ts';

/** The lowest priority (nice 19): this thread gets a core only when downloads and the main thread leave it idle. */
const idlePriority = 19;

// Only ever asked for on Linux, where pid 0 is this thread alone (see `PdfTextExtractor`).
if ((workerData as { lowPriority: boolean }).lowPriority) setPriority(0, idlePriority);

/** Worker side of `PdfTextExtractor`: extracts one PDF's text per message and answers it (null when unreadable) with its memory size. */
parentPort?.on('message', (message: { file: string; size: number }) => {
  extractPdfText(message.file, message.size).then(
    (text) => parentPort?.postMessage({ text, memoryBytes: pdfiumMemoryBytes() }),
    () => parentPort?.postMessage({ text: null, memoryBytes: pdfiumMemoryBytes() }),
  );
});
