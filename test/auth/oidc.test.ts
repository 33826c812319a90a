import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokensKey } from '../../electron/core/secrets/tokens.ts';
import { launchBrowser, testCore, type TestCore } from './helpers.ts';
import { signInAtOidcProvider, startAuthorizationServer, type TestAuthorizationServer } from './oidc-server.ts';

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
