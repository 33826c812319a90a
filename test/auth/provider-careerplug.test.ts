import { describe, expect, it } from 'vitest';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import { control, useProviderSandbox } from './emulators.ts';

const sandbox = useProviderSandbox(() => careerplugEmulator.start({ scale: 'small', seed: 3 }), { withBrowser: true });

function account(grant: 'client_credentials' | 'authorization_code'): Promise<number> {
  return sandbox.account({ provider: 'careerplug', name: `CP ${grant}`, grant });
}

function get(accountId: number, path: string): Promise<number> {
  return sandbox.statusOf(accountId, { method: 'GET', url: path });
}

/** Signs in through Chromium on the sandbox's consent page. */
async function signInWithBrowser(accountId: number): Promise<string> {
  const { text, outcome } = await sandbox.signInWithBrowser(accountId);
  await outcome;
  return text;
}

describe('CareerPlug sandbox', () => {
  it('client credentials: the official request without a scope (a custom integration), ?access_token= on api calls, expiry from created_at', async () => {
    const id = await account('client_credentials');
    await sandbox.core.core.services.auth.signIn(id);
    const record = await sandbox.core.core.services.accounts.readTokens(id);
    expect(record?.scope ?? null).toBe(null);
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBeLessThanOrEqual(172_800_000);
    expect(await get(id, '/jobs')).toBe(200);
  });

  it('a client-credentials token not provisioned for a resource: WineBouncer 401 → auth.not_provisioned, suggesting the authorization-code grant', async () => {
    const id = await account('client_credentials');
    await control(sandbox.emulator.ready, 'provision', { resources: ['jobs'] });
    expect(await get(id, '/jobs')).toBe(200);
    await expect(get(id, '/apps')).rejects.toMatchObject({ code: 'auth.not_provisioned', message: expect.stringContaining('authorization-code') });
    expect(sandbox.core.core.services.accounts.get(id).state).toBe('error');
  });

  it('the load balancer throttle page is provider.throttled', async () => {
    const id = await account('client_credentials');
    await sandbox.core.core.services.auth.signIn(id);
    await control(sandbox.emulator.ready, 'faults', { throttle: 1 });
    await expect(get(id, '/jobs')).rejects.toMatchObject({ code: 'provider.throttled' });
    expect(await get(id, '/jobs')).toBe(200);
  });

  it('authorization code through the consent page in Chromium; the user token reads what the app token may not', async () => {
    const id = await account('authorization_code');
    await control(sandbox.emulator.ready, 'provision', { resources: ['jobs'] });
    expect(await signInWithBrowser(id)).toContain('Signed in to CareerPlug');
    expect((await sandbox.core.core.services.accounts.readTokens(id))?.refreshToken).toBeTruthy();
    expect(await get(id, '/apps')).toBe(200);
  });

  it('expiry mid-request: the provider says expired before we thought, we refresh (rotating) and retry once', async () => {
    await control(sandbox.emulator.ready, 'faults', { tokenLifetimeSeconds: 600 });
    const id = await account('authorization_code');
    await signInWithBrowser(id);
    const before = await sandbox.core.core.services.accounts.readTokens(id);
    await control(sandbox.emulator.ready, 'advance-clock', { seconds: 601 });
    expect(await get(id, '/jobs')).toBe(200);
    const after = await sandbox.core.core.services.accounts.readTokens(id);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
  });

  it('revocation: a revoked grant ends the sign-in and the account asks to sign in again', async () => {
    const id = await account('authorization_code');
    await signInWithBrowser(id);
    await control(sandbox.emulator.ready, 'revoke', {});
    await expect(get(id, '/jobs')).rejects.toMatchObject({ code: 'auth.revoked' });
    expect(sandbox.core.core.services.accounts.get(id)).toMatchObject({ state: 'signed_out', stateMessage: expect.stringMatching(/sign in again/i) });
    expect(await sandbox.core.core.services.accounts.readTokens(id)).toBeUndefined();
  });
});
