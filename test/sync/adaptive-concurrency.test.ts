import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import type { Traffic } from '../../electron/sandbox/faults.ts';
import { addSandboxAccount, control, dumpCache, dumpStore, referenceSync, setFaults, syncCore, type SyncCore } from './helpers.ts';

/**
 * The adaptive concurrency of a sync (electron/core/providers/kit/adaptive-limit.ts) against the
 * EconJobMarket emulator's invented load limits (the docs are silent: electron/sandbox/faults.ts),
 * over real HTTP into a real profile. Everything about the load is counted by the emulator.
 *
 * The bounds on 429s. A limit is found by crossing it, so some refusals are the price of adapting.
 * - Under a concurrency cap: fewer than 5% of the requests. Each crossing costs the few requests
 *   already on their way, and the limit does not cross the same level twice in one sync, so a sync
 *   of about 240 requests sees a handful (3 to 7 when written). A client that never cut saw 85 and 223.
 * - Under a rate of N a second: at most one per one-second window the sync spans, plus the start
 *   limit (the first crossing may refuse everything then in flight). A concurrency limit cannot pace
 *   a rate, so it meets the window's end about once a second; because the Retry-After holds the whole
 *   account, only that one request is refused each time, about 1/(N+1) of the requests (6 to 14 of
 *   about 245 at N = 20 when written). A client that kept sending during the wait saw 73 and 173.
 */

const startLimit = 6;
const tooManyShare = 0.05;

let emulator: StartedEjm;
let referenceDump: Record<string, unknown[]>;
let referenceStore: Record<string, string>;
const cores: SyncCore[] = [];

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 11 });
  const reference = await referenceSync(emulator.ready);
  cores.push(reference.core);
  referenceDump = reference.dump;
  referenceStore = reference.store;
}, 120_000);

afterAll(async () => {
  for (const core of cores) await core.close();
  await emulator?.close();
});

/** A full sync into a fresh profile under `faults`; it must reach exactly the unthrottled sync's profile. */
async function syncUnder(faults: Record<string, unknown>): Promise<Traffic> {
  const target = await syncCore();
  cores.push(target);
  await addSandboxAccount(target, 'ejm', emulator.ready);
  await control(emulator.ready.baseUrl, 'reset-faults');
  await setFaults(emulator.ready.baseUrl, faults);
  try {
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    return emulator.sandbox.faults.traffic;
  } finally {
    await control(emulator.ready.baseUrl, 'reset-faults');
    expect(dumpCache(target.db)).toEqual(referenceDump);
    expect(dumpStore(target.core.paths.store)).toEqual(referenceStore);
  }
}

const peakInFlight = (arrivals: Traffic['arrivals']): number => Math.max(...arrivals.map((arrival) => arrival.inFlight));

describe('a sync under a provider concurrency cap', () => {
  const cap = 3;

  it('with Retry-After: settles at or under the cap, holds every request for the stated wait, and sees few 429s', async () => {
    const traffic = await syncUnder({ concurrencyCap: cap, retryAfterSeconds: 1, latencyMs: 80 });
    const { arrivals } = traffic;
    expect(arrivals.length).toBeGreaterThan(200);
    // It started above the cap, so it had to learn it.
    expect(traffic.tooManyRequests).toBeGreaterThan(0);
    expect(traffic.tooManyRequests).toBeLessThan(arrivals.length * tooManyShare);
    expect(peakInFlight(arrivals.slice(arrivals.length / 2))).toBeLessThanOrEqual(cap);
    // Nothing of the account is sent during a stated wait: only requests already on their way (sent
    // before the 429 came back, 80 ms later; 300 ms leaves room for a loaded machine) arrive in the
    // second after a refusal.
    for (const refusal of arrivals.filter((arrival) => arrival.refused)) {
      const during = arrivals.filter((arrival) => arrival.at > refusal.at + 300 && arrival.at < refusal.at + 1000);
      expect(during).toEqual([]);
    }
  }, 120_000);

  it('without Retry-After: settles at or under the cap and sees few 429s', async () => {
    const traffic = await syncUnder({ concurrencyCap: cap, retryAfterSeconds: null, latencyMs: 80 });
    const { arrivals } = traffic;
    expect(traffic.tooManyRequests).toBeGreaterThan(0);
    expect(traffic.tooManyRequests).toBeLessThan(arrivals.length * tooManyShare);
    expect(peakInFlight(arrivals.slice(arrivals.length / 2))).toBeLessThanOrEqual(cap);
  }, 120_000);
});

describe('a sync under a provider rate limit', () => {
  it('completes with about one 429 per second against a sliding one-second window', async () => {
    const traffic = await syncUnder({ requestsPerSecond: 20, retryAfterSeconds: 1 });
    const { arrivals } = traffic;
    expect(traffic.tooManyRequests).toBeGreaterThan(0);
    const windows = Math.ceil(((arrivals.at(-1)?.at ?? 0) - (arrivals[0]?.at ?? 0)) / 1000) + 1;
    expect(traffic.tooManyRequests).toBeLessThanOrEqual(windows + startLimit);
  }, 120_000);
});

describe('a sync over a slow network', () => {
  it('grows its concurrency above the start value while the round trips stay steady', async () => {
    const traffic = await syncUnder({ latencyMs: 80 });
    expect(traffic.tooManyRequests).toBe(0);
    expect(peakInFlight(traffic.arrivals)).toBeGreaterThan(startLimit);
  }, 120_000);
});
