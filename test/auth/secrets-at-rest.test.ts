import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileVault } from '../../electron/host/file-vault.ts';
import { dataPaths } from '../../electron/core/base/paths.ts';
import { createCore } from '../../electron/core/core.ts';
import { launchBrowser } from './helpers.ts';
import { approveOnOidcProvider, startAuthorizationServer, type TestAuthorizationServer } from './oidc-server.ts';

const bin = join(import.meta.dirname, '../../bin/dossier.js');
const passphrase = 'grep-test passphrase 9c1d';
let browser: Browser;
let idp: TestAuthorizationServer;
let dataDir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  idp = await startAuthorizationServer();
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-secrets-'));
});
afterAll(async () => {
  await browser.close();
  await idp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Spawned {
  readonly child: ChildProcess;
  readonly argv: readonly string[];
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
}

/** The real `dossier` command line in its own process, secrets given only through the environment and stdin. */
function spawnDossier(args: string[], stdinText: string): Spawned {
  const argv = [bin, '--data-dir', dataDir, '--json', ...args];
  const child = spawn(process.execPath, argv, { env: { ...process.env, DOSSIER_PASSPHRASE: passphrase }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin?.end(stdinText);
  return {
    child,
    argv: [process.execPath, ...argv],
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
    exit: new Promise((resolve) => child.on('exit', resolve)),
  };
}

/** Every file under the data directory except the vault itself. */
function filesOutsideVault(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile() && !file.endsWith('vault.json'));
}

describe('secrets stay in the vault', () => {
  it('no token, secret, code or passphrase in the database, the log, argv or any other file of the data directory', async () => {
    const { secret } = idp.confidentialClient;
    const add = spawnDossier(
      ['accounts', 'add', '--provider', 'oauth2', '--name', 'IdP', '--base-url', idp.issuer, '--client-id', idp.confidentialClient.id, '--grant', 'authorization_code', '--scope', 'openid offline_access'],
      `${secret}\n`,
    );
    expect(await add.exit, add.stderr()).toBe(0);

    const login = spawnDossier(['login', 'IdP', '--no-browser'], '');
    const authorizeUrl = await new Promise<string>((resolve) => {
      login.child.stderr?.on('data', () => {
        const line = login.stderr().split('\n').find((candidate) => candidate.includes('authorizeUrl'));
        if (line !== undefined) resolve((JSON.parse(line) as { authorizeUrl: string }).authorizeUrl);
      });
    });
    // While the process waits for the browser, its command line is what any user of the machine can read.
    const liveArgv = readFileSync(`/proc/${login.child.pid}/cmdline`, 'utf8').split('\0');
    const { callbackUrl } = await approveOnOidcProvider(browser, authorizeUrl);
    expect(await login.exit, login.stderr()).toBe(0);
    const code = new URL(callbackUrl).searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(10);

    // Use the account in-process too: an API call, then a refresh with rotation, so the log has real traffic.
    const vault = await FileVault.open(dataPaths(dataDir).vault, passphrase);
    const core = createCore({ dataDir, vault, openExternal: async () => undefined, host: 'cli', documentUrl: () => '' });
    const first = await core.services.accounts.readTokens(1);
    await core.services.accounts.writeTokens(1, { ...(first ?? expect.fail('no tokens after login')), expiresAt: new Date(0).toISOString() });
    const session = await core.services.auth.openSession(1);
    const me = await session.request({ method: 'GET', url: `${idp.issuer}/me` });
    expect(me.statusCode).toBe(200);
    await me.body.dump();
    const second = await core.services.accounts.readTokens(1);
    await core.close();

    // oidc-provider rotates a confidential client's refresh token only late in its life, so the second may equal the first.
    const secrets = [...new Set([passphrase, secret, code, first?.accessToken, first?.refreshToken, second?.accessToken, second?.refreshToken])].filter(
      (value): value is string => typeof value === 'string' && value.length > 0,
    );
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(second?.accessToken).not.toBe(first?.accessToken);

    const files = filesOutsideVault(dataDir);
    expect(files.some((file) => file.endsWith('dossier.db'))).toBe(true);
    const log = files.find((file) => file.endsWith('.log'));
    expect(readFileSync(log ?? expect.fail('no log file'), 'utf8')).toContain('auth.token_obtained');
    for (const file of files) {
      const content = readFileSync(file).toString('latin1');
      for (const value of secrets) expect(content.includes(value), `${file} contains a secret`).toBe(false);
    }
    for (const argv of [add.argv, login.argv, liveArgv]) {
      for (const value of secrets) expect(argv.join(' ').includes(value)).toBe(false);
    }
    // Everything in the profile is the owner's alone: applicants' data as much as the secrets.
    for (const file of [...files, join(dataDir, 'vault.json')]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    const folders = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).map((name) => join(dataDir, name)).filter((path) => statSync(path).isDirectory());
    for (const folder of [dataDir, ...folders]) expect(statSync(folder).mode & 0o777, folder).toBe(0o700);
    // And the vault does hold them, encrypted.
    const vaultText = readFileSync(join(dataDir, 'vault.json'), 'utf8');
    for (const value of secrets) expect(vaultText.includes(value)).toBe(false);
  });
});
