/**
 * How many requests of one account are in flight at once, adapted to how the provider answers:
 * additive increase, multiplicative decrease (AIMD), as TCP's congestion window and the AIMD limit
 * of Netflix's concurrency-limits library do (docs/decisions/0021-adaptive-concurrency.md).
 *
 * - It starts at the provider's start value.
 * - After a window of successes (as many as the limit) answered while the limit was in full use, it
 *   grows by one, unless the window's mean round trip is more than `latencyTolerance` times the
 *   best seen (the provider is queueing: more requests would only wait longer).
 * - A throttle cuts it to `backoffRatio` of itself (floor 1), and the limit it was cut from becomes
 *   out of reach for the rest of the sync: the next sync starts from the start value again.
 * - A stated wait (Retry-After) holds every request of the account, not just the throttled one.
 */
export interface AdaptiveLimitOptions {
  /** Where the limit starts. */
  readonly initial: number;
  /** The most it may ever reach: Dossier's choice, since no provider documents a limit. */
  readonly ceiling: number;
  /** Hears every change of the limit (for the log). */
  readonly onChange?: ((change: LimitChange) => void) | undefined;
}

export interface LimitChange {
  readonly limit: number;
  readonly reason: 'grew' | 'throttled';
}

/** One request's place under the limit: it reports how the reply went, then gives the place back. */
export interface Slot {
  /** The reply was not a throttle; its headers came `roundTripMs` after the request was sent. */
  succeeded(roundTripMs: number): void;
  /** The provider throttled the request; `retryAfterMs` is the wait it stated, if any. */
  throttled(retryAfterMs: number | null): void;
  release(): void;
}

/** A window whose mean round trip is more than this times the best seen means the provider is queueing. */
const latencyTolerance = 1.5;
/** What a throttle leaves of the limit. */
const backoffRatio = 0.5;

export class AdaptiveLimit {
  #limit: number;
  /** The ceiling, lowered below each limit a throttle came at. */
  #reach: number;
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #onChange: AdaptiveLimitOptions['onChange'];
  #bestRoundTripMs = Number.POSITIVE_INFINITY;
  #windowCount = 0;
  #windowTotalMs = 0;
  /** Counts the cuts: a throttle of a request sent before the latest cut belongs to the burst already answered. */
  #cuts = 0;
  #resumeAt = 0;

  constructor(options: AdaptiveLimitOptions) {
    this.#reach = Math.max(1, Math.floor(options.ceiling));
    this.#limit = Math.min(this.#reach, Math.max(1, Math.floor(options.initial)));
    this.#onChange = options.onChange;
  }

  /**
   * Waits for a place under the limit, then for any stated wait of the provider to pass (holding the
   * place: nothing of the account is sent meanwhile). An abort ends the waits early; the caller checks it.
   */
  async acquire(signal: AbortSignal): Promise<Slot> {
    if (this.#inFlight < this.#limit) this.#inFlight += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    for (let wait = this.#resumeAt - Date.now(); wait > 0 && !signal.aborted; wait = this.#resumeAt - Date.now()) await sleep(wait, signal);
    // The request is sent now, so a cut made while it waited is one it already obeys.
    const cuts = this.#cuts;
    let released = false;
    return {
      // Only a reply that came while the limit was in full use, and sent since the latest cut, says something about the limit.
      succeeded: (roundTripMs) => this.#succeeded(roundTripMs, cuts === this.#cuts && (this.#inFlight >= this.#limit || this.#waiting.length > 0)),
      throttled: (retryAfterMs) => this.#throttled(retryAfterMs, cuts),
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        this.#admit();
      },
    };
  }

  #succeeded(roundTripMs: number, counts: boolean): void {
    this.#bestRoundTripMs = Math.min(this.#bestRoundTripMs, roundTripMs);
    if (!counts) return;
    this.#windowCount += 1;
    this.#windowTotalMs += roundTripMs;
    if (this.#windowCount < this.#limit) return;
    const meanMs = this.#windowTotalMs / this.#windowCount;
    this.#windowCount = 0;
    this.#windowTotalMs = 0;
    if (this.#limit >= this.#reach || meanMs > this.#bestRoundTripMs * latencyTolerance) return;
    this.#limit += 1;
    this.#onChange?.({ limit: this.#limit, reason: 'grew' });
    this.#admit();
  }

  #throttled(retryAfterMs: number | null, cutsWhenSent: number): void {
    if (retryAfterMs !== null) this.#resumeAt = Math.max(this.#resumeAt, Date.now() + retryAfterMs);
    if (cutsWhenSent !== this.#cuts) return;
    this.#cuts += 1;
    this.#reach = Math.max(1, Math.min(this.#reach, this.#limit - 1));
    this.#limit = Math.max(1, Math.floor(this.#limit * backoffRatio));
    this.#windowCount = 0;
    this.#windowTotalMs = 0;
    this.#onChange?.({ limit: this.#limit, reason: 'throttled' });
  }

  /** Hands free places to waiting requests, in order. */
  #admit(): void {
    while (this.#inFlight < this.#limit) {
      const next = this.#waiting.shift();
      if (!next) return;
      this.#inFlight += 1;
      next();
    }
  }
}

/** Waits `ms`, or less if the signal aborts first (it never rejects: the caller checks the signal). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
