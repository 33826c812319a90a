import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/main/safe-storage-vault.ts';

/**
 * Stands in for Electron's `safeStorage` (main-process only; no Electron binary here): real AES-GCM
 * under a key that can be swapped, as when a keyring changes or a profile is copied to another machine.
 */
export class FakeSafeStorage implements SafeStorageLike {
  key = randomBytes(32);
  backend = 'gnome_libsecret';
  available = true;
  /** Set to make the next decryptions ask for re-encryption (a rotated key). */
  rotationPending = false;

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    return { shouldReEncrypt: this.rotationPending, result };
  }

  getSelectedStorageBackend(): string {
    return this.backend;
  }
}
