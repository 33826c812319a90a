import type { Vault } from './vault.ts';

/**
 * The host's vault, with the secrets of some accounts kept in memory instead: the demo's sandbox
 * accounts, whose credentials are throwaway (a restarted sandbox knows none of them) and must never
 * ask for a passphrase or a keyring, nor sit beside the real sign-ins.
 */
export class ThrowawayAccountsVault implements Vault {
  readonly #durable: Vault;
  readonly #throwawayPrefixes: () => readonly string[];
  readonly #memory = new Map<string, string>();

  /** `throwawayPrefixes` lists the key prefixes (`accountKeyPrefix`) of the accounts whose secrets live in memory only. */
  constructor(durable: Vault, throwawayPrefixes: () => readonly string[]) {
    this.#durable = durable;
    this.#throwawayPrefixes = throwawayPrefixes;
  }

  get(key: string): Promise<string | undefined> {
    return this.#isThrowaway(key) ? Promise.resolve(this.#memory.get(key)) : this.#durable.get(key);
  }

  set(key: string, value: string): Promise<void> {
    if (!this.#isThrowaway(key)) return this.#durable.set(key, value);
    this.#memory.set(key, value);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    if (!this.#isThrowaway(key)) return this.#durable.delete(key);
    this.#memory.delete(key);
    return Promise.resolve();
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of [...this.#memory.keys()]) if (key.startsWith(prefix)) this.#memory.delete(key);
    // A throwaway account never wrote to the host's vault, so removing it needs neither a passphrase nor a keyring.
    if (!this.#isThrowaway(prefix)) await this.#durable.deletePrefix(prefix);
  }

  #isThrowaway(key: string): boolean {
    return this.#throwawayPrefixes().some((prefix) => key.startsWith(prefix));
  }
}
