import type { Vault } from '../../electron/core/secrets/vault.ts';

/** A vault that refuses every call: work that must never touch a secret proves it by succeeding with this one. */
export function vaultThatRefuses(work: string): Vault {
  const refuse = (what: string) => () => Promise.reject(new Error(`${work} must not ${what} secrets`));
  return { get: refuse('read'), set: refuse('write'), delete: refuse('touch'), deletePrefix: refuse('touch') };
}
