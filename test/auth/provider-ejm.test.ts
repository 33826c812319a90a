import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startEjm } from '../../electron/sandbox/ejm/index.ts';
import { control, useProviderSandbox } from './emulators.ts';

const sandbox = useProviderSandbox(() => startEjm({ scale: 'small', seed: 7 }));

function clientCredentialsAccount(secret?: string): Promise<number> {
  return sandbox.account({ provider: 'ejm', name: 'EJM sandbox', ...(secret === undefined ? {} : { clientSecret: secret }) });
}

async function applications(accountId: number): Promise<unknown[]> {
  const session = await sandbox.core.core.services.auth.openSession(accountId);
  const response = await session.request({ method: 'GET', url: 'applications/' });
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as unknown[];
}

describe('EconJobMarket sandbox', () => {
  it('signs in with client credentials at /token/ and reads the API with the one-hour JWT', async () => {
    const id = await clientCredentialsAccount();
    await sandbox.core.core.services.auth.signIn(id);
    const record = await sandbox.core.core.services.accounts.readTokens(id);
    expect(record?.accessToken.split('.')).toHaveLength(3);
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(3600_000);
    expect((await applications(id)).length).toBeGreaterThan(0);
    expect(sandbox.core.core.services.accounts.get(id).state).toBe('signed_in');
  });

  it('mints again when the token is revoked mid-session ("Missing or expired token.") and retries once', async () => {
    const id = await clientCredentialsAccount();
    await sandbox.core.core.services.auth.signIn(id);
    const before = await sandbox.core.core.services.accounts.readTokens(id);
    await control(sandbox.emulator.ready, 'revoke', { token: before?.accessToken });
    expect((await applications(id)).length).toBeGreaterThan(0);
    expect((await sandbox.core.core.services.accounts.readTokens(id))?.accessToken).not.toBe(before?.accessToken);
    expect(sandbox.emulator.sandbox.stats.get('POST /token/')).toBe(2);
  });

  it('a token that expires at the provider before we expected (tokenLifetimeSeconds fault) is replaced mid-request', async () => {
    await control(sandbox.emulator.ready, 'faults', { tokenLifetimeSeconds: 1 });
    const id = await clientCredentialsAccount();
    await sandbox.core.core.services.auth.signIn(id);
    const short = await sandbox.core.core.services.accounts.readTokens(id);
    // Our clock runs behind the provider's: we believe the token is good for an hour.
    await sandbox.core.core.services.accounts.writeTokens(id, { ...(short ?? expect.fail('no token')), expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    await expect
      .poll(async () => (await request(new URL('applications/', sandbox.emulator.ready.baseUrl), { headers: { authorization: `Bearer ${short?.accessToken}` } })).statusCode, { interval: 100, timeout: 5000 })
      .toBe(401);
    await control(sandbox.emulator.ready, 'faults', { tokenLifetimeSeconds: null });
    expect((await applications(id)).length).toBeGreaterThan(0);
    expect(sandbox.emulator.sandbox.stats.get('POST /token/')).toBe(2);
  });

  it('mints a token on first use, with no explicit sign-in', async () => {
    const id = await clientCredentialsAccount();
    expect((await applications(id)).length).toBeGreaterThan(0);
    expect(sandbox.emulator.sandbox.stats.get('POST /token/')).toBe(1);
  });

  it('a wrong secret is auth.invalid_client', async () => {
    const id = await clientCredentialsAccount('not-the-secret');
    await expect(sandbox.core.core.services.auth.signIn(id)).rejects.toMatchObject({ code: 'auth.invalid_client' });
    expect(sandbox.core.core.services.accounts.get(id).state).toBe('error');
  });

  it('an address missing from the allow list is auth.ip_not_allowed, saying where to add it', async () => {
    const id = await clientCredentialsAccount();
    await control(sandbox.emulator.ready, 'ip-allowlist', { allowed: ['203.0.113.9'] });
    const session = await sandbox.core.core.services.auth.openSession(id);
    const failure = session.request({ method: 'GET', url: 'applicants/' });
    await expect(failure).rejects.toMatchObject({ code: 'auth.ip_not_allowed', message: expect.stringContaining('Configure your api connection details') });
    expect(sandbox.core.core.services.accounts.get(id)).toMatchObject({ state: 'error', stateMessage: expect.stringContaining('cannot know which public IP') });
  });

  it('a token pasted from the setup page works until the provider refuses it, then asks for a new one', async () => {
    // What the setup page's "Refresh access token" button hands the user: a token minted for the app.
    const minted = await request(new URL('/token/', sandbox.emulator.ready.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.emulator.ready.clientId, client_secret: sandbox.emulator.ready.clientSecret }).toString(),
    });
    const { access_token: pasted } = (await minted.body.json()) as { access_token: string };
    const account = await sandbox.core.core.services.accounts.add({ provider: 'ejm', name: 'EJM pasted', baseUrl: sandbox.emulator.ready.baseUrl, grant: 'token' });
    await sandbox.core.core.services.auth.signIn(account.id, { token: pasted });
    const record = await sandbox.core.core.services.accounts.readTokens(account.id);
    expect(record?.expiresAt).toBeDefined();
    expect((await applications(account.id)).length).toBeGreaterThan(0);
    await control(sandbox.emulator.ready, 'revoke', { token: pasted });
    const session = await sandbox.core.core.services.auth.openSession(account.id);
    await expect(session.request({ method: 'GET', url: 'applications/' })).rejects.toMatchObject({ code: 'auth.needs_login' });
    expect(sandbox.core.core.services.accounts.get(account.id).state).toBe('signed_out');
  });
});
