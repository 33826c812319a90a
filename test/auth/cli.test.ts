import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileVault } from '../../electron/host/file-vault.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { launchBrowser } from './helpers.ts';
import { approveOnOidcProvider, startAuthorizationServer, type TestAuthorizationServer } from './oidc-server.ts';
import { formFields, startScriptedServer, type ScriptedServer } from './scripted-server.ts';

const passphrase = 'cli test passphrase';
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-auth-cli-'));
  env = { DOSSIER_PASSPHRASE: passphrase, DOSSIER_DATA_DIR: dataDir };
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('dossier accounts and login (client credentials, scripted EconJobMarket)', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
    server.answer = () => ({ body: { access_token: 'cli-minted-token', expires_in: 3600, token_type: 'bearer', scope: 'basic' } });
  });
  afterEach(() => server.close());

  it('adds with the secret from standard input, lists, signs in, and removes with every secret', async () => {
    const added = await runCli(['--json', 'accounts', 'add', '--provider', 'ejm', '--name', 'EJM Econ', '--base-url', `${server.url}/api/`, '--client-id', 'key-1', '--time-zone', 'America/Los_Angeles'], env, 'piped-client-secret\n');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'EJM Econ', provider: 'ejm', grant: 'client_credentials', state: 'signed_out', timeZone: 'America/Los_Angeles' });

    const listed = await runCli(['--json', 'accounts', 'list'], env);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);

    const login = await runCli(['--json', 'login', 'ejm econ'], env);
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ state: 'signed_in' });
    expect(await formFields(server.seen[0] ?? expect.fail('no token request'))).toMatchObject({ client_id: 'key-1', client_secret: 'piped-client-secret' });

    const vault = await FileVault.open(join(dataDir, 'vault.json'), passphrase);
    expect(JSON.parse((await vault.get('account:1:client_secret')) ?? '{}')).toMatchObject({ binding: { provider: 'ejm', issuer: server.url }, value: 'piped-client-secret' });
    expect(await vault.get('account:1:tokens')).toContain('cli-minted-token');

    const removed = await runCli(['--json', 'accounts', 'remove', 'EJM Econ'], env);
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: true, name: 'EJM Econ', revocation: { outcome: 'no_endpoint', message: expect.stringContaining('EconJobMarket offers no way') } });
    expect(await vault.get('account:1:client_secret')).toBeUndefined();
    expect(await vault.get('account:1:tokens')).toBeUndefined();
    expect(JSON.parse((await runCli(['--json', 'accounts', 'list'], env)).stdout)).toEqual([]);
  });

  it('reads the client secret from DOSSIER_CLIENT_SECRET and prints human text without --json', async () => {
    const added = await runCli(['accounts', 'add', '--provider', 'ejm', '--name', 'EJM', '--base-url', `${server.url}/api/`, '--client-id', 'key-1'], { ...env, DOSSIER_CLIENT_SECRET: 'env-secret' });
    expect(added.stdout).toContain('Added EJM (EconJobMarket, client_credentials)');
    expect(added.stdout).toContain('dossier login "EJM"');
    const login = await runCli(['login', 'EJM'], env);
    expect(login.stdout).toContain('Signed in: EJM');
    expect(await formFields(server.seen[0] ?? expect.fail('no token request'))).toMatchObject({ client_secret: 'env-secret' });
  });

  it('refuses clearly: no passphrase, no secret, unknown account, duplicate name, unsupported grant', async () => {
    const add = ['--json', 'accounts', 'add', '--provider', 'ejm', '--name', 'EJM', '--base-url', `${server.url}/api/`, '--client-id', 'key-1'];
    const locked = await runCli(add, { DOSSIER_DATA_DIR: dataDir }, 'secret');
    expect(locked.code).toBe(1);
    expect(JSON.parse(locked.stderr)).toMatchObject({ error: { code: 'vault.locked' } });
    const noSecret = await runCli(add, env);
    expect(JSON.parse(noSecret.stderr)).toMatchObject({ error: { code: 'input.invalid', message: expect.stringContaining('client secret') } });
    expect((await runCli(add, env, 'secret')).code).toBe(0);
    expect(JSON.parse((await runCli(add, env, 'secret')).stderr)).toMatchObject({ error: { code: 'account.exists' } });
    const grant = await runCli(['--json', 'accounts', 'add', '--provider', 'infojobs', '--name', 'IJ', '--client-id', 'x', '--grant', 'client_credentials'], env, 'secret');
    expect(JSON.parse(grant.stderr)).toMatchObject({ error: { code: 'input.invalid', message: expect.stringContaining('authorization_code') } });
    const inArgv = await runCli([...add, '--client-secret', 'visible-to-ps'], env);
    expect(inArgv.code).not.toBe(0);
    expect(inArgv.stderr).toContain("unknown option '--client-secret'");
    const unknown = await runCli(['--json', 'login', 'Nobody'], env);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'account.not_found' } });
    expect(JSON.parse((await runCli(['--json', 'accounts', 'list'], env)).stdout)).toHaveLength(1);
  });

  it('refuses a wrong passphrase and leaves the vault byte for byte; only `dossier vault reset` starts a new one, keeping the old aside', async () => {
    await runCli(['accounts', 'add', '--provider', 'ejm', '--name', 'EJM', '--base-url', `${server.url}/api/`, '--client-id', 'key-1'], env, 'first-secret');
    await runCli(['login', 'EJM'], env);
    const vaultFile = join(dataDir, 'vault.json');
    const before = readFileSync(vaultFile);
    const wrong = { ...env, DOSSIER_PASSPHRASE: 'a different passphrase' };
    const refused = await runCli(['--json', 'accounts', 'remove', 'EJM'], wrong);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'vault.wrong_passphrase' } });
    const relogin = await runCli(['--json', 'login', 'EJM'], { ...wrong, DOSSIER_CLIENT_SECRET: 'first-secret' });
    expect(JSON.parse(relogin.stderr)).toMatchObject({ error: { code: 'vault.wrong_passphrase' } });
    expect(readFileSync(vaultFile).equals(before)).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('vault.json'))).toEqual(['vault.json']);
    // The cache needs no passphrase at all, not even the right one.
    expect(JSON.parse((await runCli(['--json', 'accounts', 'list'], wrong)).stdout)).toHaveLength(1);

    const reset = await runCli(['--json', 'vault', 'reset'], wrong);
    const { keptAs } = JSON.parse(reset.stdout) as { keptAs: string };
    expect(keptAs).toMatch(/vault\.json\.reset-/);
    expect(readFileSync(keptAs).equals(before)).toBe(true);
    const fresh = await runCli(['--json', 'login', 'EJM'], { ...wrong, DOSSIER_CLIENT_SECRET: 'first-secret' });
    expect(JSON.parse(fresh.stdout)).toMatchObject({ name: 'EJM', state: 'signed_in' });
  });

});

describe('dossier login with the authorization code grant (oidc-provider, Chromium)', () => {
  let browser: Browser;
  let idp: TestAuthorizationServer;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());
  beforeEach(async () => {
    idp = await startAuthorizationServer();
  });
  afterEach(() => idp.close());

  it('prints the authorize URL, waits for the loopback callback and signs in', async () => {
    const added = await runCli(['--json', 'accounts', 'add', '--provider', 'oauth2', '--name', 'IdP', '--base-url', idp.issuer, '--client-id', idp.clientId, '--grant', 'authorization_code', '--scope', 'openid offline_access'], env);
    expect(added.code).toBe(0);
    const run = await startCli(['--json', 'login', 'IdP', '--no-browser'], env);
    const line = await run.stderrLine(/authorizeUrl/);
    const { authorizeUrl } = JSON.parse(line) as { authorizeUrl: string };
    expect(new URL(authorizeUrl).origin).toBe(idp.issuer);
    const { text } = await approveOnOidcProvider(browser, authorizeUrl);
    expect(text).toContain('You can close this tab');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'IdP', state: 'signed_in' });
  });

  it('a sign-in that is never finished times out with a clear error', async () => {
    await runCli(['accounts', 'add', '--provider', 'oauth2', '--name', 'IdP', '--base-url', idp.issuer, '--client-id', idp.clientId, '--grant', 'authorization_code'], env);
    const result = await runCli(['--json', 'login', 'IdP', '--no-browser', '--timeout', '0.3'], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'auth.timeout' } });
  });
});

describe('pasted personal access token', () => {
  it('reads DOSSIER_TOKEN for a token-grant account (JyMob own-account token)', async () => {
    await runCli(['accounts', 'add', '--provider', 'jymob', '--name', 'JyMob me', '--grant', 'token'], env);
    const noToken = await runCli(['--json', 'login', 'JyMob me'], env);
    expect(JSON.parse(noToken.stderr)).toMatchObject({ error: { code: 'input.invalid' } });
    const login = await runCli(['--json', 'login', 'JyMob me'], { ...env, DOSSIER_TOKEN: 'jymob-personal-token' });
    expect(JSON.parse(login.stdout)).toMatchObject({ state: 'signed_in', grant: 'token' });
    const vault = await FileVault.open(join(dataDir, 'vault.json'), passphrase);
    expect(JSON.parse((await vault.get('account:1:tokens')) ?? '{}')).toMatchObject({ value: { accessToken: 'jymob-personal-token', grant: 'token' } });
  });
});
