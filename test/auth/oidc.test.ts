import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokensKey } from '../../electron/core/secrets/tokens.ts';
import { launchBrowser, newPage, testCore, type TestCore } from './helpers.ts';
import { approveOnOidcProvider, signInAtOidcProvider, startAuthorizationServer, type TestAuthorizationServer } from './oidc-server.ts';

let browser: Browser;
let server: TestAuthorizationServer;
let core: TestCore;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await core.close();
  await server.close();
});

async function signedInAccount(): Promise<number> {
  server = await startAuthorizationServer();
  core = await testCore();
  const { accountId, callbackText } = await signInAtOidcProvider(browser, core, server);
  expect(callbackText).toContain('Signed in');
  return accountId;
}

async function expireStoredToken(accountId: number): Promise<void> {
  const record = await core.core.services.accounts.readTokens(accountId);
  if (record === undefined) throw new Error('no tokens stored');
  await core.core.services.accounts.writeTokens(accountId, { ...record, expiresAt: new Date(Date.now() - 1000).toISOString() });
}

async function userinfo(accountId: number): Promise<{ status: number; body: unknown }> {
  const session = await core.core.services.auth.openSession(accountId);
  const response = await session.request({ method: 'GET', url: `${server.issuer}/me` });
  return { status: response.statusCode, body: await response.body.json() };
}

describe('generic oauth2 account against oidc-provider (native public client)', () => {
  it('signs in with authorization code + PKCE through the loopback listener, then calls the API', async () => {
    const accountId = await signedInAccount();
    const authorizeUrl = new URL(core.opened[0] ?? '');
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(authorizeUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const record = await core.core.services.accounts.readTokens(accountId);
    expect(record?.refreshToken).toBeTruthy();
    expect(core.core.services.accounts.get(accountId).state).toBe('signed_in');
    expect(core.states.at(-1)?.state).toBe('signed_in');
    const me = await userinfo(accountId);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ sub: 'reviewer@example.edu' });
  });

  it('retries once with a new token when the server refuses one it revoked mid-session', async () => {
    const accountId = await signedInAccount();
    const before = await core.core.services.accounts.readTokens(accountId);
    const stored = await server.provider.AccessToken.find(before?.accessToken ?? '');
    await stored?.destroy();
    const me = await userinfo(accountId);
    expect(me.status).toBe(200);
    expect(server.tokenRequests.get('refresh_token')).toBe(1);
  });

  it('refreshes once for concurrent callers, saves the rotated pair, and the server detects reuse of the old refresh token', async () => {
    const accountId = await signedInAccount();
    const original = await core.core.services.accounts.readTokens(accountId);
    await expireStoredToken(accountId);
    const session = await core.core.services.auth.openSession(accountId);
    const replies = await Promise.all(Array.from({ length: 6 }, () => session.request({ method: 'GET', url: `${server.issuer}/me` })));
    for (const reply of replies) {
      expect(reply.statusCode).toBe(200);
      await reply.body.dump();
    }
    expect(server.tokenRequests.get('refresh_token')).toBe(1);
    const rotated = await core.core.services.accounts.readTokens(accountId);
    expect(rotated?.refreshToken).toBeTruthy();
    expect(rotated?.refreshToken).not.toBe(original?.refreshToken);
    expect(rotated?.accessToken).not.toBe(original?.accessToken);

    // Someone replays the consumed refresh token: the server revokes the whole grant.
    await core.core.services.accounts.writeTokens(accountId, { ...(original ?? expect.fail('no tokens')), expiresAt: new Date(0).toISOString() });
    await expect(userinfo(accountId)).rejects.toMatchObject({ code: 'auth.revoked' });
    expect(await core.vault.get(tokensKey(accountId))).toBeUndefined();
    const account = core.core.services.accounts.get(accountId);
    expect(account.state).toBe('signed_out');
    expect(account.stateMessage).toMatch(/sign in again/i);
    expect(core.states.at(-1)?.state).toBe('signed_out');
  });
});

/** Every way a user can point a generic OAuth 2.0 account at a server, against oidc-provider with and without RFC 9207. */
const configurations = [
  { how: 'discovery from the issuer', byHand: false, iss: true },
  { how: 'discovery from the issuer', byHand: false, iss: false },
  { how: 'endpoints by hand', byHand: true, iss: true },
  { how: 'endpoints by hand', byHand: true, iss: false },
] as const;

describe.each(configurations)('oidc-provider, $how, iss in the authorization response: $iss', ({ byHand, iss }) => {
  it('signs in through the browser and calls the API', async () => {
    server = await startAuthorizationServer({ issParameter: iss });
    core = await testCore();
    const endpoints = byHand ? { authorizeUrl: `${server.issuer}/auth`, tokenUrl: `${server.issuer}/token` } : {};
    const opened = core.nextOpened();
    const account = await core.core.services.accounts.add({ provider: 'oauth2', name: 'Test IdP', baseUrl: server.issuer, clientId: server.clientId, grant: 'authorization_code', scope: 'openid offline_access', ...endpoints });
    const signingIn = core.core.services.auth.signIn(account.id);
    const { text, callbackUrl } = await approveOnOidcProvider(browser, await opened);
    await expect(signingIn).resolves.toMatchObject({ state: 'signed_in' });
    expect(text).toContain('Signed in');
    // The configuration really is what the test says: the answer carried iss or not, and discovery ran or not.
    expect(new URL(callbackUrl).searchParams.get('iss')).toBe(iss ? server.issuer : null);
    expect(server.requestPaths.some((path) => path.startsWith('/.well-known/'))).toBe(!byHand);
    expect((await userinfo(account.id)).body).toMatchObject({ sub: 'reviewer@example.edu' });
  });
});

describe('oidc-provider matching redirect URIs exactly (a web client): the account keeps the fixed port it was given', () => {
  /** Asks the system for a port nothing listens on. */
  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  it('signs in on the registered port, again on the same port, and explains a port that is not registered', async () => {
    const port = await freePort();
    const registered = `http://127.0.0.1:${port}/callback`;
    server = await startAuthorizationServer({ exactRedirectUris: [registered] });
    core = await testCore();
    const { accountId } = await signInAtOidcProvider(browser, core, server, { clientId: server.exactClientId, redirectPort: port });
    expect(core.core.services.accounts.get(accountId)).toMatchObject({ state: 'signed_in', redirectPort: port, redirectUri: registered });
    await core.core.services.auth.signOut(accountId);
    const again = core.nextOpened();
    const signingIn = core.core.services.auth.signIn(accountId);
    const { text } = await approveOnOidcProvider(browser, await again);
    await expect(signingIn).resolves.toMatchObject({ state: 'signed_in' });
    expect(text).toContain('Signed in');
    expect(core.opened.map((url) => new URL(url).searchParams.get('redirect_uri'))).toEqual([registered, registered]);

    // Another port: oidc-provider shows its own error page and never sends the browser back.
    const other = await core.core.services.accounts.add({ provider: 'oauth2', name: 'Unregistered port', baseUrl: server.issuer, clientId: server.exactClientId, grant: 'authorization_code', redirectPort: 'auto' });
    const openedOther = core.nextOpened();
    const refused = core.core.services.auth.signIn(other.id, { timeoutMs: 4000 });
    refused.catch(() => undefined);
    const page = await newPage(browser);
    try {
      await page.goto(await openedOther);
      expect(await page.locator('body').innerText()).toMatch(/redirect_uri did not match/i);
    } finally {
      await page.close();
    }
    const otherUri = core.core.services.accounts.get(other.id).redirectUri;
    expect(otherUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(otherUri).not.toBe(registered);
    await expect(refused).rejects.toMatchObject({ code: 'auth.timeout', message: expect.stringContaining(`register exactly ${otherUri ?? ''} in your provider's registration`) });
  });
});
