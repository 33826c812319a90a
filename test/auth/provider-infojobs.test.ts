import { beforeEach, describe, expect, it } from 'vitest';
import { infojobsEmulator } from '../../electron/sandbox/infojobs/index.ts';
import { control, useProviderSandbox } from './emulators.ts';

const sandbox = useProviderSandbox(() => infojobsEmulator.start({ scale: 'small', seed: 5 }), { withBrowser: true });
let accountId: number;

beforeEach(async () => {
  accountId = await sandbox.account({ provider: 'infojobs', name: 'InfoJobs' });
});

function signInWithBrowser(decision: 'allow' | 'deny' = 'allow'): Promise<{ text: string; outcome: Promise<unknown> }> {
  return sandbox.signInWithBrowser(accountId, decision);
}

function myApplications(): Promise<number> {
  return sandbox.statusOf(accountId, { method: 'GET', url: 'api/5/application', query: { pageSize: '10' } });
}

describe('InfoJobs sandbox', () => {
  it('authorization code through the consent page in Chromium (comma-separated scopes), then Basic + Bearer on every call', async () => {
    const { text, outcome } = await signInWithBrowser();
    expect(text).toContain('Signed in to InfoJobs');
    await outcome;
    const authorize = new URL(sandbox.core.opened[0] ?? '');
    expect(authorize.pathname).toBe('/api/oauth/user-authorize/index.xhtml');
    expect(authorize.searchParams.get('scope')).toBe('MY_APPLICATIONS,CANDIDATE_PROFILE_WITH_EMAIL,CV');
    const record = await sandbox.core.core.services.accounts.readTokens(accountId);
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(43_199_000);
    expect(await myApplications()).toBe(200);
  });

  it('a denied consent is auth.access_denied, on the page and in the app', async () => {
    const { text, outcome } = await signInWithBrowser('deny');
    expect(text).toContain('Access was not granted');
    await expect(outcome).rejects.toMatchObject({ code: 'auth.access_denied' });
  });

  it('expiry mid-request: refreshes with rotation and retries once', async () => {
    await control(sandbox.emulator.ready, 'faults', { tokenLifetimeSeconds: 600 });
    await (await signInWithBrowser()).outcome;
    const before = await sandbox.core.core.services.accounts.readTokens(accountId);
    await control(sandbox.emulator.ready, 'advance-clock', { seconds: 601 });
    expect(await myApplications()).toBe(200);
    const after = await sandbox.core.core.services.accounts.readTokens(accountId);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
  });

  it('reuse of a rotated refresh token revokes the grant: the account must sign in again', async () => {
    await (await signInWithBrowser()).outcome;
    const original = await sandbox.core.core.services.accounts.readTokens(accountId);
    await sandbox.core.core.services.accounts.writeTokens(accountId, { ...(original ?? expect.fail('no tokens')), expiresAt: new Date(0).toISOString() });
    expect(await myApplications()).toBe(200);
    await sandbox.core.core.services.accounts.writeTokens(accountId, { ...(original ?? expect.fail('no tokens')), expiresAt: new Date(0).toISOString() });
    await expect(myApplications()).rejects.toMatchObject({ code: 'auth.revoked' });
    expect(sandbox.core.core.services.accounts.get(accountId).state).toBe('signed_out');
  });
});
