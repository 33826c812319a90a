import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, getAccount } from '../../electron/core/accounts/store.ts';
import { signIn } from '../../electron/core/auth/login.ts';
import { openSession } from '../../electron/core/auth/session.ts';
import { readTokens } from '../../electron/core/auth/tokens.ts';
import { jymobEmulator } from '../../electron/core/providers/jymob/emulator/index.ts';
import type { StartedEmulator } from '../../electron/core/sandbox/registry.ts';
import { consentInBrowser, control } from './emulators.ts';
import { launchBrowser, testCore, type TestCore } from './helpers.ts';

let browser: Browser;
let core: TestCore;
let jymob: StartedEmulator & { ready: { personalAccessToken?: string } };

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());
beforeEach(async () => {
  core = await testCore();
  jymob = await jymobEmulator.start({ scale: 'small', seed: 13 });
});
afterEach(async () => {
  core.close();
  await jymob.close();
});

async function account(grant: 'authorization_code' | 'token'): Promise<number> {
  const { ready } = jymob;
  return (await addAccount(core.deps, { provider: 'jymob', name: `JyMob ${grant}`, baseUrl: ready.baseUrl, clientId: ready.clientId, clientSecret: ready.clientSecret, grant })).id;
}

async function myApplications(accountId: number): Promise<number> {
  const session = await openSession(core.deps, accountId);
  const response = await session.request({ method: 'GET', url: 'job_applications.json' });
  await response.body.dump();
  return response.statusCode;
}

async function signInWithBrowser(accountId: number): Promise<string> {
  const opened = core.nextOpened();
  const signingIn = signIn(core.deps, accountId);
  const { text } = await consentInBrowser(browser, await opened);
  await signingIn;
  return text;
}

describe('JyMob sandbox', () => {
  it('authorization code through the consent page in Chromium; access_token travels as a parameter', async () => {
    const id = await account('authorization_code');
    expect(await signInWithBrowser(id)).toContain('Signed in to JyMob');
    const record = await readTokens(core.vault, id);
    expect(record?.refreshToken).toBeUndefined();
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(2_592_000_000);
    expect(await myApplications(id)).toBe(200);
  });

  it('expiry mid-request without a refresh token (none is documented): the account asks to sign in again', async () => {
    await control(jymob.ready, 'faults', { tokenLifetimeSeconds: 600 });
    const id = await account('authorization_code');
    await signInWithBrowser(id);
    await control(jymob.ready, 'advance-clock', { seconds: 601 });
    await expect(myApplications(id)).rejects.toMatchObject({ code: 'auth.needs_login', message: expect.stringContaining('sign in again') });
    expect(getAccount(core.deps.context.db, id).state).toBe('signed_out');
  });

  it('the app user\'s own pasted token works; once revoked, the account asks for a new one', async () => {
    const id = await account('token');
    await signIn(core.deps, id, { token: jymob.ready.personalAccessToken ?? expect.fail('no personal token in the ready line') });
    expect(await myApplications(id)).toBe(200);
    await control(jymob.ready, 'personal-token', { rotate: true });
    await expect(myApplications(id)).rejects.toMatchObject({ code: 'auth.needs_login', message: expect.stringContaining('paste a new access token') });
  });
});
