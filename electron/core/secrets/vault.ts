/**
 * Where secrets live (client secrets, access and refresh tokens): the system keyring, else a
 * passphrase-encrypted file (docs/decisions/0011-one-vault-for-every-host.md). Nothing else in Dossier may persist a secret.
 * Keys are opaque strings such as `account:12:tokens`.
 */
export interface Vault {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key with this prefix (e.g. all of one account's secrets). */
  deletePrefix(prefix: string): Promise<void>;
}
