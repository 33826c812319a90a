import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import { DossierError } from '../core/base/errors.ts';
import type { Logger } from '../core/base/log.ts';
import type { Vault } from '../core/secrets/vault.ts';

/**
 * Pinned to the Secret Service on Linux: the library's default falls back to the kernel keyring,
 * which forgets everything at logout, so an unreachable Secret Service must mean "no store" instead.
 */
const entryOptions: EntryOptions = { linux: { store: 'secret-service' } };

/** The keyring entry listing the vault's keys (never their values), because not every backend can enumerate a service's entries. */
const indexKey = 'dossier:keys';

/** One service per data folder, so two profiles never see each other's secrets. */
export function keyringServiceName(dataDir: string): string {
  return `Dossier (${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)})`;
}

/**
 * The vault in the operating system's credential store (the Secret Service on Linux, the macOS
 * Keychain, the Windows Credential Manager) through @napi-rs/keyring: one entry per key under the
 * data folder's service name, so the command line, the browser host and the desktop app of one
 * data folder see the same sign-ins.
 */
export class KeyringVault implements Vault {
  readonly service: string;
  readonly #log: Logger;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(service: string, log: Logger) {
    this.service = service;
    this.#log = log;
  }

  /** The data folder's keyring vault, or undefined when no credential store answers (no D-Bus session, no Secret Service). */
  static async open(dataDir: string, log: Logger): Promise<KeyringVault | undefined> {
    const vault = new KeyringVault(keyringServiceName(dataDir), log);
    try {
      await vault.#entry(indexKey).getPassword();
      return vault;
    } catch (error) {
      log.info('vault.keyring_unavailable', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  get(key: string): Promise<string | undefined> {
    return this.#serial(async () => {
      try {
        return (await this.#entry(key).getPassword()) ?? undefined;
      } catch (error) {
        // Kept as it is: a locked or confused keyring is not a reason to lose the secret.
        this.#log.warn('vault.undecryptable', { key, error });
        throw new DossierError(
          'vault.undecryptable',
          'Dossier could not read a saved sign-in from the system keyring; it was left there. Unlock the keyring (or sign in to your desktop session) and try again, or sign in to the account again.',
          { key },
          { cause: error },
        );
      }
    });
  }

  set(key: string, value: string): Promise<void> {
    return this.#serial(async () => {
      const keys = await this.#keys();
      if (!keys.has(key)) await this.#writeIndex(new Set([...keys, key]));
      await this.#entry(key).setPassword(value);
    });
  }

  delete(key: string): Promise<void> {
    return this.#serial(async () => {
      await this.#entry(key).deleteCredential();
      const keys = await this.#keys();
      if (keys.delete(key)) await this.#writeIndex(keys);
    });
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.#serial(async () => {
      const keys = await this.#keys();
      // Where the backend can list the service's entries, one written by another process since the index was read is caught too.
      const listed = await findCredentialsAsync(this.service).catch(() => []);
      for (const { account } of listed) if (account !== indexKey) keys.add(account);
      const doomed = [...keys].filter((key) => key.startsWith(prefix));
      for (const key of doomed) await this.#entry(key).deleteCredential();
      for (const key of doomed) keys.delete(key);
      await this.#writeIndex(keys);
    });
  }

  #entry(key: string): AsyncEntry {
    return new AsyncEntry(this.service, key, entryOptions);
  }

  async #keys(): Promise<Set<string>> {
    const text = await this.#entry(indexKey).getPassword();
    if (text === null) return new Set();
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return new Set(parsed.filter((key): key is string => typeof key === 'string'));
    } catch {
      // A damaged index only costs deletePrefix its list; the entries themselves stay readable.
    }
    this.#log.warn('vault.index_damaged', { service: this.service });
    return new Set();
  }

  async #writeIndex(keys: Set<string>): Promise<void> {
    await this.#entry(indexKey).setPassword(JSON.stringify([...keys].sort()));
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
