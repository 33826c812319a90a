import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileVault } from '../../electron/host/file-vault.ts';
import { testPassphrase, testScryptCost } from './helpers.ts';

let dir: string;
let file: string;
const open = (passphrase = testPassphrase) => FileVault.open(file, passphrase, { cost: testScryptCost });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-vault-'));
  file = join(dir, 'vault.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('encrypted-file vault', () => {
  it('keeps secrets across reopening, encrypted, in a private file, with no temporary file left behind', async () => {
    const vault = await open();
    await vault.set('account:1:client_secret', 'cs-very-secret-value');
    await vault.set('account:1:tokens', '{"accessToken":"at-very-secret-value"}');
    await vault.set('account:2:tokens', 'other');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('very-secret-value');
    expect(text).not.toContain('account:1');
    expect(JSON.parse(text)).toMatchObject({ version: 1, cipher: 'aes-256-gcm', kdf: { name: 'scrypt' } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['vault.json']);
    const reopened = await open();
    expect(await reopened.get('account:1:client_secret')).toBe('cs-very-secret-value');
    await reopened.deletePrefix('account:1:');
    expect(await reopened.get('account:1:tokens')).toBeUndefined();
    expect(await reopened.get('account:2:tokens')).toBe('other');
    await reopened.delete('account:2:tokens');
    expect(await (await open()).get('account:2:tokens')).toBeUndefined();
  });

  it('sees what another instance (another process) wrote to the same file', async () => {
    const first = await open();
    const second = await open();
    await first.set('a', '1');
    expect(await second.get('a')).toBe('1');
    await second.set('b', '2');
    await first.set('c', '3');
    const third = await open();
    expect([await third.get('a'), await third.get('b'), await third.get('c')]).toEqual(['1', '2', '3']);
  });

  it('refuses a wrong passphrase with vault.wrong_passphrase and leaves the file byte for byte as it was', async () => {
    const vault = await open();
    await vault.set('k', 'v');
    const before = readFileSync(file);
    await expect(open('wrong passphrase')).rejects.toMatchObject({ code: 'vault.wrong_passphrase', message: expect.stringContaining('dossier vault reset') });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(await (await open()).get('k')).toBe('v');
  });

  it('tells a damaged file (vault.damaged) from a wrong passphrase, and sets it aside only when asked', async () => {
    const vault = await open();
    await vault.set('k', 'v');
    const content = JSON.parse(readFileSync(file, 'utf8')) as { data: string };
    const flipped = Buffer.from(content.data, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    writeFileSync(file, JSON.stringify({ ...content, data: flipped.toString('base64') }));
    await expect(open()).rejects.toMatchObject({ code: 'vault.damaged' });
    await expect(open('wrong passphrase')).rejects.toMatchObject({ code: 'vault.wrong_passphrase' });
    writeFileSync(file, 'not json at all');
    await expect(open()).rejects.toMatchObject({ code: 'vault.damaged' });
    expect(readFileSync(file, 'utf8')).toBe('not json at all');
    const aside = FileVault.setAside(file, 'damaged');
    expect(aside).toMatch(/vault\.json\.damaged-/);
    expect(readFileSync(aside ?? '', 'utf8')).toBe('not json at all');
    const fresh = await open();
    expect(await fresh.get('k')).toBeUndefined();
  });

  it('refuses an empty passphrase with vault.locked', async () => {
    await expect(open('')).rejects.toMatchObject({ code: 'vault.locked' });
  });
});
