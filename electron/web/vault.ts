import type { Logger } from '../core/base/log.ts';
import type { Vault } from '../core/secrets/vault.ts';
import { DossierError } from '../core/base/errors.ts';
import { hostVault } from '../host/host-vault.ts';
import type { SecretSource } from '../host/secret-input.ts';

/** A vault that holds nothing and refuses every write: for cores that only read the cache (tests, benchmarks). */
export const lockedVault: Vault = {
  get: () => Promise.reject(locked()),
  set: () => Promise.reject(locked()),
  delete: () => Promise.reject(locked()),
  deletePrefix: () => Promise.reject(locked()),
};

function locked(): DossierError {
  return new DossierError('vault.locked', 'This Dossier was started without a vault, so it cannot sign in or sync; restart it with `dossier serve` or `npm start`.');
}

/**
 * The browser host's vault: the system keyring of the data folder, else the passphrase file,
 * opened only when a secret is first needed, so the host starts and shows the cache either way.
 * Without a keyring, a passphrase or a terminal, signing in says what to do in the app's terms.
 */
export function browserHostVault(dataDir: string, source: SecretSource, log: Logger): Vault {
  return hostVault({ dataDir, secrets: source, log });
}
