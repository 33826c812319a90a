import type { Vault } from '../core/auth/vault.ts';
import { FileVault } from '../core/auth/file-vault.ts';
import { DossierError } from '../core/errors.ts';

/**
 * Stands in for the vault when no passphrase was given: browsing, reading and annotating the
 * cache need no secret, so the host still starts; signing in or syncing says what to do.
 */
export const lockedVault: Vault = {
  get: () => Promise.reject(locked()),
  set: () => Promise.reject(locked()),
  delete: () => Promise.reject(locked()),
  deletePrefix: () => Promise.reject(locked()),
};

function locked(): DossierError {
  return new DossierError('vault.locked', 'Signing in and syncing need the vault: restart Dossier with DOSSIER_PASSPHRASE set to your vault passphrase.');
}

/** The encrypted file vault of the data directory, unlocked with DOSSIER_PASSPHRASE, or the locked stand-in. */
export async function browserHostVault(file: string, env: NodeJS.ProcessEnv): Promise<Vault> {
  const passphrase = env.DOSSIER_PASSPHRASE;
  if (passphrase === undefined || passphrase === '') return lockedVault;
  return FileVault.open(file, passphrase);
}
