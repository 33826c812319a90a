import { existsSync } from 'node:fs';
import { DossierError } from '../core/base/errors.ts';
import type { Logger } from '../core/base/log.ts';
import { dataPaths } from '../core/base/paths.ts';
import type { Vault } from '../core/secrets/vault.ts';
import { KeyringVault } from './keyring-vault.ts';
import { openFileVault, type SecretSource } from './secret-input.ts';

/** A vault that opens when first used, or when `unlock` says so. */
export interface LazyVault extends Vault {
  /** Opens the vault now (asking for the passphrase if needed), so a wrong one fails before any work starts. */
  unlock(): Promise<void>;
}

/**
 * A vault opened on its first use: reading the cache (status, search, browsing) never touches
 * it, and a command that needs a secret asks for the passphrase only once it knows it will.
 */
export function vaultOnFirstUse(open: () => Promise<Vault>): LazyVault {
  let opened: Promise<Vault> | undefined;
  const vault = (): Promise<Vault> => {
    if (opened === undefined) {
      const opening = open();
      // A failed open (no passphrase yet, a wrong one) is tried again on the next use rather than remembered.
      opening.catch(() => {
        if (opened === opening) opened = undefined;
      });
      opened = opening;
    }
    return opened;
  };
  return {
    unlock: async () => {
      await vault();
    },
    get: async (key) => (await vault()).get(key),
    set: async (key, value) => (await vault()).set(key, value),
    delete: async (key) => (await vault()).delete(key),
    deletePrefix: async (prefix) => (await vault()).deletePrefix(prefix),
  };
}

export interface HostVaultOptions {
  readonly dataDir: string;
  /** The environment (DOSSIER_VAULT, DOSSIER_PASSPHRASE) and the terminal, if any, a passphrase may be typed at. */
  readonly secrets: SecretSource;
  readonly log: Logger;
}

/**
 * The vault of one data folder for every host: the operating system's credential store when one
 * answers, else the passphrase-encrypted file (docs/decisions/0011-one-vault-for-every-host.md). `DOSSIER_VAULT=file`
 * asks for the file; `DOSSIER_VAULT=keyring` refuses to fall back. A `vault.json` from before stays
 * in use, so its sign-ins keep working until `dossier vault reset` sets it aside.
 */
export async function openHostVault(options: HostVaultOptions): Promise<Vault> {
  const { secrets, log } = options;
  const file = dataPaths(options.dataDir).vault;
  const wanted = secrets.env.DOSSIER_VAULT ?? '';
  if (!['', 'file', 'keyring'].includes(wanted)) {
    throw new DossierError('input.invalid', `DOSSIER_VAULT is "${wanted}": set it to "keyring" or "file", or leave it unset to use the system keyring where there is one.`);
  }
  if (wanted === 'keyring' || (wanted === '' && !existsSync(file))) {
    const keyring = await KeyringVault.open(options.dataDir, log);
    if (keyring !== undefined) return keyring;
    if (wanted === 'keyring') {
      throw new DossierError('vault.unavailable', 'DOSSIER_VAULT=keyring, but no system keyring answers (on Linux: no Secret Service on the D-Bus session). Start GNOME Keyring or KWallet, or unset DOSSIER_VAULT to use the passphrase file.');
    }
  }
  return openFileVault(secrets, file, (message) => {
    log.warn('vault.damaged_set_aside', { message });
    secrets.stderr.write(`${message}\n`);
  });
}

/** `openHostVault`, on first use. */
export function hostVault(options: HostVaultOptions): LazyVault {
  return vaultOnFirstUse(() => openHostVault(options));
}
