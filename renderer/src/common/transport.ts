import type { ApiInput, ApiName, ApiResult, DossierClient, EventName, EventPayload } from '../../../shared/contract.ts';

/** An error from the core as the UI sees it: a stable code and a message that says what to do next. */
export class CallError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CallError';
    this.code = code;
  }
}

export function errorCode(error: unknown): string {
  if (error instanceof CallError) return error.code;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'internal';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again; if it keeps happening, see the log in the data folder.';
}

declare global {
  interface Window {
    /** Set by the Electron preload (electron/preload/index.ts); absent in the browser host. */
    dossier?: DossierClient;
  }
}

const tokenKey = 'dossier.token';

/**
 * The browser host hands out a per-launch secret in the URL it prints (`?token=…` or `#token=…`).
 * It is kept for this tab only and removed from the address bar so it does not end up in history
 * or in a screenshot.
 */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromHash = new URLSearchParams(url.hash.slice(1)).get('token');
  const fromQuery = url.searchParams.get('token');
  const token = fromHash ?? fromQuery;
  if (token) {
    sessionStorage.setItem(tokenKey, token);
    url.searchParams.delete('token');
    const hash = new URLSearchParams(url.hash.slice(1));
    hash.delete('token');
    url.hash = hash.toString();
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return token;
  }
  return sessionStorage.getItem(tokenKey) ?? '';
}

type ConnectionListener = (connected: boolean) => void;

/** The browser host's transport: HTTP POST /api/<name> for requests, one WebSocket for events. */
export class BrowserClient implements DossierClient {
  readonly #token: string;
  readonly #listeners = new Map<string, Set<(payload: never) => void>>();
  readonly #connectionListeners = new Set<ConnectionListener>();
  #socket: WebSocket | null = null;
  #retryDelay = 500;

  constructor(token: string) {
    this.#token = token;
    this.#connect();
  }

  get token(): string {
    return this.#token;
  }

  async call<Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
    let response: Response;
    try {
      response = await fetch(`/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new CallError('network.unreachable', 'Dossier’s local service is not answering. Restart Dossier, then reload this page.');
    }
    const body = (await response.json().catch(() => null)) as { ok?: boolean; result?: unknown; error?: { code: string; message: string } } | null;
    if (body?.ok === true) return body.result as ApiResult<Name>;
    if (body?.error) throw new CallError(body.error.code, body.error.message);
    if (response.status === 401 || response.status === 403) {
      throw new CallError('auth.needs_login', 'This page’s access key is missing or out of date. Open the address Dossier printed when it started.');
    }
    throw new CallError('internal', `Dossier’s local service answered ${response.status}. Try again.`);
  }

  on<Name extends EventName>(name: Name, listener: (payload: EventPayload<Name>) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.#listeners.set(name, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  onConnection(listener: ConnectionListener): () => void {
    this.#connectionListeners.add(listener);
    return () => this.#connectionListeners.delete(listener);
  }

  #connect(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/events?token=${encodeURIComponent(this.#token)}`);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#retryDelay = 500;
      for (const listener of this.#connectionListeners) listener(true);
    });
    socket.addEventListener('message', (message) => {
      if (typeof message.data !== 'string') return;
      const parsed = JSON.parse(message.data) as { event?: string; name?: string; payload?: unknown };
      const name = parsed.event ?? parsed.name;
      if (!name) return;
      for (const listener of this.#listeners.get(name) ?? []) listener(parsed.payload as never);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      for (const listener of this.#connectionListeners) listener(false);
      // Reconnect with backoff so a restarted host is picked up without a reload.
      window.setTimeout(() => this.#connect(), this.#retryDelay);
      this.#retryDelay = Math.min(this.#retryDelay * 2, 10_000);
    });
  }
}

/** The Electron preload's client wrapped so its errors carry the same CallError shape. */
function wrapPreload(client: DossierClient): DossierClient {
  return {
    call: async (name, input) => {
      try {
        return await client.call(name, input);
      } catch (error) {
        throw new CallError(errorCode(error), errorMessage(error));
      }
    },
    on: (name, listener) => client.on(name, listener),
  };
}

export interface Transport {
  client: DossierClient;
  /** Adds whatever the transport needs to load a stored document (the browser host wants its token). */
  documentRequest(url: string): { url: string; headers: Record<string, string> };
  onConnection(listener: ConnectionListener): () => void;
}

export function connect(): Transport {
  if (window.dossier) {
    const client = wrapPreload(window.dossier);
    return { client, documentRequest: (url) => ({ url, headers: {} }), onConnection: () => () => undefined };
  }
  const browser = new BrowserClient(takeToken());
  return {
    client: browser,
    documentRequest: (url) => ({ url, headers: { authorization: `Bearer ${browser.token}` } }),
    onConnection: (listener) => browser.onConnection(listener),
  };
}
