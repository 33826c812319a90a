import { parentPort } from 'node:worker_threads';
import { buildPdf, pdfSha1, type DocumentSpec } from '../pdf.ts';

/** Worker side of `HashPool`: builds a document from its spec and answers its sha1. */
parentPort?.on('message', (message: { id: number; spec: DocumentSpec }) => {
  buildPdf(message.spec).then(
    (document) => parentPort?.postMessage({ id: message.id, sha1: pdfSha1(document) }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
