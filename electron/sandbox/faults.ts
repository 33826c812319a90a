/**
 * Fault switches shared by every provider emulator. Counted faults fire on the next N API
 * requests (control and OAuth-page requests are never faulted unless a provider says so).
 *
 * The load limits (`concurrencyCap`, `requestsPerSecond`) are invented behaviour: the docs are
 * silent. No provider documents a rate or concurrency limit (docs/providers/reference.md), so these
 * are the two shapes a limit commonly takes, for testing how Dossier's adaptive limit copes.
 */
export interface FaultSettings {
  /** Added delay before every API response, in milliseconds. */
  latencyMs: number;
  /** Every Nth API request answers 429 with Retry-After (0 = off). */
  rateLimitEvery: number;
  /** The Retry-After of every 429 these switches send; null sends none. */
  retryAfterSeconds: number | null;
  /**
   * An API request arriving while N others are in flight (sent and not yet answered) answers 429
   * (0 = off). Invented: the docs are silent.
   */
  concurrencyCap: number;
  /**
   * An API request arriving when N were accepted within the last second (a sliding window) answers
   * 429 (0 = off). Invented: the docs are silent.
   */
  requestsPerSecond: number;
  /** The next N API requests answer `errorStatus` (a 500/503 storm). */
  errorStorm: number;
  errorStatus: 500 | 502 | 503;
  /** The next N API requests get the provider's own throttling reply (e.g. CareerPlug's ELB HTML 403). */
  throttle: number;
  /** The next N response bodies are cut off halfway (Content-Length promises more). */
  truncate: number;
  /** The next N responses have their connection destroyed mid-body. */
  reset: number;
  /** The next N responses carry an HTML error page instead of the documented body. */
  malformed: number;
  /** Lifetime of tokens minted from now on, overriding the provider's documented one (null = documented). */
  tokenLifetimeSeconds: number | null;
}

export type CountedFault = 'errorStorm' | 'throttle' | 'truncate' | 'reset' | 'malformed';

export const noFaults: FaultSettings = {
  latencyMs: 0,
  rateLimitEvery: 0,
  retryAfterSeconds: 1,
  concurrencyCap: 0,
  requestsPerSecond: 0,
  errorStorm: 0,
  errorStatus: 503,
  throttle: 0,
  truncate: 0,
  reset: 0,
  malformed: 0,
  tokenLifetimeSeconds: null,
};

/** What the emulator saw of the load, for tests: it counts, the client under test is not asked. */
export interface Traffic {
  /** 429s sent by `rateLimitEvery`, `concurrencyCap` or `requestsPerSecond`. */
  readonly tooManyRequests: number;
  /** Every API request (each attempt) in arrival order. */
  readonly arrivals: readonly TrafficArrival[];
}

export interface TrafficArrival {
  /** When it arrived (ms since the epoch). */
  readonly at: number;
  /** How many API requests were in flight as it arrived, itself included. */
  readonly inFlight: number;
  /** Whether a load limit refused it. */
  readonly refused: boolean;
}

/** One API request under the load limits: whether it is refused, and a way to say it was answered. */
export interface Arrival {
  readonly refused: boolean;
  /** Called once its response has closed (answered, or its connection gone). */
  leave(): void;
}

export class FaultSwitch {
  #settings: FaultSettings = { ...noFaults };
  #apiRequests = 0;
  #inFlight = 0;
  #tooManyRequests = 0;
  #arrivals: TrafficArrival[] = [];
  /** When each request accepted within the last second arrived (ms, oldest first). */
  #accepted: number[] = [];

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  set(changes: Partial<FaultSettings>): Readonly<FaultSettings> {
    this.#settings = { ...this.#settings, ...changes };
    return this.#settings;
  }

  get traffic(): Traffic {
    return { tooManyRequests: this.#tooManyRequests, arrivals: [...this.#arrivals] };
  }

  /** Forgets the settings and the traffic; requests still in flight are still counted until they leave. */
  clear(): void {
    this.#settings = { ...noFaults };
    this.#apiRequests = 0;
    this.#tooManyRequests = 0;
    this.#arrivals = [];
    this.#accepted = [];
  }

  /**
   * Counts an API request in, and decides on arrival whether the load limits refuse it, as a
   * server's admission control would. A refused request stays in flight until it is answered: the
   * client is still waiting for it.
   */
  arrive(now = Date.now()): Arrival {
    this.#inFlight += 1;
    const { concurrencyCap, requestsPerSecond } = this.#settings;
    while (this.#accepted.length > 0 && (this.#accepted[0] as number) <= now - 1000) this.#accepted.shift();
    const refused = (concurrencyCap > 0 && this.#inFlight > concurrencyCap) || (requestsPerSecond > 0 && this.#accepted.length >= requestsPerSecond);
    if (!refused && requestsPerSecond > 0) this.#accepted.push(now);
    this.#arrivals.push({ at: now, inFlight: this.#inFlight, refused });
    let left = false;
    return {
      refused,
      leave: () => {
        if (left) return;
        left = true;
        this.#inFlight -= 1;
      },
    };
  }

  /** Records a 429 sent by a load switch. */
  sentTooManyRequests(): void {
    this.#tooManyRequests += 1;
  }

  /** Consumes one use of a counted fault; true when it should fire now. */
  take(fault: CountedFault): boolean {
    if (this.#settings[fault] <= 0) return false;
    this.#settings = { ...this.#settings, [fault]: this.#settings[fault] - 1 };
    return true;
  }

  /** Counts an API request; true when the rate limit should answer it with 429. */
  rateLimited(): boolean {
    this.#apiRequests += 1;
    const every = this.#settings.rateLimitEvery;
    return every > 0 && this.#apiRequests % every === 0;
  }
}
