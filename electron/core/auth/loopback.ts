import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loopbackCallbackPath as callbackPath, loopbackRedirectUri } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import { portOwner } from './port-owner.ts';

/** What the browser tab shows once the sign-in attempt has an outcome. */
export type PageOutcome = { ok: true } | { ok: false; message: string };

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`. */
  readonly redirectUri: string;
  /** The URL of the first callback that carries this sign-in's `state`; rejects on timeout (`auth.timeout`) or cancel (`auth.cancelled`). */
  readonly callback: Promise<URL>;
  /** Answers the held callback request with the success page or a refusal page, then closes the listener. */
  finish(outcome: PageOutcome): void;
  /** Closes the listener at once (idempotent). */
  close(): void;
}

export interface LoopbackOptions {
  readonly providerLabel: string;
  /** The `state` of this sign-in: a callback without it is not this sign-in's answer. */
  readonly state: string;
  /** The account's fixed port (the registered redirect URI); a port the system picks when absent. */
  readonly port?: number | undefined;
  readonly timeoutMs: number;
  /** Said after the timeout and cancel messages: what to do if the provider never sent the browser back. */
  readonly whenNoAnswer?: string | undefined;
  readonly signal?: AbortSignal;
}

/**
 * The redirect target of an authorization-code sign-in (RFC 8252 §7.3, §8.3): a listener bound
 * to 127.0.0.1 only, on the account's fixed port or one the system picks, that waits for the
 * callback carrying this sign-in's `state`. Anything else — another path, a request naming another
 * host, a callback with another state or none (a forged or stale link), a second callback — gets
 * a refusal page and the listener keeps waiting, so a stray request cannot end the sign-in. The
 * callback is held open until the app knows the outcome, so the tab says whether it really worked.
 */
export async function startLoopback(options: LoopbackOptions): Promise<LoopbackListener> {
  let held: ServerResponse | undefined;
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
    } else if (held !== undefined) {
      page(response, 409, 'This sign-in link was already used', 'Dossier accepts one answer per sign-in. If you are not signed in, start the sign-in again from Dossier.');
    } else if (url.searchParams.get('state') !== options.state) {
      page(
        response,
        400,
        'Not the sign-in Dossier started',
        `This answer does not belong to the sign-in Dossier started (its state does not match), so it was refused. Dossier is still waiting for ${options.providerLabel}; finish the sign-in in the tab Dossier opened.`,
      );
    } else {
      held = response;
      resolveCallback(url);
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  const port = () => (server.address() as AddressInfo).port;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || options.port === undefined) return reject(error);
      void portBusy(options.providerLabel, options.port).then(reject, reject);
    });
    server.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
      server.removeAllListeners('error');
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
  const after = options.whenNoAnswer === undefined ? '' : ` ${options.whenNoAnswer}`;
  const timer = setTimeout(() => {
    fail(new DossierError('auth.timeout', `The sign-in to ${options.providerLabel} was not finished in time. Start it again when you are ready.${after}`));
  }, options.timeoutMs);
  timer.unref();
  const onAbort = (): void => fail(new DossierError('auth.cancelled', `The sign-in to ${options.providerLabel} was cancelled.${after}`));
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri: loopbackRedirectUri(port()),
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

/** The account's fixed port is taken: say by whom (where the system tells), and the two ways out. */
async function portBusy(providerLabel: string, port: number): Promise<DossierError> {
  const owner = await portOwner(port);
  const who =
    owner === undefined ? 'another program' : owner.pid === process.pid ? 'another sign-in waiting in Dossier' : `another program, ${owner.name} (process ${owner.pid})`;
  const close = owner?.pid === process.pid ? 'Finish or cancel that sign-in' : `Close ${owner === undefined ? 'that program' : owner.name}`;
  return new DossierError(
    'auth.redirect_port_busy',
    `Dossier cannot receive the ${providerLabel} sign-in: port ${port} of its redirect URI ${loopbackRedirectUri(port)} is in use by ${who}. ` +
      `${close} and sign in again, or change the account's redirect port and register the new redirect URI with ${providerLabel}.`,
    { field: 'redirectPort', port, owner: owner?.name },
  );
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
