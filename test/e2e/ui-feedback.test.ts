import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import { ejmEmulator } from '../../electron/sandbox/ejm/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { control } from '../auth/emulators.ts';
import { callCore, consentInSandbox, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * What a reviewer is told along the way, end to end: the real browser host over an empty profile in
 * Debian's Chromium at 1024×700, against the CareerPlug and EconJobMarket emulators with their
 * fault switches (503 storms, latency). The sign-in address to copy, the first sync starting by
 * itself, the populated first view, a packet whose documents arrive while it is open, a failing
 * provider named as the user named it with the in-app fix, five failing accounts beside a job list
 * that stays in view, and the export's warnings.
 */

let app: E2eApp;
let page: Page;
let careerplug: StartedEmulator;
let ejm: StartedEmulator;
/** The user's home for this file: the export's default Downloads folder is looked for (and made) under it. */
const home = mkdtempSync(join(tmpdir(), 'dossier-feedback-home-'));
const originalHome = process.env.HOME;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `feedback-${name}.png`) });
}

const card = (name: string): Locator => page.getByLabel(`Account ${name}`, { exact: true });
const currentJob = (): Locator => page.locator('.side-scroll button[aria-current="true"]');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function addEjmAccount(name: string): Promise<number> {
  const account = await stored('accounts.add', {
    provider: 'ejm',
    name,
    baseUrl: ejm.ready.baseUrl,
    tokenUrl: ejm.ready.tokenUrl,
    clientId: ejm.ready.clientId,
    clientSecret: ejm.ready.clientSecret,
    grant: 'client_credentials',
    timeZone: 'America/New_York',
  });
  await stored('auth.login', { id: account.id });
  return account.id;
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  process.env.HOME = home;
  [careerplug, ejm] = await Promise.all([careerplugEmulator.start({ scale: 'small', seed: 11 }), ejmEmulator.start({ scale: 'small', seed: 11 })]);
  // The real backoff with jitter, a few seconds long: long enough to see "retrying", short enough to give up within a test.
  app = await startE2eApp({ viewport: { width: 1024, height: 700 }, retry: { maxAttempts: 4, baseDelayMs: 1_500, maxDelayMs: 3_000 } });
  page = app.page;
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url()).origin });
});

afterAll(async () => {
  await app?.close();
  await careerplug?.close();
  await ejm?.close();
  process.env.HOME = originalHome;
  rmSync(home, { recursive: true, force: true });
});

describe('signing in and the first sync', () => {
  it('shows the address the sign-in waits on, to copy or open again, and starts the first sync once signed in', async () => {
    await page.getByRole('button', { name: /^CareerPlug/ }).click();
    const form = page.getByRole('form', { name: 'Connect CareerPlug' });
    await form.getByLabel('Account name').fill('Hiring at Acme');
    await form.getByLabel('How to connect').selectOption('authorization_code');
    await form.getByLabel(/Server address/).fill(careerplug.ready.baseUrl);
    await form.getByLabel('Client id', { exact: true }).fill(careerplug.ready.clientId);
    await form.getByLabel('Client secret').fill(careerplug.ready.clientSecret);
    await form.getByRole('button', { name: 'Add the account' }).click();
    const opened = app.nextOpenedUrl();
    await form.getByRole('button', { name: 'I registered it: sign in with the browser' }).click();
    const authorizeUrl = await opened;

    const waiting = form.getByRole('status', { name: 'Signing in to CareerPlug' });
    const address = waiting.getByLabel('No browser window? Open this address:');
    await expect.poll(() => address.inputValue()).toBe(authorizeUrl);
    expect(await waiting.getByRole('link', { name: 'Open again' }).getAttribute('href')).toBe(authorizeUrl);
    await waiting.getByRole('button', { name: 'Copy' }).click();
    await waiting.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(authorizeUrl);
    await waiting.getByRole('button', { name: 'Cancel' }).waitFor();
    await shoot('sign-in-address');

    // Latency keeps the first sync on screen long enough to see it start with no click.
    await control(careerplug.ready, 'faults', { latencyMs: 100 });
    await consentInSandbox(app, authorizeUrl);
    await page.getByRole('progressbar', { name: 'Sync progress for Hiring at Acme' }).waitFor();
    await expect.poll(() => card('Hiring at Acme').textContent(), { timeout: 90_000 }).toContain('Synced');
    await control(careerplug.ready, 'faults', { latencyMs: 0 });
  }, 120_000);

  it('opens on the applicants the first sync brought, every job at once, never an empty posting', async () => {
    const jobs = (await stored('jobs.list', {})).filter((job) => job.applicationCount > 0);
    expect(jobs.length).toBeGreaterThan(1);
    const total = jobs.reduce((sum, job) => sum + job.applicationCount, 0);
    await expect.poll(() => currentJob().textContent()).toBe(`All applicants${total}`);
    await expect.poll(() => page.locator('.toolbar .title-row').textContent()).toContain(`All applicants${total} applicants`);
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBeGreaterThan(0);
    await shoot('first-view');
  });

  it('reopens where the reviewer was after a reload', async () => {
    const jobs = (await stored('jobs.list', {})).filter((job) => job.applicationCount > 0).sort((a, b) => a.applicationCount - b.applicationCount);
    const quieter = jobs[0];
    if (!quieter) throw new Error('the sandbox has no job with applicants');
    await page.locator('.side-scroll').getByRole('button', { name: new RegExp(`^${escape(quieter.title)}`) }).first().click();
    await expect.poll(() => currentJob().getAttribute('title')).toBe(quieter.title);
    await page.reload();
    await expect.poll(() => currentJob().getAttribute('title')).toBe(quieter.title);
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBe(quieter.applicationCount);
    // A remembered place that is gone (the job was removed) gives way to the busiest job (the first of equals).
    const busiest = jobs.reduce((best, job) => (job.applicationCount > best.applicationCount ? job : best));
    await page.evaluate("localStorage.setItem('dossier.lastJob', '987654')");
    await page.reload();
    await expect.poll(() => currentJob().getAttribute('title')).toBe(busiest.title);
    await expect.poll(() => page.locator('.toolbar .title-row').textContent()).toContain(`${busiest.applicationCount} applicants`);
  });

  it('syncs again by itself after signing in again from the account card', async () => {
    const [account] = await stored('accounts.list', {});
    if (!account) throw new Error('no account');
    const before = account.lastSyncedAt;
    await stored('auth.logout', { id: account.id });
    const opened = app.nextOpenedUrl();
    await card('Hiring at Acme').getByRole('button', { name: 'Sign in' }).click();
    const authorizeUrl = await opened;
    // The card's own waiting state offers the address too.
    await expect.poll(() => card('Hiring at Acme').getByRole('textbox').inputValue()).toBe(authorizeUrl);
    await shoot('card-sign-in');
    await consentInSandbox(app, authorizeUrl);
    await expect.poll(async () => (await stored('accounts.list', {}))[0]?.lastSyncedAt, { timeout: 60_000 }).not.toBe(before);
    await expect.poll(() => card('Hiring at Acme').textContent(), { timeout: 60_000 }).toContain('Synced');
  }, 90_000);
});

describe('a packet open while its documents download', () => {
  it('turns its documents available as they arrive, without a reload', async () => {
    const accountId = await addEjmAccount('Econ search');
    // Everything but the documents: the packets are there, their files still owed.
    await stored('sync.start', { accountIds: [accountId], documents: false });
    await expect.poll(() => card('Econ search').textContent(), { timeout: 60_000 }).toContain('Synced');
    const job = (await stored('jobs.list', { accountId })).find((candidate) => candidate.applicationCount > 0);
    if (!job) throw new Error('the EJM sandbox has no job with applicants');
    await page.locator('.side-scroll').getByRole('button', { name: new RegExp(`^${escape(job.title)}`) }).first().click();
    const row = page.locator('.grid-body [role="row"]').first();
    await row.click();
    const documents = page.getByRole('region', { name: 'Documents' });
    const list = documents.getByRole('button', { name: /Documents \(\d+\)/ });
    if ((await list.getAttribute('aria-expanded')) !== 'true') await list.click();
    await expect.poll(() => documents.getByText('not downloaded').count()).toBeGreaterThan(0);

    await control(ejm.ready, 'faults', { latencyMs: 250 });
    await card('Econ search').getByRole('button', { name: 'Sync Econ search now' }).click();
    await expect.poll(() => documents.getByText('not downloaded').count(), { timeout: 90_000 }).toBe(0);
    await control(ejm.ready, 'faults', { latencyMs: 0 });
    await expect.poll(() => card('Econ search').textContent(), { timeout: 60_000 }).toContain('Synced');
    await shoot('documents-arrived');
  }, 150_000);
});

describe('a provider that is down', () => {
  it('says it is retrying and until when, then names the account with plain words and the fix, and Sync is usable at once', async () => {
    await control(ejm.ready, 'faults', { errorStorm: 10_000, errorStatus: 503 });
    const econ = card('Econ search');
    await econ.getByRole('button', { name: 'Sync Econ search now' }).click();
    await expect.poll(() => econ.textContent(), { timeout: 20_000 }).toMatch(/The provider is not answering; retrying at \d/);
    await shoot('retrying');
    const problem = econ.getByRole('alert');
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toContain('The provider is not answering');
    await problem.getByText('What happened').click();
    const story = (await problem.textContent()) ?? '';
    expect(story).toContain('"Econ search"');
    expect(story).not.toMatch(/\bejm\b|dossier /);
    expect(await econ.getByRole('button', { name: 'Sync Econ search now' }).isEnabled()).toBe(true);
    // "Retry later" says when, and can be taken back.
    await problem.getByRole('button', { name: 'Retry in 5 min' }).click();
    await problem.getByText(/^Retrying at \d/).waitFor();
    await problem.getByRole('button', { name: 'Don’t' }).click();
    await problem.getByRole('button', { name: 'Retry in 5 min' }).waitFor();
  }, 60_000);

  it('keeps the job list in view with five failing accounts at 1024×700', async () => {
    for (const name of ['Econ search 2', 'Econ search 3', 'Econ search 4', 'Econ search 5']) await addEjmAccount(name);
    await page.reload();
    await page.getByRole('button', { name: 'Sync all' }).click();
    await expect.poll(() => page.locator('.sync-card [role="alert"]').count(), { timeout: 60_000 }).toBe(5);
    await page.getByRole('button', { name: /Accounts · 5 to fix/ }).waitFor();
    // Ended means ended: no request left retrying brings a progress bar back (longer than the largest wait between attempts).
    await page.waitForTimeout(3_500);
    expect(await page.locator('.sync-card [role="progressbar"]').count()).toBe(0);
    expect(await page.locator('.sync-card [role="alert"]').count()).toBe(5);
    expect(await page.locator('.toast.error').count()).toBe(1);
    const list = page.locator('.side-scroll');
    const box = await list.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(180);
    const firstJob = list.locator('.side-list button').first();
    const jobBox = await firstJob.boundingBox();
    expect(jobBox && box && jobBox.y + jobBox.height <= box.y + box.height).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shoot('five-failing-1024');
    // Folded away, the cards leave the whole sidebar to the jobs.
    await page.getByRole('button', { name: /Accounts · 5 to fix/ }).click();
    expect(await page.locator('.sync-card').count()).toBe(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: /Accounts · 5 to fix/ }).click();
    await shoot('five-failing-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await control(ejm.ready, 'reset-faults');
  }, 90_000);
});

describe('a pasted token that stopped working', () => {
  it('offers Sign in, which asks for a new token in the account’s settings and syncs once it is saved', async () => {
    const { jymobEmulator } = await import('../../electron/sandbox/jymob/index.ts');
    // JyMob's ready line also carries the app user's personal token (electron/sandbox/jymob/README.md).
    const jymob = (await jymobEmulator.start({ scale: 'small', seed: 11 })) as StartedEmulator & { ready: { personalAccessToken?: string } };
    try {
      const personal = jymob.ready.personalAccessToken ?? expect.fail('no personal token in the ready line');
      const account = await stored('accounts.add', { provider: 'jymob', name: 'Seasonal hires', baseUrl: jymob.ready.baseUrl, grant: 'token' });
      await stored('auth.login', { id: account.id, token: personal });
      const rotated = ((await control(jymob.ready, 'personal-token', { rotate: true })) as { accessToken: string }).accessToken;
      await page.reload();
      const jymobCard = card('Seasonal hires');
      await jymobCard.getByRole('button', { name: 'Sync Seasonal hires now' }).click();
      const problem = jymobCard.getByRole('alert');
      await problem.getByText('Sign-in needed').waitFor({ timeout: 30_000 });
      await problem.getByText('What happened').click();
      expect(await problem.textContent()).not.toMatch(/dossier |DOSSIER_/);
      await problem.getByRole('button', { name: 'Sign in' }).click();
      const editor = page.getByRole('form', { name: 'Edit Seasonal hires' });
      await editor.getByLabel('New access token').fill(rotated);
      await shoot('edit-account');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => jymobCard.textContent(), { timeout: 60_000 }).toContain('Synced');
      await expect.poll(() => jymobCard.getByRole('alert').count()).toBe(0);
    } finally {
      await jymob.close();
    }
  }, 90_000);
});

describe('exporting', () => {
  it('warns before exporting an empty shortlist, and makes the missing Downloads folder for the default path', async () => {
    await page.locator('.side-scroll').getByRole('button', { name: /^All applicants/ }).click();
    await page.getByRole('button', { name: 'Export…' }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Export/ });
    await dialog.getByLabel('The shortlist').check();
    await dialog.getByText('The shortlist is empty — nothing to export').waitFor();
    expect(await dialog.getByRole('button', { name: 'Export', exact: true }).isDisabled()).toBe(true);
    await shoot('empty-shortlist');

    const downloads = join(home, 'Downloads');
    expect(existsSync(downloads)).toBe(false);
    await dialog.getByLabel('Every job').check();
    await dialog.getByLabel(/^Applicant table/).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const file = await page.getByTestId('export-file').textContent();
    expect(file?.startsWith(downloads)).toBe(true);
    expect(existsSync(file ?? '')).toBe(true);
    await page.getByRole('button', { name: 'Done' }).click();
  }, 60_000);
});
