import type { Dispatcher } from 'undici';
import type { ProviderRequest, ProviderSession } from './session.ts';
import { DossierError } from '../../base/errors.ts';
import type { Logger } from '../../base/log.ts';
import { parseJsonBody } from './validate.ts';
import { AdaptiveLimit, sleep } from './adaptive-limit.ts';

export type SessionRequest = ProviderRequest;

/** The part of a signed-in session sync needs: token placement and refresh happen inside. */
export type SessionLike = Pick<ProviderSession, 'request'>;

export interface HttpPolicy {
  readonly provider: string;
  /** Requests in flight at once for one account when a sync starts; it adapts from there (adaptive-limit.ts). */
  readonly concurrency: number;
  /**
   * The most requests of one account ever in flight at once. No provider documents a limit
   * (docs/providers/reference.md), so this is Dossier's choice, not the provider's
   * (docs/decisions/0021-adaptive-concurrency.md).
   */
  readonly ceiling: number;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The largest reply read into memory (one page of a list); a larger one is refused. */
  readonly maxReplyBytes: number;
}

/**
 * One reply is parsed whole, and parsing needs several times its size in heap: 64 MB of JSON peaks
 * near 80 MB of heap (measured), safely inside the core's 192 MB (electron/host/heap.ts). No
 * provider's page comes near it; the user can raise it (docs/decisions/0008-shared-profile-and-faults.md).
 */
export const defaultMaxReplyMb = 64;

export const defaultPolicy = (provider: string, concurrency = 4, ceiling = 8): HttpPolicy => ({
  provider,
  concurrency,
  ceiling,
  maxAttempts: 10,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  maxReplyBytes: defaultMaxReplyMb * 1024 * 1024,
});
const retryStatuses = new Set([408, 425, 429, 500, 502, 503, 504]);
const retryNetworkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** A wait between attempts, announced before it starts so the user sees why the sync is quiet and until when. */
export interface RetryWait {
  /** The attempt that failed (1 for the first request). */
  readonly attempt: number;
  readonly reason: 'throttled' | 'unavailable' | 'network';
  /** The HTTP status that failed, when there was one. */
  readonly status: number | null;
  /** When the next attempt starts (ISO-8601). */
  readonly until: string;
}

/** Who the requests are for, in the user's words, and who hears about waits. */
export interface HttpAudience {
  /** The account's name as the user gave it: every message names the account by it. */
  readonly accountName: string;
  readonly onRetry?: ((wait: RetryWait) => void) | undefined;
}

/** Thrown inside a consume callback when the reply is a transient failure worth another try. */
class Transient extends Error {
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly kind: 'throttled' | 'unavailable' | 'network';

  constructor(kind: 'throttled' | 'unavailable' | 'network', status: number | null, retryAfterMs: number | null, message: string) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A provider's HTTP behaviour for one account: a concurrency limit that adapts to the provider's
 * round trips and throttles, exponential backoff with full jitter that honours Retry-After (holding
 * every request of the account meanwhile) and CareerPlug's load-balancer throttle page, and cancellation.
 * Every call reads its whole reply inside the retry, so a reset or truncated body is retried too.
 */
export class ProviderHttp {
  readonly #session: SessionLike;
  readonly #policy: HttpPolicy;
  readonly #signal: AbortSignal;
  readonly #log: Logger;
  readonly #limit: AdaptiveLimit;
  readonly #audience: HttpAudience;

  constructor(session: SessionLike, policy: HttpPolicy, signal: AbortSignal, log: Logger, audience: HttpAudience) {
    this.#session = session;
    this.#policy = policy;
    this.#signal = signal;
    this.#log = log;
    this.#limit = new AdaptiveLimit({
      initial: policy.concurrency,
      ceiling: policy.ceiling,
      onChange: ({ limit, reason }) => log.info('sync.http.limit', { provider: policy.provider, limit, reason }),
    });
    this.#audience = audience;
  }

  /** The account as messages name it: "Econ dept" rather than the provider's id. */
  get #who(): string {
    return `"${this.#audience.accountName}"`;
  }

  get provider(): string {
    return this.#policy.provider;
  }

  get signal(): AbortSignal {
    return this.#signal;
  }

  /**
   * Runs a request and consumes a successful (2xx) reply with `consume`, retrying transient failures.
   * With `once` (a write that is not idempotent) only a throttled reply is tried again here: after any
   * other failure the provider may have applied it, so the outbox resumes it on the next sync, where
   * the connector looks for it before sending again.
   */
  async call<T>(endpoint: string, request: SessionRequest, consume: (response: Dispatcher.ResponseData) => Promise<T>, options: { once?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      this.#throwIfCancelled();
      const slot = await this.#limit.acquire(this.#signal);
      let transient: Transient;
      try {
        this.#throwIfCancelled();
        const sent = performance.now();
        const response = await this.#session.request({ ...request, signal: this.#signal }).catch((error: unknown) => {
          // A garbled reply while the session fetched a token (a cut-off or HTML token reply) is as transient as any other.
          if (error instanceof DossierError && error.code === 'provider.malformed_response') throw new Transient('unavailable', null, null, error.message);
          throw error;
        });
        const roundTripMs = performance.now() - sent;
        try {
          await this.#checkStatus(endpoint, response);
          slot.succeeded(roundTripMs);
          return await consume(response);
        } finally {
          if (!response.body.destroyed) response.body.destroy();
        }
      } catch (error) {
        this.#throwIfCancelled();
        const classified = asTransient(error);
        if (!classified) throw error;
        if (classified.kind === 'throttled') slot.throttled(classified.retryAfterMs);
        transient = classified;
      } finally {
        // Given back before any wait below, so a waiting request holds no place.
        slot.release();
      }
      if (attempt >= this.#policy.maxAttempts || (options.once === true && transient.kind !== 'throttled')) throw this.#giveUp(endpoint, transient);
      const delay = transient.retryAfterMs ?? backoff(attempt, this.#policy.baseDelayMs, this.#policy.maxDelayMs, transient.kind === 'throttled' ? 4 : 1);
      this.#log.warn('sync.http.retry', { provider: this.#policy.provider, endpoint, attempt, status: transient.status, reason: transient.message, delayMs: delay });
      this.#audience.onRetry?.({ attempt, reason: transient.kind, status: transient.status, until: new Date(Date.now() + delay).toISOString() });
      await sleep(delay, this.#signal);
    }
  }

  /** GET (or other) a JSON reply and parse it; HTML pages and invalid JSON become a clear error. */
  async json(endpoint: string, request: SessionRequest): Promise<unknown> {
    return (await this.jsonWithHeaders(endpoint, request)).body;
  }

  /** `json`, with the reply's headers (an RFC 8288 `Link` header that says where the next page is). */
  jsonWithHeaders(endpoint: string, request: SessionRequest): Promise<{ body: unknown; headers: Dispatcher.ResponseData['headers'] }> {
    return this.call(endpoint, request, async (response) => {
      const limit = this.#policy.maxReplyBytes;
      const tooLarge = (): DossierError => this.#tooLarge(endpoint, limit);
      // A stated length over the limit is refused before a byte is read; a chunked reply is cut off at the limit.
      if (Number(headerValue(response.headers['content-length']) ?? 0) > limit) throw tooLarge();
      return { body: parseJsonBody(await readText(response.body, limit, tooLarge), { provider: this.#policy.provider, endpoint }), headers: response.headers };
    });
  }

  #tooLarge(endpoint: string, limit: number): DossierError {
    const limitMb = Math.round(limit / 1024 / 1024);
    return new DossierError(
      'provider.too_large',
      `The provider's reply to ${endpoint} for ${this.#who} is larger than ${limitMb} MB, the most Dossier reads for one page. Nothing from it was saved. ` +
        `If the account really holds pages that large, raise the reply limit to ${limitMb * 4} MB (the profile keeps it for later syncs).`,
      { provider: this.#policy.provider, endpoint, limitBytes: limit },
    );
  }

  async #checkStatus(endpoint: string, response: Dispatcher.ResponseData): Promise<void> {
    const status = response.statusCode;
    if (status >= 200 && status < 300) return;
    const headers = response.headers;
    const retryAfter = retryAfterMs(headerValue(headers['retry-after']));
    if (isLoadBalancerThrottle(status, headers)) {
      await response.body.dump();
      throw new Transient('throttled', status, retryAfter, 'throttled by the load balancer');
    }
    if (retryStatuses.has(status)) {
      await response.body.dump();
      throw new Transient(status === 429 ? 'throttled' : 'unavailable', status, retryAfter, `HTTP ${status}`);
    }
    const body = await readText(response.body, 64 * 1024, () => new Error('error page too long')).catch(() => '');
    const detail = { provider: this.#policy.provider, endpoint, status, body: body.slice(0, 500) };
    if (status === 401) throw new DossierError('auth.expired', `The provider no longer accepts the sign-in of ${this.#who}. Sign in again, then sync.`, detail);
    if (status === 403) throw new DossierError('auth.access_denied', `The provider refused ${this.#who} access to ${endpoint}. Check the account's permissions (and, for EconJobMarket, that this computer's IP address is allowed).`, detail);
    if (status === 404) throw new DossierError('provider.not_found', `The provider says ${endpoint} does not exist for ${this.#who}. It may have been removed; sync again to refresh.`, detail);
    throw new DossierError('provider.validation', `The provider rejected a request of ${this.#who} to ${endpoint} (HTTP ${status}).`, detail);
  }

  #giveUp(endpoint: string, transient: Transient): DossierError {
    const detail = { provider: this.#policy.provider, endpoint, status: transient.status ?? undefined, reason: transient.message };
    if (transient.kind === 'throttled') {
      return new DossierError('provider.throttled', `The provider of ${this.#who} is limiting requests. Wait a few minutes and sync again; what was already saved is kept.`, detail);
    }
    if (transient.kind === 'network') {
      return new DossierError('network.unreachable', `The provider of ${this.#who} could not be reached. Check the internet connection and sync again; what was already saved is kept.`, detail);
    }
    return new DossierError('provider.unavailable', `The provider of ${this.#who} is having trouble${transient.status === null ? '' : ` (server error ${transient.status})`}. Sync again later; what was already saved is kept.`, detail);
  }

  #throwIfCancelled(): void {
    if (this.#signal.aborted) throw new DossierError('sync.cancelled', 'The sync was cancelled. Everything saved before that point is kept.');
  }
}

/** CareerPlug's AWS load balancer answers a throttled client with a bare HTML 403 and no Rails headers. */
function isLoadBalancerThrottle(status: number, headers: Dispatcher.ResponseData['headers']): boolean {
  if (status !== 403) return false;
  const server = headerValue(headers.server) ?? '';
  const type = headerValue(headers['content-type']) ?? '';
  return /awselb/i.test(server) && !headers['x-request-id'] && !headers['x-runtime'] && (type === '' || /html/i.test(type));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as delta-seconds or an HTTP date, capped so a hostile value cannot stall a sync for hours. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const capMs = 120_000;
  if (/^\d+$/.test(value.trim())) return Math.min(Number(value.trim()) * 1000, capMs);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, date - now), capMs);
}

/** Exponential backoff with full jitter (AWS architecture blog): random in [0, min(cap, base·2^n)]. */
export function backoff(attempt: number, baseMs: number, capMs: number, factor = 1, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * factor * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function asTransient(error: unknown): Transient | null {
  if (error instanceof Transient) return error;
  if (error instanceof DossierError) {
    // The session classifies some replies itself (a throttle page, a token endpoint that is down); those are still worth waiting out.
    if (error.code === 'provider.unavailable' || error.code === 'network.unreachable') {
      return new Transient(error.code === 'provider.unavailable' ? 'unavailable' : 'network', typeof error.detail?.status === 'number' ? error.detail.status : null, null, error.message);
    }
    if (error.code !== 'provider.throttled') return null;
    const status = typeof error.detail?.status === 'number' ? error.detail.status : null;
    const retryAfter = typeof error.detail?.retryAfter === 'string' ? retryAfterMs(error.detail.retryAfter) : null;
    return new Transient('throttled', status, retryAfter, error.message);
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if ((typeof code === 'string' && retryNetworkCodes.has(code)) || /other side closed|socket hang up|premature close|terminated|aborted/i.test(message)) {
    return new Transient('network', null, null, typeof code === 'string' ? code : message);
  }
  return null;
}

/** Reads a body as UTF-8, throwing `tooLarge()` as soon as it passes `limit` bytes (the caller then drops the connection). */
export async function readText(body: AsyncIterable<Buffer | string>, limit: number, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) throw tooLarge();
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}
