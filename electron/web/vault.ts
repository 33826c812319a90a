import type { Vault } from '../core/secrets/vault.ts';
import { openCliVault, type SecretSource } from '../host/secret-input.ts';
import { DossierError } from '../core/base/errors.ts';

/**
 * Stands in for the vault when no passphrase can be had (none in DOSSIER_PASSPHRASE and no
 * terminal to type it): browsing, reading and annotating the cache need no secret, so the host
 * still starts; signing in or syncing says what to do.
 */
export const lockedVault: Vault = {
  get: () => Promise.reject(locked()),
  set: () => Promise.reject(locked()),
  delete: () => Promise.reject(locked()),
  deletePrefix: () => Promise.reject(locked()),
};

function locked(): DossierError {
  return new DossierError('vault.locked', 'Signing in and syncing need the vault: restart Dossier with DOSSIER_PASSPHRASE set to your vault passphrase, or start it in a terminal to type it.');
}

/** The encrypted file vault of the data directory, unlocked from DOSSIER_PASSPHRASE or the terminal, else the locked stand-in. */
export async function browserHostVault(file: string, source: SecretSource): Promise<Vault> {
  const passphrase = source.env.DOSSIER_PASSPHRASE;
  if ((passphrase === undefined || passphrase === '') && source.stdin.isTTY !== true) return lockedVault;
  return openCliVault(source, file);
}
