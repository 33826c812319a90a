import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientSecretKey, tokensKey } from '../../electron/core/secrets/tokens.ts';
import { launchBrowser, testCore, type TestCore } from './helpers.ts';
import { signInAtOidcProvider, startAuthorizationServer, type TestAuthorizationServer } from './oidc-server.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

let core: TestCore;
let api: ScriptedServer;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setUp(): Promise<void> {
  core = await testCore();
  api = await startScriptedServer();
  api.answer = () => ({ status: 200, body: { ok: true } });
  closers.push(() => core.close(), () => api.close());
}

async function call<T>(name: string, input: unknown): Promise<T> {
  const outcome = await core.core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.result as T;
}

/** A JyMob account signed in with a pasted token, talking to the scripted server (JyMob puts the token in `?access_token=`). */
async function pastedTokenAccount(name: string, token: string, baseUrl = api.url): Promise<number> {
  const account = await call<{ id: number }>('accounts.add', { provider: 'jymob', name, grant: 'token', baseUrl });
  await call('auth.login', { id: account.id, token });
  return account.id;
}

/** What a session of the account sends: the access tokens the scripted server saw, or the error that stopped it. */
async function tokensSentBy(accountId: number): Promise<{ sent: (string | null)[]; error: unknown }> {
  const before = api.seen.length;
  let error: unknown;
  try {
    const session = await core.core.services.auth.openSession(accountId);
    const response = await session.request({ method: 'GET', url: 'jobs' });
    await response.body.dump();
  } catch (caught) {
    error = caught;
  }
  return { sent: api.seen.slice(before).map((request) => request.url.searchParams.get('access_token')), error };
}

describe('account identity: ids are never reused and secrets are bound to the account', () => {
  it('add a, add b, remove b, add c: c gets a new id and never sends b\'s token, even when b\'s record is put under c\'s key', async () => {
    await setUp();
    await pastedTokenAccount('A', 'token-of-a');
    const b = await pastedTokenAccount('B', 'token-of-b');
    const recordOfB = await core.vault.get(tokensKey(b));
    expect(recordOfB).toBeDefined();
    await call('accounts.remove', { id: b });
    const c = await call<{ id: number }>('accounts.add', { provider: 'jymob', name: 'C', grant: 'token', baseUrl: api.url });
    expect(c.id).not.toBe(b);

    // As if the vault had kept b's record (another profile on the same keychain, a failed delete): c must refuse it.
    await core.vault.set(tokensKey(c.id), recordOfB ?? '');
    const { sent, error } = await tokensSentBy(c.id);
    expect(sent).toEqual([]);
    expect(error).toMatchObject({ code: 'auth.needs_login', message: expect.stringContaining('"C" is not signed in yet') });
    expect(core.core.services.accounts.get(c.id)).toMatchObject({ state: 'signed_out' });
    const text = readFileSync(core.core.paths.logFile, 'utf8');
    expect(text).toContain('secrets.binding_refused');
    expect(text).toMatch(/"reason":"account"/);
    expect(text).not.toContain('token-of-b');
  });

  it('refuses a record bound to another issuer or another provider, and sends nothing', async () => {
    await setUp();
    const id = await pastedTokenAccount('Moved', 'token-for-the-first-host');
    expect((await tokensSentBy(id)).sent).toEqual(['token-for-the-first-host']);

    const elsewhere = await startScriptedServer();
    closers.push(() => elsewhere.close());
    core.core.storage.db.prepare('UPDATE accounts SET base_url = ? WHERE id = ?').run(`${elsewhere.url}/`, id);
    const toOtherIssuer = await tokensSentBy(id);
    expect(elsewhere.seen).toEqual([]);
    expect(toOtherIssuer.error).toMatchObject({ code: 'auth.needs_login' });

    const other = await pastedTokenAccount('Switched', 'token-for-jymob');
    // Same origin for the token endpoint, another provider: JyMob's record must not serve a generic OAuth 2.0 account.
    core.core.storage.db.prepare(`UPDATE accounts SET provider = 'oauth2', token_url = ? WHERE id = ?`).run(`${api.url}/oauth/access_token`, other);
    const toOtherProvider = await tokensSentBy(other);
    expect(toOtherProvider.sent).toEqual([]);
    expect(toOtherProvider.error).toMatchObject({ code: 'auth.needs_login' });
    const text = readFileSync(core.core.paths.logFile, 'utf8');
    expect(text).toMatch(/"reason":"issuer"/);
    expect(text).toMatch(/"reason":"provider"/);
  });

  it('refuses a client secret bound to another account', async () => {
    await setUp();
    const first = await call<{ id: number }>('accounts.add', { provider: 'ejm', name: 'First', clientId: 'k', clientSecret: 'secret-of-first', baseUrl: api.url });
    const second = await call<{ id: number }>('accounts.add', { provider: 'ejm', name: 'Second', clientId: 'k', clientSecret: 'secret-of-second', baseUrl: api.url });
    await core.vault.set(clientSecretKey(second.id), (await core.vault.get(clientSecretKey(first.id))) ?? '');
    api.answer = () => ({ status: 400, body: { error: 'invalid_client' } });
    await tokensSentBy(second.id);
    const tokenRequests = api.seen.filter((request) => request.url.pathname.startsWith('/token'));
    expect(tokenRequests.length).toBeGreaterThan(0);
    for (const request of tokenRequests) expect(request.body.toString()).not.toContain('secret-of-first');
  });
});

describe('removing an account revokes its tokens at the provider (RFC 7009) where the provider can', () => {
  let browser: Browser;
  let server: TestAuthorizationServer;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  async function signedInAtOidcProvider(): Promise<{ id: number; refreshToken: string; accessToken: string }> {
    server = await startAuthorizationServer();
    closers.push(() => server.close());
    core = await testCore();
    closers.push(() => core.close());
    const { accountId } = await signInAtOidcProvider(browser, core, server);
    const record = await core.core.services.accounts.readTokens(accountId);
    if (record?.refreshToken === undefined) throw new Error('no refresh token after sign-in');
    return { id: accountId, refreshToken: record.refreshToken, accessToken: record.accessToken };
  }

  async function refreshAtProvider(refreshToken: string): Promise<{ status: number; error: unknown }> {
    const response = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: server.clientId }),
    });
    return { status: response.status, error: ((await response.json()) as { error?: unknown }).error };
  }

  it('against oidc-provider: the refresh and access tokens are revoked, and the provider then refuses them', async () => {
    const { id, refreshToken, accessToken } = await signedInAtOidcProvider();
    const result = await call<{ removed: boolean; revocation: { outcome: string; message: string } }>('accounts.remove', { id });
    expect(result).toMatchObject({ removed: true, revocation: { outcome: 'revoked', message: expect.stringContaining('revoked') } });
    expect(await server.provider.RefreshToken.find(refreshToken)).toBeUndefined();
    expect(await server.provider.AccessToken.find(accessToken)).toBeUndefined();
    expect(await refreshAtProvider(refreshToken)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await call('accounts.list', {})).toEqual([]);
  });

  it('when the provider cannot be reached, the account is still removed and the result says the tokens may stay valid', async () => {
    const { id } = await signedInAtOidcProvider();
    await server.close();
    const result = await call<{ removed: boolean; revocation: { outcome: string; message: string } }>('accounts.remove', { id });
    expect(result).toMatchObject({ removed: true, revocation: { outcome: 'not_revoked', message: expect.stringContaining('may stay valid') } });
    expect(await call('accounts.list', {})).toEqual([]);
    expect(await core.vault.get(tokensKey(id))).toBeUndefined();
  });

  it('a provider without a revocation endpoint: removal says so and sends nothing', async () => {
    await setUp();
    const id = await pastedTokenAccount('JyMob', 'token-kept-by-jymob');
    const before = api.seen.length;
    const result = await call<{ removed: boolean; revocation: { outcome: string; message: string } }>('accounts.remove', { id });
    expect(result).toMatchObject({ removed: true, revocation: { outcome: 'no_endpoint', message: expect.stringContaining('JyMob offers no way') } });
    expect(api.seen.length).toBe(before);
    expect(await core.vault.get(tokensKey(id))).toBeUndefined();
  });

  it('an account that was never signed in has nothing to revoke', async () => {
    await setUp();
    const account = await call<{ id: number }>('accounts.add', { provider: 'jymob', name: 'Never', grant: 'token', baseUrl: api.url });
    expect(await call('accounts.remove', { id: account.id })).toMatchObject({ removed: true, revocation: { outcome: 'not_signed_in' } });
  });
});
