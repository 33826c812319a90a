import { parentPort } from 'node:worker_threads';
import { extractPdfText, pdfiumMemoryBytes } from './pdfium.ts';

/** Worker side of `PdfTextExtractor`: extracts one PDF's text per message and answers it (null when unreadable) with its memory size. */
parentPort?.on('message', (message: { file: string; size: number }) => {
  extractPdfText(message.file, message.size).then(
    (text) => parentPort?.postMessage({ text, memoryBytes: pdfiumMemoryBytes() }),
    () => parentPort?.postMessage({ text: null, memoryBytes: pdfiumMemoryBytes() }),
  );
});
