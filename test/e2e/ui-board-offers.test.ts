import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startJobSpaceEmulator, type JobSpaceEmulator } from '../../electron/sandbox/jobspace/server.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * What a Job Space board running the 2017-05 API does not offer is shown on the account's sync card:
 * the real browser host in Debian's Chromium at 1024×700, against the emulator's `board=2017-05` profile.
 */

let app: E2eApp;
let page: Page;
let board: JobSpaceEmulator;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  board = await startJobSpaceEmulator({ scale: 'small', seed: 12, strictness: { board: '2017-05' } });
  app = await startE2eApp({ viewport: { width: 1024, height: 700 } });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await board?.close();
});

it('a 2017-05 board syncs its jobs, and the card says the posting options are not offered', async () => {
  const account = await callCore(app, 'accounts.add', {
    provider: 'jobspace',
    name: 'Northern board',
    baseUrl: board.ready.baseUrl,
    tokenUrl: board.ready.tokenUrl,
    clientId: board.ready.clientId,
    clientSecret: board.ready.clientSecret,
    grant: 'client_credentials',
    timeZone: 'Europe/London',
  });
  await callCore(app, 'auth.login', { id: account.id });
  await callCore(app, 'sync.start', { accountIds: [account.id], documents: false });
  const card = page.getByLabel('Account Northern board', { exact: true });
  await expect.poll(() => card.textContent(), { timeout: 20_000 }).toContain('Posting options: not offered by this board (2017-05 API)');
  await expect.poll(() => card.textContent()).toContain('Synced');
  await page.screenshot({ path: join(screenshotDir, 'board-offers-2017-05.png') });
});

it('the postings screen lists the 2017-05 board’s postings but offers no form and no delete, saying where to make changes', async () => {
  await page.getByRole('button', { name: /^Job postings/ }).click();
  await page.getByRole('note').filter({ hasText: '2017-05 API' }).waitFor();
  expect(await page.getByRole('button', { name: 'Delete posting' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Queue the posting' }).count()).toBe(0);
  expect(await page.getByRole('region', { name: 'Postings on the board' }).getByRole('listitem').count()).toBeGreaterThan(0);
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await page.screenshot({ path: join(screenshotDir, 'board-postings-2017-05.png') });
});
