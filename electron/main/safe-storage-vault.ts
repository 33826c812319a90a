import Conf from 'conf';
import type { Vault } from '../core/secrets/vault.ts';
import { DossierError } from '../core/base/errors.ts';
import type { Logger } from '../core/base/log.ts';

/**
 * The desktop vault: each secret encrypted with Electron's `safeStorage` (the OS keychain, DPAPI,
 * or the Linux secret service) through its asynchronous API, and only the ciphertext written to
 * a file in the data directory. It takes safeStorage as a parameter so it is tested under Node.
 */

/** The part of Electron's `safeStorage` the vault uses (Electron 45 has the asynchronous API). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend(): string;
}

export type BackendVerdict = 'secure' | 'insecure-allowed' | 'insecure-refused';

/**
 * On Linux without a secret service, Chromium "encrypts" with a hard-coded password (`basic_text`).
 * Dossier refuses to store secrets that way unless the user opted in, and says so loudly either way.
 */
export function judgeBackend(platform: NodeJS.Platform, backend: string, allowInsecure: boolean): BackendVerdict {
  if (platform !== 'linux' || backend !== 'basic_text') return 'secure';
  return allowInsecure ? 'insecure-allowed' : 'insecure-refused';
}

export const insecureBackendOptIn = 'DOSSIER_ALLOW_PLAINTEXT_KEYRING';

export interface SafeStorageVaultOptions {
  readonly storage: SafeStorageLike;
  readonly dataDir: string;
  readonly platform: NodeJS.Platform;
  readonly allowInsecureBackend: boolean;
  readonly log: Logger;
}

export const safeStorageVaultName = 'vault-safestorage';

export function createSafeStorageVault(options: SafeStorageVaultOptions): Vault {
  const { storage, log } = options;
  const file = new Conf<Record<string, string>>({
    cwd: options.dataDir,
    configName: safeStorageVaultName,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
    clearInvalidConfig: false,
  });
  let warned = false;

  const assertWritable = async (): Promise<void> => {
    if (!(await storage.isAsyncEncryptionAvailable())) {
      throw new DossierError('vault.locked', 'The system keychain is not available. Unlock it (or sign in to your desktop session) and try again.');
    }
    const backend = options.platform === 'linux' ? storage.getSelectedStorageBackend() : 'os';
    const verdict = judgeBackend(options.platform, backend, options.allowInsecureBackend);
    if (verdict === 'insecure-refused') {
      throw new DossierError(
        'vault.insecure_backend',
        `No system keyring (GNOME Keyring or KWallet) is running, so Dossier cannot store sign-in secrets safely. Start a keyring and restart Dossier, or set ${insecureBackendOptIn}=1 to accept storing them with a fixed key.`,
        { backend },
      );
    }
    if (verdict === 'insecure-allowed' && !warned) {
      warned = true;
      log.warn('vault.insecure_backend', { backend, note: `secrets are protected by a fixed key because ${insecureBackendOptIn} is set` });
    }
  };

  const encryptAndStore = async (key: string, value: string): Promise<void> => {
    const encrypted = await storage.encryptStringAsync(value);
    file.set(key, encrypted.toString('base64'));
  };

  return {
    get: async (key) => {
      const stored = file.get(key);
      if (typeof stored !== 'string') return undefined;
      try {
        const { result, shouldReEncrypt } = await storage.decryptStringAsync(Buffer.from(stored, 'base64'));
        if (shouldReEncrypt) await encryptAndStore(key, result);
        return result;
      } catch (error) {
        // A changed keyring or a copied profile: the secret is lost, the account signs in again; the cache stays.
        log.warn('vault.undecryptable', { key, error });
        file.delete(key);
        return undefined;
      }
    },
    set: async (key, value) => {
      await assertWritable();
      await encryptAndStore(key, value);
    },
    delete: async (key) => {
      file.delete(key);
    },
    deletePrefix: async (prefix) => {
      for (const key of Object.keys(file.store)) if (key.startsWith(prefix)) file.delete(key);
    },
  };
}
