import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../electron/core/base/log.ts';
import { createSafeStorageVault, judgeBackend, safeStorageVaultName } from '../../electron/main/safe-storage-vault.ts';
import { FakeSafeStorage } from './fake-safe-storage.ts';

/** The safeStorage vault against a real file; Electron's safeStorage itself is mocked (no binary here). */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(options: { platform?: NodeJS.Platform; allowInsecure?: boolean } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-vault-'));
  dirs.push(dataDir);
  const storage = new FakeSafeStorage();
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (event) => void warnings.push(event), child: () => log };
  const open = () => createSafeStorageVault({ storage, dataDir, platform: options.platform ?? 'linux', allowInsecureBackend: options.allowInsecure ?? false, log });
  return { dataDir, storage, warnings, vault: open(), open, file: join(dataDir, `${safeStorageVaultName}.json`) };
}

describe('the safeStorage vault', () => {
  it('round-trips secrets and writes only ciphertext, readable by its owner alone', async () => {
    const { vault, file, open } = setup();
    const secret = `refresh-${randomBytes(12).toString('hex')}`;
    await vault.set('account:1:tokens', secret);
    expect(await vault.get('account:1:tokens')).toBe(secret);
    expect(await open().get('account:1:tokens')).toBe(secret);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('keeps keys with dots and colons as they are', async () => {
    const { vault } = setup();
    await vault.set('account:2:client.secret', 's');
    expect(await vault.get('account:2:client.secret')).toBe('s');
    expect(await vault.get('account:2:client')).toBeUndefined();
  });

  it('deletes one key or every key of an account', async () => {
    const { vault } = setup();
    await vault.set('account:1:tokens', 'a');
    await vault.set('account:1:secret', 'b');
    await vault.set('account:10:tokens', 'c');
    await vault.delete('account:1:secret');
    expect(await vault.get('account:1:secret')).toBeUndefined();
    await vault.deletePrefix('account:1:');
    expect(await vault.get('account:1:tokens')).toBeUndefined();
    expect(await vault.get('account:10:tokens')).toBe('c');
  });

  it('refuses to store secrets under Linux basic_text unless the user opted in', async () => {
    const refusing = setup();
    refusing.storage.backend = 'basic_text';
    await expect(refusing.vault.set('account:1:tokens', 'x')).rejects.toMatchObject({ code: 'vault.insecure_backend', message: expect.stringContaining('DOSSIER_ALLOW_PLAINTEXT_KEYRING') });
    expect(await refusing.vault.get('account:1:tokens')).toBeUndefined();

    const allowing = setup({ allowInsecure: true });
    allowing.storage.backend = 'basic_text';
    await allowing.vault.set('account:1:tokens', 'x');
    await allowing.vault.set('account:1:other', 'y');
    expect(await allowing.vault.get('account:1:tokens')).toBe('x');
    expect(allowing.warnings.filter((event) => event === 'vault.insecure_backend')).toHaveLength(1);
  });

  it('refuses to write while the keychain is unavailable', async () => {
    const { vault, storage } = setup({ platform: 'darwin' });
    storage.available = false;
    await expect(vault.set('k', 'v')).rejects.toMatchObject({ code: 'vault.locked' });
  });

  it('treats an undecryptable secret as a needed sign-in: gone, logged, and nothing else touched', async () => {
    const { vault, storage, warnings } = setup();
    await vault.set('account:1:tokens', 'old');
    storage.key = randomBytes(32);
    await vault.set('account:2:tokens', 'new');
    expect(await vault.get('account:1:tokens')).toBeUndefined();
    expect(warnings).toContain('vault.undecryptable');
    expect(await vault.get('account:2:tokens')).toBe('new');
    storage.key = randomBytes(32);
    expect(await vault.get('account:1:tokens')).toBeUndefined();
  });

  it('re-encrypts when safeStorage says the key rotated', async () => {
    const { vault, storage, file } = setup();
    await vault.set('account:1:tokens', 'value');
    const before = readFileSync(file, 'utf8');
    storage.rotationPending = true;
    expect(await vault.get('account:1:tokens')).toBe('value');
    expect(readFileSync(file, 'utf8')).not.toBe(before);
    storage.rotationPending = false;
    expect(await vault.get('account:1:tokens')).toBe('value');
  });
});

describe('judging the keyring backend', () => {
  it.each([
    ['linux', 'gnome_libsecret', false, 'secure'],
    ['linux', 'kwallet6', false, 'secure'],
    ['linux', 'basic_text', false, 'insecure-refused'],
    ['linux', 'basic_text', true, 'insecure-allowed'],
    ['darwin', 'basic_text', false, 'secure'],
    ['win32', 'unknown', false, 'secure'],
  ] as const)('%s with %s (opt-in %s) is %s', (platform, backend, allow, verdict) => {
    expect(judgeBackend(platform, backend, allow)).toBe(verdict);
  });
});
