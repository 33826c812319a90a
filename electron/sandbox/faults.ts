/**
 * Fault switches shared by every provider emulator. Counted faults fire on the next N API
 * requests (control and OAuth-page requests are never faulted unless a provider says so).
 */
export interface FaultSettings {
  /** Added delay before every API response, in milliseconds. */
  latencyMs: number;
  /** Every Nth API request answers 429 with Retry-After (0 = off). */
  rateLimitEvery: number;
  retryAfterSeconds: number;
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
  errorStorm: 0,
  errorStatus: 503,
  throttle: 0,
  truncate: 0,
  reset: 0,
  malformed: 0,
  tokenLifetimeSeconds: null,
};

export class FaultSwitch {
  #settings: FaultSettings = { ...noFaults };
  #apiRequests = 0;

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  set(changes: Partial<FaultSettings>): Readonly<FaultSettings> {
    this.#settings = { ...this.#settings, ...changes };
    return this.#settings;
  }

  clear(): void {
    this.#settings = { ...noFaults };
    this.#apiRequests = 0;
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
