import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { DocumentFiles } from '../core/review/document-files.ts';

/** The URL the renderer loads a stored document from, on the same origin as the page. */
export function browserDocumentUrl(documentId: number): string {
  return `/documents/${documentId}`;
}

/** Types a browser may show in place; everything else is offered as a download, never rendered as a page. */
const inlineTypes = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain']);

function servedType(mimeType: string | null): { contentType: string; inline: boolean } {
  const base = (mimeType ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
  if (!inlineTypes.has(base)) return { contentType: 'application/octet-stream', inline: false };
  return { contentType: base === 'text/plain' ? 'text/plain; charset=utf-8' : base, inline: true };
}

/** RFC 6266 / 8187: an ASCII fallback for old clients and the exact UTF-8 name for the rest. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export type DocumentResponse = { status: 200; headers: Record<string, string>; file: string; size: number } | { status: 404; message: string };

/** Resolves `/documents/<id>` to the verified file in the content-addressed store and the headers to send with it. */
export async function documentResponse(documents: DocumentFiles, documentId: number, download: boolean): Promise<DocumentResponse> {
  let document;
  try {
    document = documents.stored(documentId);
  } catch {
    return { status: 404, message: 'That document is not in the local cache. Sync the account to fetch it.' };
  }
  if (document.file === null) return { status: 404, message: `"${document.fileName}" has not been downloaded yet. Sync while online to fetch it.` };
  const size = (await stat(document.file)).size;
  const { contentType, inline } = servedType(document.mimeType);
  return {
    status: 200,
    file: document.file,
    size,
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(size),
      'Content-Disposition': contentDisposition(inline && !download ? 'inline' : 'attachment', document.fileName),
    },
  };
}

export function streamFile(response: ServerResponse, file: string, head: boolean): void {
  if (head) {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
