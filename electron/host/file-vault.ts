import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DossierError } from '../core/base/errors.ts';
import type { Vault } from '../core/secrets/vault.ts';

/** scrypt cost: 2^15 × 8 × 128 B = 32 MiB and ~0.1 s per unlock, RFC 7914's interactive-login figure. */
export const defaultScryptCost = { N: 2 ** 15, r: 8, p: 1 } as const;
const formatVersion = 1;
const aad = Buffer.from(`dossier-vault-v${formatVersion}`);

interface VaultFile {
  version: number;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
  /** HMAC of a fixed label under the key: tells a wrong passphrase from a damaged file (absent in vaults written before it). */
  check?: string;
}

type ScryptCost = { N: number; r: number; p: number };

function scrypt(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function damaged(file: string, why: string, cause?: unknown): DossierError {
  return new DossierError(
    'vault.damaged',
    `Dossier's secret vault is damaged (${why}). Your accounts and cached data are untouched; the damaged file is kept aside and each account signs in again.`,
    { file },
    { cause },
  );
}

function wrongPassphrase(file: string, cause?: unknown): DossierError {
  return new DossierError(
    'vault.wrong_passphrase',
    'That is not the passphrase of this vault; nothing was changed. Try again (DOSSIER_PASSPHRASE, or type it), or run `dossier vault reset` to start a new vault (the old one is kept aside and every account signs in again).',
    { file },
    { cause },
  );
}

function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update(aad).digest('base64');
}

/**
 * The vault for the command line and the browser host: one file holding every secret, encrypted
 * with AES-256-GCM under a key derived by scrypt from a passphrase. Each write goes to a temporary
 * file that is renamed over the old one, so a crash leaves either the old or the new vault, never
 * half of one. Another process writing the same file is picked up on the next read (mtime check).
 */
export class FileVault implements Vault {
  readonly file: string;
  readonly #key: Buffer;
  readonly #kdf: VaultFile['kdf'];
  #entries: Map<string, string>;
  #seen: { mtimeMs: number; size: number } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, key: Buffer, kdf: VaultFile['kdf'], entries: Map<string, string>) {
    this.file = file;
    this.#key = key;
    this.#kdf = kdf;
    this.#entries = entries;
    this.#seen = fileStamp(file);
  }

  /**
   * Opens the vault at `file`, creating an empty one on first use. Throws `vault.wrong_passphrase`
   * or `vault.damaged` and touches nothing: only `setAside` moves a file.
   */
  static async open(file: string, passphrase: string, options: { cost?: ScryptCost } = {}): Promise<FileVault> {
    if (passphrase.length === 0) {
      throw new DossierError('vault.locked', 'The vault needs a passphrase: set DOSSIER_PASSPHRASE or type it when asked.');
    }
    const existing = readVaultFile(file);
    if (existing === undefined) {
      const cost = options.cost ?? defaultScryptCost;
      const salt = randomBytes(16);
      const key = await scrypt(passphrase, salt, cost);
      const vault = new FileVault(file, key, { name: 'scrypt', ...cost, salt: salt.toString('base64') }, new Map());
      // Created at once, and only if no other process created it meanwhile (then that one is opened).
      if (vault.#create()) return vault;
      return FileVault.open(file, passphrase, options);
    }
    const key = await scrypt(passphrase, Buffer.from(existing.kdf.salt, 'base64'), existing.kdf);
    if (existing.check !== undefined && !timingSafeEqual(Buffer.from(existing.check, 'base64'), Buffer.from(keyCheck(key), 'base64'))) throw wrongPassphrase(file);
    return new FileVault(file, key, existing.kdf, decrypt(file, existing, key));
  }

  /**
   * Moves the vault file aside (kept, renamed, never deleted) so a new one can be started: on the
   * user's `dossier vault reset`, or when the file is damaged. Returns where it now is.
   */
  static setAside(file: string, why: 'damaged' | 'reset'): string | undefined {
    if (fileStamp(file) === undefined) return undefined;
    const aside = `${file}.${why}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    return aside;
  }

  get(key: string): Promise<string | undefined> {
    return this.#serial(() => {
      this.#reloadIfChanged();
      return this.#entries.get(key);
    });
  }

  set(key: string, value: string): Promise<void> {
    return this.#mutate((entries) => entries.set(key, value));
  }

  delete(key: string): Promise<void> {
    return this.#mutate((entries) => entries.delete(key));
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.#mutate((entries) => {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    });
  }

  #mutate(change: (entries: Map<string, string>) => void): Promise<void> {
    return this.#serial(() => {
      this.#reloadIfChanged();
      const next = new Map(this.#entries);
      change(next);
      this.#write(next);
      this.#entries = next;
    });
  }

  #serial<T>(work: () => T): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #reloadIfChanged(): void {
    const stamp = fileStamp(this.file);
    if (stamp === undefined || (this.#seen && stamp.mtimeMs === this.#seen.mtimeMs && stamp.size === this.#seen.size)) return;
    const current = readVaultFile(this.file);
    if (current === undefined) return;
    if (current.kdf.salt !== this.#kdf.salt) throw wrongPassphrase(this.file);
    this.#entries = decrypt(this.file, current, this.#key);
    this.#seen = stamp;
  }

  /** Writes the empty vault if no file exists yet; false when another process got there first. */
  #create(): boolean {
    const temp = this.#writeTemp(new Map());
    try {
      linkSync(temp, this.file);
      this.#seen = fileStamp(this.file);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') return false;
      throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }

  #write(entries: Map<string, string>): void {
    renameSync(this.#writeTemp(entries), this.file);
    this.#seen = fileStamp(this.file);
  }

  #writeTemp(entries: Map<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(aad);
    const data = Buffer.concat([cipher.update(JSON.stringify(Object.fromEntries(entries)), 'utf8'), cipher.final()]);
    const content: VaultFile = {
      version: formatVersion,
      kdf: this.#kdf,
      cipher: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
      check: keyCheck(this.#key),
    };
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(content), { mode: 0o600, flush: true });
    chmodSync(temp, 0o600);
    return temp;
  }
}

function fileStamp(file: string): { mtimeMs: number; size: number } | undefined {
  try {
    const stat = statSync(file);
    return { mtimeMs: stat.mtimeMs, size: stat.size };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readVaultFile(file: string): VaultFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: VaultFile;
  try {
    parsed = JSON.parse(text) as VaultFile;
  } catch (error) {
    throw damaged(file, 'it is not readable JSON', error);
  }
  if (typeof parsed !== 'object' || parsed === null) throw damaged(file, 'it is not a Dossier vault file');
  const kdf = parsed.kdf as Partial<VaultFile['kdf']> | undefined;
  if (
    parsed.version !== formatVersion || parsed.cipher !== 'aes-256-gcm' || kdf?.name !== 'scrypt' ||
    typeof kdf.salt !== 'string' || typeof kdf.N !== 'number' || typeof kdf.r !== 'number' || typeof kdf.p !== 'number' ||
    typeof parsed.iv !== 'string' || typeof parsed.tag !== 'string' || typeof parsed.data !== 'string' ||
    (parsed.check !== undefined && typeof parsed.check !== 'string')
  ) {
    throw damaged(file, 'it is not a Dossier vault file');
  }
  return parsed;
}

function decrypt(file: string, content: VaultFile, key: Buffer): Map<string, string> {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(content.iv, 'base64'));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(content.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(content.data, 'base64')), decipher.final()]).toString('utf8');
    const entries = JSON.parse(plain) as Record<string, unknown>;
    return new Map(Object.entries(entries).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch (error) {
    // The key check passed, so the passphrase is right and the content is what broke; a vault without the check cannot tell, and is left alone as a wrong passphrase.
    throw content.check === undefined ? wrongPassphrase(file, error) : damaged(file, 'its content does not decrypt', error);
  }
}
