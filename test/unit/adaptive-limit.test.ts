import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, type LimitChange, type Slot } from '../../electron/core/providers/kit/adaptive-limit.ts';

/** The limiter's arithmetic, driven through its own acquire/release as ProviderHttp drives it. */

const never = new AbortController().signal;

function limiter(initial: number, ceiling: number): { limit: AdaptiveLimit; changes: LimitChange[]; current: () => number } {
  const changes: LimitChange[] = [];
  return { limit: new AdaptiveLimit({ initial, ceiling, onChange: (change) => changes.push(change) }), changes, current: () => changes.at(-1)?.limit ?? initial };
}

/** Takes `count` places at once (they all fit under the limit) and returns them. */
async function take(limit: AdaptiveLimit, count: number): Promise<Slot[]> {
  return Promise.all(Array.from({ length: count }, () => limit.acquire(never)));
}

/** One window: `count` requests that used the whole limit, each answered in `roundTripMs`. */
async function window(limit: AdaptiveLimit, count: number, roundTripMs: number): Promise<void> {
  const slots = await take(limit, count);
  for (const slot of slots) slot.succeeded(roundTripMs);
  for (const slot of slots) slot.release();
}

/** How many of `wanted` requests get a place at once (the others stay waiting until released). */
async function admitted(limit: AdaptiveLimit, wanted: number): Promise<{ count: number; releaseAll: () => Promise<void> }> {
  const slots: Slot[] = [];
  const pending = Array.from({ length: wanted }, () => limit.acquire(never).then((slot) => slots.push(slot) && slot));
  await new Promise((resolve) => setImmediate(resolve));
  const count = slots.length;
  return {
    count,
    releaseAll: async () => {
      for (let released = 0; released < wanted; released += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        slots[released]?.release();
      }
      await Promise.all(pending);
    },
  };
}

describe('the adaptive limit', () => {
  it('lets exactly its start value through at once', async () => {
    const { limit } = limiter(6, 16);
    const first = await admitted(limit, 10);
    expect(first.count).toBe(6);
    await first.releaseAll();
  });

  it('grows by one after a window of successes that used the whole limit at a steady round trip', async () => {
    const { limit, changes } = limiter(4, 16);
    await window(limit, 4, 80);
    expect(changes).toEqual([{ limit: 5, reason: 'grew' }]);
    await window(limit, 5, 90);
    expect(changes.at(-1)).toEqual({ limit: 6, reason: 'grew' });
    const now = await admitted(limit, 10);
    expect(now.count).toBe(6);
    await now.releaseAll();
  });

  it('does not grow while the round trip rises past 1.5 times the best seen', async () => {
    const { limit, changes } = limiter(4, 16);
    await window(limit, 4, 80);
    expect(changes).toEqual([{ limit: 5, reason: 'grew' }]);
    await window(limit, 5, 121);
    expect(changes).toEqual([{ limit: 5, reason: 'grew' }]);
  });

  it('does not grow on successes that did not use the whole limit', async () => {
    const { limit, changes } = limiter(4, 16);
    for (let request = 0; request < 20; request += 1) await window(limit, 1, 80);
    expect(changes).toEqual([]);
  });

  it('never grows past the ceiling', async () => {
    const { limit, current } = limiter(2, 3);
    for (let round = 0; round < 5; round += 1) await window(limit, current(), 80);
    expect(current()).toBe(3);
  });

  it('halves on a throttle, once for the requests already in flight, and never below 1', async () => {
    const { limit, changes } = limiter(6, 16);
    const burst = await take(limit, 6);
    for (const slot of burst) slot.throttled(null);
    expect(changes).toEqual([{ limit: 3, reason: 'throttled' }]);
    for (const slot of burst) slot.release();
    for (let throttle = 0; throttle < 3; throttle += 1) {
      const [slot] = await take(limit, 1);
      slot?.throttled(null);
      slot?.release();
    }
    expect(changes.map((change) => change.limit)).toEqual([3, 1, 1, 1]);
  });

  it('does not grow back to a limit a throttle came at', async () => {
    const { limit, current } = limiter(4, 16);
    const burst = await take(limit, 4);
    burst[0]?.throttled(null);
    for (const slot of burst) slot.release();
    expect(current()).toBe(2);
    for (let round = 0; round < 10; round += 1) await window(limit, current(), 80);
    expect(current()).toBe(3);
  });

  it('holds every new request while a stated wait is pending', async () => {
    const { limit } = limiter(4, 16);
    const [throttled] = await take(limit, 1);
    throttled?.throttled(150);
    throttled?.release();
    const started = Date.now();
    const [next] = await take(limit, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    next?.release();
  });

  it('stops holding a request when the sync is cancelled', async () => {
    const { limit } = limiter(4, 16);
    const [throttled] = await take(limit, 1);
    throttled?.throttled(60_000);
    throttled?.release();
    const cancel = new AbortController();
    const waiting = limit.acquire(cancel.signal);
    cancel.abort();
    (await waiting).release();
  });
});
