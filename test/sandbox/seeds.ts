import { expect } from 'vitest';

interface SeededEmulator {
  readonly ready: { readonly clientSecret: string };
  close(): Promise<void>;
}

/**
 * Starts an emulator twice with one seed and once with another, and checks that the seed alone
 * decides the dataset (compared through `names`) and the client credentials.
 */
export async function expectSeedDecidesDataset<Emulator extends SeededEmulator>(
  start: (options: { seed: number }) => Promise<Emulator>,
  names: (emulator: Emulator) => string[],
): Promise<void> {
  const [a, b, c] = await Promise.all([start({ seed: 11 }), start({ seed: 11 }), start({ seed: 12 })]);
  try {
    expect(names(a)).toEqual(names(b));
    expect(a.ready.clientSecret).toBe(b.ready.clientSecret);
    expect(names(a)).not.toEqual(names(c));
    expect(a.ready.clientSecret).not.toBe(c.ready.clientSecret);
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
}
