import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import type { CommitteeConnection } from '../../../shared/api/committee.ts';
import { bearerOf, closeReasons } from '../../../shared/committee.ts';
import { DossierError } from '../base/errors.ts';
import { committeeServer, syncSocketUrl, type MemberCredentials } from './server-client.ts';

export interface LinkEvents {
  /** The connection moved (to 'revoked' once the server turned this member away for good). */
  readonly onState: (state: CommitteeConnection) => void;
  /** A sync with the server completed: each side holds the other's changes. */
  readonly onSynced: () => void;
  /** The count of changes the server has not acknowledged moved (to `pending`). */
  readonly onPending: (pending: number) => void;
}

/**
 * One committee's sync socket: a Hocuspocus provider on the shared Y.Doc that reconnects by itself
 * (quickly at first, then every few seconds) until closed, or until the server says the member was
 * revoked. Nothing is ever put in the awareness (presence) state: it would travel unencrypted.
 */
export class CommitteeConnectionLink {
  readonly #socket: HocuspocusProviderWebsocket;
  readonly #provider: HocuspocusProvider;
  readonly #events: LinkEvents;
  readonly #synced: Promise<void>;
  #state: CommitteeConnection = 'connecting';
  #closed = false;

  constructor(serverUrl: string, committeeId: string, credentials: MemberCredentials, doc: Y.Doc, events: LinkEvents) {
    this.#events = events;
    let synced: () => void = () => undefined;
    this.#synced = new Promise((resolve) => (synced = resolve));
    this.#socket = new HocuspocusProviderWebsocket({
      url: syncSocketUrl(serverUrl),
      WebSocketPolyfill: WebSocket,
      delay: 250,
      minDelay: 250,
      maxDelay: 5_000,
      // A member may be offline for days: keep trying for as long as the committee is open.
      maxAttempts: 0,
    });
    this.#provider = new HocuspocusProvider({
      websocketProvider: this.#socket,
      name: committeeId,
      document: doc,
      token: bearerOf(credentials.memberId, credentials.authKey),
      // The awareness state stays empty (it travels unencrypted); its periodic renewal is what feeds the socket's liveness check.
      onStatus: ({ status }) => {
        // 'connected' is not online yet: that waits for authentication and the first exchange.
        if (status !== 'connected') this.#move(status === 'connecting' ? 'connecting' : 'offline');
      },
      onSynced: ({ state }) => {
        if (!state) return;
        this.#move('online');
        synced();
        this.#events.onSynced();
      },
      onUnsyncedChanges: ({ number }) => this.#events.onPending(number),
      onAuthenticationFailed: ({ reason }) => void this.#refused(reason, serverUrl, committeeId, credentials),
      onClose: ({ event }) => {
        if (event.reason === closeReasons.revoked) this.#revoked();
      },
    });
    this.#provider.attach();
  }

  get state(): CommitteeConnection {
    return this.#state;
  }

  /** Local changes sent but not yet acknowledged by the server. */
  get unsyncedChanges(): number {
    return this.#provider.unsyncedChanges;
  }

  /** Whether the first sync completes within `timeoutMs`. */
  async firstSync(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.#synced.then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The server refused the token. A revoked member is told so by the reason; any other refusal
   * (an instance that does not say why) is checked over HTTP before the committee is given up.
   */
  async #refused(reason: string, serverUrl: string, committeeId: string, credentials: MemberCredentials): Promise<void> {
    if (reason.includes(closeReasons.revoked)) return this.#revoked();
    try {
      await committeeServer.members(serverUrl, committeeId, credentials);
    } catch (error) {
      if (error instanceof DossierError && error.code === 'committee.revoked') this.#revoked();
    }
  }

  #revoked(): void {
    if (this.#closed) return;
    this.close();
    this.#state = 'revoked';
    this.#events.onState('revoked');
  }

  #move(state: CommitteeConnection): void {
    if (this.#closed || this.#state === state) return;
    this.#state = state;
    this.#events.onState(state);
  }

  /** Stops for good: no more reconnecting. The document is left as it is. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Closing a socket still handshaking makes `ws` emit an error nobody listens to any more: a crash, not news.
    (this.#socket.webSocket as unknown as WebSocket | null)?.on('error', () => undefined);
    this.#provider.destroy();
    this.#socket.destroy();
  }
}
