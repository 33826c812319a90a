import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DossierError } from '../base/errors.ts';

export const callbackPath = '/callback';

/** What the browser tab shows once the sign-in attempt has an outcome. */
export type PageOutcome = { ok: true } | { ok: false; message: string };

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`. */
  readonly redirectUri: string;
  /** The first callback's URL; rejects on timeout (`auth.timeout`) or cancel (`auth.cancelled`). */
  readonly callback: Promise<URL>;
  /** Answers the held callback request with the success page or a refusal page, then closes the listener. */
  finish(outcome: PageOutcome): void;
  /** Closes the listener at once (idempotent). */
  close(): void;
}

export interface LoopbackOptions {
  readonly providerLabel: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * The redirect target of an authorization-code sign-in (RFC 8252 §7.3, §8.3): a listener bound
 * to 127.0.0.1 only, on a port the system picks, that accepts one request to /callback. Any
 * other path, a second callback, or a request naming another host gets a refusal page and
 * changes nothing. The first callback is held open until the app knows the outcome, so the tab
 * says whether the sign-in really worked.
 */
export async function startLoopback(options: LoopbackOptions): Promise<LoopbackListener> {
  let held: ServerResponse | undefined;
  let consumed = false;
  let settled = false;
  let resolveCallback!: (url: URL) => void;
  let rejectCallback!: (error: DossierError) => void;
  const callback = new Promise<URL>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  callback.catch(() => undefined);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port()}`);
    if (request.headers.host !== `127.0.0.1:${port()}`) {
      page(response, 400, 'Not a Dossier sign-in address', 'This address only answers the browser tab that Dossier opened for signing in.');
    } else if (url.pathname !== callbackPath || request.method !== 'GET') {
      page(response, 404, 'Nothing here', 'This address is only used to finish a Dossier sign-in. You can close this tab.');
    } else if (consumed) {
      page(response, 409, 'This sign-in link was already used', 'Dossier accepts one answer per sign-in. If you are not signed in, start the sign-in again from Dossier.');
    } else {
      consumed = true;
      held = response;
      resolveCallback(url);
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  const port = () => (server.address() as AddressInfo).port;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const close = (): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    // Give the page being sent a moment, then cut any other connection the browser left open.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  };
  const fail = (error: DossierError): void => {
    rejectCallback(error);
    if (held === undefined) close();
  };
  const timer = setTimeout(() => {
    fail(new DossierError('auth.timeout', `The sign-in to ${options.providerLabel} was not finished in time. Start it again when you are ready.`));
  }, options.timeoutMs);
  timer.unref();
  const onAbort = (): void => fail(new DossierError('auth.cancelled', `The sign-in to ${options.providerLabel} was cancelled.`));
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri: `http://127.0.0.1:${port()}${callbackPath}`,
    callback,
    finish(outcome) {
      if (held !== undefined && !held.headersSent) {
        if (outcome.ok) page(held, 200, `Signed in to ${options.providerLabel}`, 'Dossier is signed in. You can close this tab and return to Dossier.');
        else page(held, 400, `Sign-in to ${options.providerLabel} failed`, `${outcome.message} You can close this tab.`);
      }
      close();
    },
    close,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(response: ServerResponse<IncomingMessage>, status: number, title: string, message: string): void {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Dossier</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2328}h1{font-size:1.4rem}</style>' +
    `</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  response.end(html);
}
