import { protocol, type Session } from 'electron';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { Logger } from '../core/base/log.ts';
import { routeAppRequest } from './app-routes.ts';
import type { DocumentFile } from '../utility/core-protocol.ts';
import { appScheme } from '../utility/core-protocol.ts';
import { appHeaders, documentSecurityHeaders } from './security.ts';

/**
 * The renderer is served from `app://dossier/` (checklist #18: never `file://`). Must run before
 * the app is ready. Standard + secure gives it a real origin and a secure context; no CSP bypass,
 * no CORS: the page can only reach its own origin.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Answers `app://` requests from the built renderer and, by id, from the document store. */
export function serveAppScheme(session: Session, rendererRoot: string, documentFile: (documentId: number) => Promise<DocumentFile>, log: Logger): void {
  session.protocol.handle(appScheme, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const route = routeAppRequest(request.url, rendererRoot);
    try {
      if (route.kind === 'asset') {
        return new Response(await readFile(route.file), { headers: appHeaders(route.contentType) });
      }
      if (route.kind === 'document') {
        const file = await documentFile(route.documentId);
        if (!file) return notFound();
        const headers = { ...file.headers, ...documentSecurityHeaders };
        if (request.method === 'HEAD') return new Response(null, { headers });
        const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
        return new Response(body as unknown as ConstructorParameters<typeof Response>[0], { headers });
      }
    } catch (error) {
      log.warn('app_protocol.failed', { route: route.kind, error });
    }
    return notFound();
  });
}
