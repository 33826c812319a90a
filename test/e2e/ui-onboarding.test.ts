import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import { ejmEmulator } from '../../electron/sandbox/ejm/index.ts';
import { jobspaceEmulator } from '../../electron/sandbox/jobspace/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { control } from '../auth/emulators.ts';
import { callCore, consentInSandbox, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * First run end to end: an empty data directory, the onboarding screen, accounts added through the
 * UI against the provider sandboxes (CareerPlug through its consent page in Chromium, EconJobMarket
 * with client credentials), sync with its progress on screen, then the sandbox stopped and every
 * synced document still readable.
 */

let app: E2eApp;
let page: Page;
let careerplug: StartedEmulator;
let ejm: StartedEmulator;
let jobspace: StartedEmulator;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  [careerplug, ejm, jobspace] = await Promise.all([
    careerplugEmulator.start({ scale: 'small', seed: 5 }),
    ejmEmulator.start({ scale: 'small', seed: 5 }),
    jobspaceEmulator.start({ scale: 'small', seed: 5 }),
  ]);
  app = await startE2eApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await careerplug?.close();
  await ejm?.close();
  await jobspace?.close();
});

describe('onboarding against the provider sandboxes', () => {
  it('shows each provider with what it needs and where to find it', async () => {
    await page.getByRole('heading', { name: 'Welcome to Dossier' }).waitFor();
    await page.getByRole('button', { name: 'Try the demo workspace' }).waitFor();
    await page.getByRole('button', { name: /^EconJobMarket/ }).click();
    await expect.poll(() => page.getByRole('note').textContent()).toContain('IP addresses');
    await page.getByRole('button', { name: /^CareerPlug/ }).click();
    await expect.poll(() => page.getByRole('note').textContent()).toContain('global_partner_api');
    await shoot('onboarding');
  });

  it('signs in to CareerPlug through its consent page, with a waiting state that can be cancelled, and syncs with visible progress', async () => {
    const form = page.getByRole('form', { name: 'Connect CareerPlug' });
    await form.getByLabel('Account name').fill('CareerPlug sandbox');
    await form.getByLabel('How to connect').selectOption('authorization_code');
    await form.getByLabel(/Server address/).fill(careerplug.ready.baseUrl);
    await form.getByLabel('Client id', { exact: true }).fill(careerplug.ready.clientId);
    await form.getByLabel('Client secret').fill(careerplug.ready.clientSecret);

    // CareerPlug registers the redirect URI: the form adds the account and shows the exact URI to register first.
    await form.getByRole('button', { name: 'Add the account' }).click();
    const redirectUri = form.getByLabel(/^Register this redirect URI in the callback URL of your CareerPlug API application/);
    await expect.poll(() => redirectUri.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    await shoot('redirect-uri');

    // First attempt: the user changes their mind while the browser waits.
    let opened = app.nextOpenedUrl();
    await form.getByRole('button', { name: 'I registered it: sign in with the browser' }).click();
    expect(new URL(await opened).searchParams.get('redirect_uri')).toBe(await redirectUri.inputValue());
    await form.getByRole('status').filter({ hasText: 'Waiting for you to sign in to CareerPlug' }).waitFor();
    await shoot('signing-in');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.getByRole('button', { name: 'I registered it: sign in with the browser' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    // Second attempt, slowed down so the sync's progress is on screen long enough to see.
    await control(careerplug.ready, 'faults', { latencyMs: 150 });
    opened = app.nextOpenedUrl();
    await form.getByRole('button', { name: 'I registered it: sign in with the browser' }).click();
    await consentInSandbox(app, await opened);
    const progress = page.getByRole('progressbar', { name: 'Sync progress for CareerPlug sandbox' });
    await progress.waitFor();
    await shoot('sync-progress');
    await progress.waitFor({ state: 'detached', timeout: 60_000 });
    await control(careerplug.ready, 'faults', { latencyMs: 0 });
    await expect.poll(() => page.getByLabel('Account CareerPlug sandbox').textContent()).toContain('Synced');

    const jobs = await stored('jobs.list', {});
    expect(jobs.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBeGreaterThan(0);
  });

  it('moves the CareerPlug account to another redirect port from Settings, where the new URI to register shows', async () => {
    const before = (await stored('accounts.list', {})).find((account) => account.name === 'CareerPlug sandbox');
    expect(before?.redirectPort).toEqual(expect.any(Number));
    const port = (before?.redirectPort ?? 40000) === 48123 ? 48124 : 48123;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('row').filter({ hasText: 'CareerPlug sandbox' }).getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('form', { name: 'Edit CareerPlug sandbox' });
    const field = editor.getByLabel('Redirect port');
    expect(await field.inputValue()).toBe(String(before?.redirectPort));
    await field.fill(String(port));
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    const after = (await stored('accounts.list', {})).find((account) => account.name === 'CareerPlug sandbox');
    expect(after).toMatchObject({ redirectPort: port, redirectUri: `http://127.0.0.1:${port}/callback` });
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'CareerPlug sandbox' }).getByLabel('Redirect URI:').inputValue()).toBe(`http://127.0.0.1:${port}/callback`);
    await shoot('settings-redirect-port');
    await page.getByRole('button', { name: /^Applicants/ }).click();
  });

  it('adds EconJobMarket with client credentials, then reads every synced document with the sandbox stopped', async () => {
    await page.getByRole('button', { name: 'Add account', exact: true }).first().click();
    await page.getByRole('button', { name: /^EconJobMarket/ }).click();
    const form = page.getByRole('form', { name: 'Connect EconJobMarket' });
    await form.getByLabel('Account name').fill('EJM sandbox');
    await form.getByLabel(/Server address/).fill(ejm.ready.baseUrl);
    await form.getByLabel('Client id', { exact: true }).fill(ejm.ready.clientId);
    await form.getByLabel('Client secret').fill(ejm.ready.clientSecret);
    await form.getByRole('button', { name: 'Connect' }).click();
    const card = page.getByLabel('Account EJM sandbox');
    await card.waitFor();
    await expect.poll(() => card.textContent(), { timeout: 90_000 }).toContain('Synced');

    await ejm.close();
    const accounts = await stored('accounts.list', {});
    const ejmAccount = accounts.find((account) => account.name === 'EJM sandbox');
    const ejmJob = (await stored('jobs.list', { accountId: ejmAccount?.id })).find((job) => job.applicationCount > 0);
    expect(ejmJob).toBeDefined();
    await page.getByRole('button', { name: new RegExp(`^${ejmJob?.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
    const row = page.locator('.grid-body [role="row"]').first();
    await row.click();
    const applicationId = Number(await row.getAttribute('data-application-id'));
    const packet = await stored('applicants.packet', { applicationId });
    const readable = packet.documents.filter((document) => document.available);
    expect(readable.length).toBeGreaterThan(0);
    for (const document of readable) {
      await page.getByRole('region', { name: 'Documents' }).getByRole('button', { name: new RegExp(document.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().click();
      await page.getByRole('document', { name: document.title }).locator('canvas').first().waitFor();
    }
    await shoot('offline-document');
  });

  it('writes a Job Space posting with its lookups, queues it in the outbox and shows it sent after a sync', async () => {
    await page.getByRole('button', { name: 'Add account', exact: true }).first().click();
    await page.getByRole('button', { name: /^The Job Space/ }).click();
    const form = page.getByRole('form', { name: 'Connect The Job Space' });
    await form.getByLabel('Account name').fill('Job board');
    await form.getByLabel(/job board’s address/).fill(jobspace.ready.baseUrl);
    await form.getByLabel('Client id', { exact: true }).fill(jobspace.ready.clientId);
    await form.getByLabel('Client secret').fill(jobspace.ready.clientSecret);
    await form.getByRole('button', { name: 'Connect' }).click();
    const card = page.getByLabel('Account Job board');
    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toContain('Synced');

    // Written with the board unreachable, as on a plane: the posting must wait in the outbox.
    const port = Number(new URL(jobspace.ready.baseUrl).port);
    await jobspace.close();
    await page.getByRole('button', { name: 'Job postings', exact: true }).click();
    const posting = page.getByRole('form', { name: 'Posting' });
    await posting.getByLabel('Title').fill('Lecturer in Econometrics');
    await posting.getByLabel('Reference').fill('ECON-2027-014');
    await posting.getByLabel('Description').fill('A three-year lectureship in econometrics, teaching the MSc core course.');
    for (const label of ['Job type', 'Category', 'Country']) {
      const select = posting.getByLabel(label);
      await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
      await select.selectOption({ index: 1 });
    }
    await posting.getByRole('button', { name: 'Queue the posting' }).click();
    const outbox = page.getByRole('region', { name: 'Outbox' });
    const queued = outbox.getByRole('row', { name: /Lecturer in Econometrics/ });
    await expect.poll(() => queued.locator('.outbox-state').textContent()).toMatch(/^(pending|sending|failed)$/);
    await shoot('postings');
    expect(await stored('outbox.list', {})).toContainEqual(expect.objectContaining({ summary: expect.stringContaining('Lecturer in Econometrics'), state: expect.stringMatching(/^(pending|sending|failed)$/) }));

    jobspace = await jobspaceEmulator.start({ scale: 'small', seed: 5, port });
    await card.getByRole('button', { name: 'Sync Job board now' }).click();
    await expect.poll(() => queued.locator('.outbox-state').textContent(), { timeout: 60_000 }).toBe('sent');
    const items = await stored('outbox.list', {});
    expect(items.find((item) => item.summary.includes('Lecturer in Econometrics'))).toMatchObject({ state: 'sent', remoteId: expect.any(String) });
  });
});

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}
