import { parentPort } from 'node:worker_threads';
import { extractPdfText } from './pdf-text.ts';

/** Worker side of `PdfTextWorker`: extracts one PDF's text per message and answers it (null when unreadable). */
parentPort?.on('message', (message: { id: number; file: string; size: number }) => {
  extractPdfText(message.file, message.size).then(
    (text) => parentPort?.postMessage({ id: message.id, text }),
    () => parentPort?.postMessage({ id: message.id, text: null }),
  );
});
