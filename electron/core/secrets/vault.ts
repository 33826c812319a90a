/**
 * Where secrets live (client secrets, access and refresh tokens): Electron `safeStorage` in the
 * desktop app, an encrypted file elsewhere. Nothing else in Dossier may persist a secret.
 * Keys are opaque strings such as `account:12:tokens`.
 */
export interface Vault {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key with this prefix (e.g. all of one account's secrets). */
  deletePrefix(prefix: string): Promise<void>;
}
