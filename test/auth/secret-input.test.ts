import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileVault, readSecret, type SecretSource } from '../../electron/host/secret-input.ts';

const noNotice = (): void => undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-secret-input-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A terminal stand-in: typed lines on stdin, prompts collected from stderr. */
function terminal(lines: string[], env: NodeJS.ProcessEnv = {}): SecretSource & { shown: () => string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stderr = new PassThrough();
  const shown: Buffer[] = [];
  stderr.on('data', (chunk: Buffer) => shown.push(chunk));
  let index = 0;
  // Each line is "typed" when a prompt appears, as a person would.
  stderr.on('data', (chunk: Buffer) => {
    if (chunk.toString().endsWith(': ') && index < lines.length) stdin.write(`${lines[index++]}\n`);
  });
  return { stdin, stderr, env, shown: () => Buffer.concat(shown).toString() };
}

describe('secrets from the environment, standard input or the terminal', () => {
  it('prefers the environment variable, then piped input; never prompts when piped', async () => {
    const piped = Object.assign(new PassThrough(), { isTTY: false });
    piped.end('from-stdin\n');
    expect(await readSecret({ stdin: piped, stderr: new PassThrough(), env: { DOSSIER_TOKEN: 'from-env' } }, 'DOSSIER_TOKEN', 'Token: ')).toBe('from-env');
    expect(await readSecret({ stdin: piped, stderr: new PassThrough(), env: {} }, 'DOSSIER_TOKEN', 'Token: ')).toBe('from-stdin');
  });

  it('asks twice for a new vault\'s passphrase on a terminal, without echoing it', async () => {
    const file = join(dir, 'vault.json');
    const typed = terminal(['typed passphrase', 'typed passphrase']);
    const vault = await openFileVault(typed, file, noNotice);
    await vault.set('k', 'v');
    expect(typed.shown()).toContain('Vault passphrase: ');
    expect(typed.shown()).toContain('Type it again: ');
    expect(typed.shown()).not.toContain('typed passphrase');
    const again = await openFileVault(terminal(['typed passphrase']), file, noNotice);
    expect(await again.get('k')).toBe('v');
  });

  it('refuses two different passphrases and creates nothing', async () => {
    const file = join(dir, 'vault.json');
    await expect(openFileVault(terminal(['one', 'two']), file, noNotice)).rejects.toMatchObject({ code: 'input.invalid' });
    expect(existsSync(file)).toBe(false);
  });
});
