import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, getAccount } from '../../electron/core/accounts/store.ts';
import { signIn } from '../../electron/core/auth/login.ts';
import { openSession } from '../../electron/core/auth/session.ts';
import { readTokens, writeTokens } from '../../electron/core/auth/tokens.ts';
import { infojobsEmulator } from '../../electron/core/providers/infojobs/emulator/index.ts';
import type { StartedEmulator } from '../../electron/core/sandbox/registry.ts';
import { consentInBrowser, control } from './emulators.ts';
import { launchBrowser, testCore, type TestCore } from './helpers.ts';

let browser: Browser;
let core: TestCore;
let infojobs: StartedEmulator;
let accountId: number;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());
beforeEach(async () => {
  core = await testCore();
  infojobs = await infojobsEmulator.start({ scale: 'small', seed: 5 });
  const { ready } = infojobs;
  accountId = (await addAccount(core.deps, { provider: 'infojobs', name: 'InfoJobs', baseUrl: ready.baseUrl, clientId: ready.clientId, clientSecret: ready.clientSecret })).id;
});
afterEach(async () => {
  core.close();
  await infojobs.close();
});

async function signInWithBrowser(decision: 'allow' | 'deny' = 'allow'): Promise<{ text: string; outcome: Promise<unknown> }> {
  const opened = core.nextOpened();
  const outcome = signIn(core.deps, accountId);
  outcome.catch(() => undefined);
  const { text } = await consentInBrowser(browser, await opened, decision);
  return { text, outcome };
}

async function myApplications(): Promise<number> {
  const session = await openSession(core.deps, accountId);
  const response = await session.request({ method: 'GET', url: 'api/5/application', query: { pageSize: '10' } });
  await response.body.dump();
  return response.statusCode;
}

describe('InfoJobs sandbox', () => {
  it('authorization code through the consent page in Chromium (comma-separated scopes), then Basic + Bearer on every call', async () => {
    const { text, outcome } = await signInWithBrowser();
    expect(text).toContain('Signed in to InfoJobs');
    await outcome;
    const authorize = new URL(core.opened[0] ?? '');
    expect(authorize.pathname).toBe('/api/oauth/user-authorize/index.xhtml');
    expect(authorize.searchParams.get('scope')).toBe('MY_APPLICATIONS,CANDIDATE_PROFILE_WITH_EMAIL,CV');
    const record = await readTokens(core.vault, accountId);
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(43_199_000);
    expect(await myApplications()).toBe(200);
  });

  it('a denied consent is auth.access_denied, on the page and in the app', async () => {
    const { text, outcome } = await signInWithBrowser('deny');
    expect(text).toContain('Access was not granted');
    await expect(outcome).rejects.toMatchObject({ code: 'auth.access_denied' });
  });

  it('expiry mid-request: refreshes with rotation and retries once', async () => {
    await control(infojobs.ready, 'faults', { tokenLifetimeSeconds: 600 });
    await (await signInWithBrowser()).outcome;
    const before = await readTokens(core.vault, accountId);
    await control(infojobs.ready, 'advance-clock', { seconds: 601 });
    expect(await myApplications()).toBe(200);
    const after = await readTokens(core.vault, accountId);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
  });

  it('reuse of a rotated refresh token revokes the grant: the account must sign in again', async () => {
    await (await signInWithBrowser()).outcome;
    const original = await readTokens(core.vault, accountId);
    await writeTokens(core.vault, accountId, { ...(original ?? expect.fail('no tokens')), expiresAt: new Date(0).toISOString() });
    expect(await myApplications()).toBe(200);
    await writeTokens(core.vault, accountId, { ...(original ?? expect.fail('no tokens')), expiresAt: new Date(0).toISOString() });
    await expect(myApplications()).rejects.toMatchObject({ code: 'auth.revoked' });
    expect(getAccount(core.deps.context.db, accountId).state).toBe('signed_out');
  });
});
