import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/core.ts';
import type { DispatchOutcome } from '../core/api/dispatch.ts';
import { DossierError } from '../core/base/errors.ts';
import { documentResponse, streamFile } from '../host/documents.ts';
import {
  commonHeaders, contentSecurityPolicy, documentSecurityPolicy, hostAllowed, newToken, originAllowed,
  presentedTokens, sessionCookie, tokenMatches,
} from './security.ts';
import { staticFile } from './static.ts';

/**
 * The browser host (docs/architecture.md): the built renderer and the API contract over HTTP and WebSocket
 * on 127.0.0.1, so the same UI runs in any browser.
 *
 * Wire protocol
 * - `POST /api/<name>` with a JSON body (the input) → a JSON `DispatchOutcome`:
 *   `{ ok: true, result }` (200) or `{ ok: false, error: { code, message } }` (400 input.invalid,
 *   500 internal, 409 any other error code).
 * - `GET /events` upgraded to a WebSocket: every core event as `{ "event": name, "payload": … }`.
 * - `GET /documents/<id>` (and HEAD): a stored document's bytes; `?download=1` forces a download.
 * - Anything else: the built renderer (index.html for paths without an extension).
 *
 * The token: `dossier serve` prints `http://127.0.0.1:<port>/?token=<secret>`. Every request must
 * carry it as `Authorization: Bearer`, as `?token=` or in the session cookie. The first page load
 * (token in the query) sets the cookie — HttpOnly so no script reads it, SameSite=Strict so no other
 * site's request carries it — which covers what a page cannot add headers to (its scripts and styles,
 * a download link). The renderer also keeps the token in sessionStorage, strips it from the address
 * bar, and sends it as a Bearer header on API calls and in the WebSocket URL.
 */

export interface BrowserHostOptions {
  readonly core: Core;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  /** Fixed only by tests; a fresh random one otherwise. */
  readonly token?: string;
}

export interface BrowserHost {
  readonly port: number;
  readonly token: string;
  /** The address to open: loopback, with the token. */
  readonly url: string;
  close(): Promise<void>;
}

const maxBodyBytes = 4 * 1024 * 1024;

function statusOf(outcome: DispatchOutcome): number {
  if (outcome.ok) return 200;
  if (outcome.error.code === 'input.invalid') return 400;
  if (outcome.error.code === 'internal') return 500;
  return 409;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(body);
}

function refuse(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { ok: false, error: { code: status === 401 ? 'auth.needs_login' : 'input.invalid', message } });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** A person who opened the address without its key gets a page that says what to do, not JSON. */
function refusePage(request: IncomingMessage, response: ServerResponse, status: number, message: string): void {
  if (request.method !== 'GET' || !(request.headers.accept ?? '').includes('text/html')) return refuse(response, status, message);
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Dossier</title>
<body style="font: 16px system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1 style="font-size: 1.4rem">Dossier</h1><p>${escapeHtml(message)}</p></body></html>`;
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core } = options;
  const token = options.token ?? newToken();
  const log = core.log.child({ component: 'web' });
  const sockets = new Set<Socket>();
  let port = 0;

  const authorised = (request: IncomingMessage, url: URL): boolean =>
    presentedTokens(request.headers, url, port).some((presented) => tokenMatches(presented, token));

  async function handleApi(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') return refuse(response, 405, 'API requests are POST.');
    if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return refuse(response, 415, 'Send the request body as application/json.');
    }
    const body = await readBody(request);
    if (body === undefined) return refuse(response, 413, 'That request is too large.');
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return refuse(response, 400, 'The request body is not valid JSON.');
      }
    }
    const outcome = await core.dispatch(name, input);
    sendJson(response, statusOf(outcome), outcome);
  }

  async function handleDocument(request: IncomingMessage, response: ServerResponse, url: URL, id: string): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Documents are read with GET.');
    const documentId = Number(id);
    if (!Number.isSafeInteger(documentId) || documentId <= 0) return refuse(response, 404, 'No such document.');
    const found = await documentResponse(core.services.documents, documentId, url.searchParams.get('download') === '1');
    if (found.status === 404) return sendJson(response, 404, { ok: false, error: { code: 'document.missing', message: found.message } });
    response.writeHead(200, { ...found.headers, 'Content-Security-Policy': documentSecurityPolicy, 'Cache-Control': 'private, no-store' });
    streamFile(response, found.file, request.method === 'HEAD');
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Only GET is served here.');
    const file = await staticFile(options.rendererDir, url.pathname);
    if (!file) {
      const built = await staticFile(options.rendererDir, '/index.html');
      return refuse(response, built ? 404 : 503, built ? 'Not found.' : 'The interface is not built. Run `npm run build:renderer`, then reload.');
    }
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-store',
    };
    // The first load brings the token in the query: keep it as this launch's session cookie.
    if (url.searchParams.has('token')) headers['Set-Cookie'] = sessionCookie(port, token);
    response.writeHead(200, headers);
    streamFile(response, file.file, request.method === 'HEAD');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [header, value] of Object.entries(commonHeaders)) response.setHeader(header, value);
    response.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
    if (!hostAllowed(request.headers.host, port)) return refusePage(request, response, 421, 'This service answers only to 127.0.0.1 and localhost.');
    // Cookies ignore ports, so another local server's page is "same-site": only our own origin may ask.
    if (!originAllowed(request.headers, port)) return refuse(response, 403, 'Requests from other sites are refused.');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (!authorised(request, url)) {
      return refusePage(request, response, 401, 'This page needs the address Dossier printed when it started (it carries a one-time key). Run `dossier serve` and open that address.');
    }
    const api = /^\/api\/([^/]+)$/.exec(url.pathname);
    if (api?.[1] !== undefined) return handleApi(request, response, api[1]);
    const document = /^\/documents\/([^/]+)$/.exec(url.pathname);
    if (document?.[1] !== undefined) return handleDocument(request, response, url, document[1]);
    return handleStatic(request, response, url);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error('web.request_failed', { path: request.url?.split('?')[0], error });
      if (!response.headersSent) refuse(response, 500, 'Dossier could not answer that request. The details are in the log.');
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const events = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const allowed = hostAllowed(request.headers.host, port) && originAllowed(request.headers, port) && authorised(request, url) && url.pathname === '/events';
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    events.handleUpgrade(request, socket, head, (client: WebSocket) => {
      const unsubscribe = core.events.onAny((name, payload) => {
        if (client.readyState === client.OPEN) client.send(JSON.stringify({ event: name, payload }));
      });
      client.on('close', unsubscribe);
      client.on('error', unsubscribe);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new DossierError('input.invalid', `Port ${options.port} on 127.0.0.1 is already in use. Choose another with --port, or leave it out to take any free port.`, { port: options.port }, { cause: error })
        : error);
    };
    server.once('error', failed);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', failed);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  log.info('web.listening', { port });

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const client of events.clients) client.terminate();
      events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
