import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import type { EmulatorFactory } from '../../electron/sandbox/emulator.ts';
import { infojobsEmulator } from '../../electron/sandbox/infojobs/index.ts';
import { jymobEmulator } from '../../electron/sandbox/jymob/index.ts';
import { runCli } from '../helpers/cli.ts';
import { control, useProviderSandbox } from './emulators.ts';
import { newPage } from './helpers.ts';

/**
 * The three providers whose documentation speaks of a registered redirect URI, each emulated with
 * `redirect: 'exact'`: the registered URI must match character for character, port and path.
 */
const emulators: readonly { factory: EmulatorFactory; label: string; where: string }[] = [
  { factory: careerplugEmulator, label: 'CareerPlug', where: 'the callback URL of your CareerPlug API application' },
  { factory: infojobsEmulator, label: 'InfoJobs', where: 'the Callback URI of your application at developer.infojobs.net' },
  { factory: jymobEmulator, label: 'JyMob', where: 'the Redirect URI of your JyMob OAuth Client Application' },
];

describe.each(emulators)('$factory.provider with an exact registered redirect URI', ({ factory, label, where }) => {
  const sandbox = useProviderSandbox(() => factory.start({ scale: 'small', seed: 17, strictness: { redirect: 'exact' } }), { withBrowser: true });

  const addAccount = () => sandbox.account({ provider: factory.provider, name: `${label} browser`, grant: 'authorization_code' });

  it('refuses the unregistered URI with a message naming it; after registering it, signs in, and keeps the port across sign-ins', async () => {
    const accountId = await addAccount();
    const account = sandbox.core.core.services.accounts.get(accountId);
    expect(account.redirectPort).toEqual(expect.any(Number));
    expect(account.redirectUri).toBe(`http://127.0.0.1:${account.redirectPort}/callback`);

    // Only the port-less http://127.0.0.1/callback is registered: the provider shows its own error page and never comes back.
    const opened = sandbox.core.nextOpened();
    const refused = sandbox.core.core.services.auth.signIn(accountId, { timeoutMs: 3000 });
    refused.catch(() => undefined);
    const authorizeUrl = await opened;
    expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(account.redirectUri);
    const page = await newPage(sandbox.browser);
    try {
      await page.goto(authorizeUrl);
      expect(await page.locator('body').innerText()).toContain('Redirect URI not registered');
    } finally {
      await page.close();
    }
    await expect(refused).rejects.toMatchObject({
      code: 'auth.timeout',
      message: expect.stringContaining(`If ${label} said the redirect URI is not registered, register exactly ${account.redirectUri ?? ''} in ${where}`),
    });

    await control(sandbox.emulator.ready, 'register-redirect', { uri: account.redirectUri });
    const first = await sandbox.signInWithBrowser(accountId);
    await expect(first.outcome).resolves.toMatchObject({ state: 'signed_in' });
    expect(first.text).toContain(`Signed in to ${label}`);

    await sandbox.core.core.services.auth.signOut(accountId);
    const second = await sandbox.signInWithBrowser(accountId);
    await expect(second.outcome).resolves.toMatchObject({ state: 'signed_in' });
    const redirects = sandbox.core.opened.map((url) => new URL(url).searchParams.get('redirect_uri'));
    expect(redirects).toEqual([account.redirectUri, account.redirectUri, account.redirectUri]);
    expect(sandbox.core.core.services.accounts.get(accountId).redirectPort).toBe(account.redirectPort);
  });

  it('a sign-in with a port picked afresh (RFC 8252) is refused by the exact server', async () => {
    // What Dossier did before accounts kept a port: the emulator refuses it even with the URI Dossier shows registered.
    const accountId = await addAccount();
    const account = sandbox.core.core.services.accounts.get(accountId);
    await control(sandbox.emulator.ready, 'register-redirect', { uri: account.redirectUri });
    const otherPort = (account.redirectPort ?? 0) === 65535 ? 65534 : (account.redirectPort ?? 0) + 1;
    const authorize = new URL(sandbox.emulator.ready.authorizeUrl ?? '');
    authorize.search = new URLSearchParams({ client_id: sandbox.emulator.ready.clientId, redirect_uri: `http://127.0.0.1:${otherPort}/callback`, response_type: 'code', state: 's' }).toString();
    const page = await newPage(sandbox.browser);
    try {
      await page.goto(authorize.href);
      expect(await page.locator('body').innerText()).toContain('Redirect URI not registered');
    } finally {
      await page.close();
    }
  });
});

describe('the fixed port is taken at sign-in time', () => {
  const sandbox = useProviderSandbox(() => careerplugEmulator.start({ scale: 'small', seed: 17, strictness: { redirect: 'exact' } }));
  let squatter: ChildProcess | undefined;
  afterEach(() => {
    squatter?.kill();
    squatter = undefined;
  });

  it('says which program holds it and how to change the port', async () => {
    const accountId = await sandbox.account({ provider: 'careerplug', name: 'CareerPlug browser', grant: 'authorization_code' });
    const { redirectPort } = sandbox.core.core.services.accounts.get(accountId);
    // A real other program on the port: a node process listening on 127.0.0.1.
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${redirectPort}, '127.0.0.1', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    squatter = child;
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    await expect(sandbox.core.core.services.auth.signIn(accountId)).rejects.toMatchObject({
      code: 'auth.redirect_port_busy',
      message: expect.stringMatching(new RegExp(`port ${redirectPort} .* in use by another program, node \\(process ${child.pid}\\)\\. Close node and sign in again, or change the account's redirect port`)),
    });
    expect(sandbox.core.opened).toEqual([]);

    // Changing the port is the other way out: the account keeps the new one.
    const moved = await sandbox.core.core.services.accounts.update({ id: accountId, redirectPort: 'auto' });
    expect(moved.redirectPort).toBe(redirectPort);
    const given = await sandbox.core.core.services.accounts.update({ id: accountId, redirectPort: 47_811 });
    expect(given).toMatchObject({ redirectPort: 47_811, redirectUri: 'http://127.0.0.1:47811/callback' });
    await expect(sandbox.core.core.services.accounts.update({ id: accountId, redirectPort: 'any' })).rejects.toMatchObject({ code: 'input.invalid', detail: { field: 'redirectPort' } });
  });
});

describe('dossier accounts add shows the redirect URI to register', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints it before any sign-in, keeps it in accounts list, and takes a port the user registered', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-redirect-cli-'));
    const env = { DOSSIER_PASSPHRASE: 'redirect cli passphrase', DOSSIER_DATA_DIR: dataDir, DOSSIER_CLIENT_SECRET: 'the-secret' };
    const added = await runCli(['accounts', 'add', '--provider', 'infojobs', '--name', 'InfoJobs', '--client-id', 'the-client'], env);
    expect(added.stderr).toBe('');
    const uri = /Redirect URI to register in the Callback URI of your application at developer\.infojobs\.net: (http:\/\/127\.0\.0\.1:\d+\/callback)/.exec(added.stdout)?.[1];
    expect(uri, added.stdout).toBeDefined();
    expect(added.stdout).toContain('Register that redirect URI first, then sign in with: dossier login "InfoJobs"');
    expect((await runCli(['accounts', 'list'], env)).stdout).toContain(`Redirect URI to register in the Callback URI of your application at developer.infojobs.net: ${uri ?? ''}`);

    const given = await runCli(['--json', 'accounts', 'add', '--provider', 'jymob', '--name', 'JyMob', '--client-id', 'c', '--grant', 'authorization_code', '--redirect-port', '49152'], env);
    expect(JSON.parse(given.stdout)).toMatchObject({ redirectPort: 49152, redirectUri: 'http://127.0.0.1:49152/callback' });
    // Another program took the port: the account moves to another one, and says which URI to register now.
    const moved = await runCli(['accounts', 'update', 'JyMob', '--redirect-port', '49153'], env);
    expect(moved.stderr).toBe('');
    expect(moved.stdout).toContain('Redirect URI to register in');
    expect(moved.stdout).toContain('http://127.0.0.1:49153/callback');
    const refused = await runCli(['accounts', 'add', '--provider', 'careerplug', '--name', 'CP', '--client-id', 'c', '--grant', 'authorization_code', '--redirect-port', 'any'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('CareerPlug registers the redirect URI of your API application');
  });
});
