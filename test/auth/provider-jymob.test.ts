import { describe, expect, it } from 'vitest';
import { jymobEmulator } from '../../electron/sandbox/jymob/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { control, useProviderSandbox } from './emulators.ts';

const sandbox = useProviderSandbox(
  () => jymobEmulator.start({ scale: 'small', seed: 13 }) as Promise<StartedEmulator & { ready: { personalAccessToken?: string } }>,
  { withBrowser: true },
);

function account(grant: 'authorization_code' | 'token'): Promise<number> {
  return sandbox.account({ provider: 'jymob', name: `JyMob ${grant}`, grant });
}

function myApplications(accountId: number): Promise<number> {
  return sandbox.statusOf(accountId, { method: 'GET', url: 'job_applications.json' });
}

async function signInWithBrowser(accountId: number): Promise<string> {
  const { text, outcome } = await sandbox.signInWithBrowser(accountId);
  await outcome;
  return text;
}

describe('JyMob sandbox', () => {
  it('authorization code through the consent page in Chromium; access_token travels as a parameter', async () => {
    const id = await account('authorization_code');
    expect(await signInWithBrowser(id)).toContain('Signed in to JyMob');
    const record = await sandbox.core.core.services.accounts.readTokens(id);
    expect(record?.refreshToken).toBeUndefined();
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(2_592_000_000);
    expect(await myApplications(id)).toBe(200);
  });

  it('expiry mid-request without a refresh token (none is documented): the account asks to sign in again', async () => {
    await control(sandbox.emulator.ready, 'faults', { tokenLifetimeSeconds: 600 });
    const id = await account('authorization_code');
    await signInWithBrowser(id);
    await control(sandbox.emulator.ready, 'advance-clock', { seconds: 601 });
    await expect(myApplications(id)).rejects.toMatchObject({ code: 'auth.needs_login', message: expect.stringContaining('sign in again') });
    expect(sandbox.core.core.services.accounts.get(id).state).toBe('signed_out');
  });

  it('the app user\'s own pasted token works; once revoked, the account asks for a new one', async () => {
    const id = await account('token');
    await sandbox.core.core.services.auth.signIn(id, { token: sandbox.emulator.ready.personalAccessToken ?? expect.fail('no personal token in the ready line') });
    expect(await myApplications(id)).toBe(200);
    await control(sandbox.emulator.ready, 'personal-token', { rotate: true });
    await expect(myApplications(id)).rejects.toMatchObject({ code: 'auth.needs_login', message: expect.stringContaining('paste a new access token') });
  });
});
