import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * Scorecards from the keyboard: the built renderer in Debian's Chromium against the real browser
 * host on a seeded SQLite profile; what the page did is checked in the core's store.
 */

let app: E2eApp;
let page: Page;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

const dialog = () => page.getByRole('dialog');
const selectedRow = () => page.locator('.grid-body [role="row"][aria-selected="true"]');

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 20, documents: 'none' }, viewport: { width: 1024, height: 700 } });
  page = app.page;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('scorecards', () => {
  it('sets up a job’s criteria, scores the open applicant from the keyboard, and shows and sorts the committee score', async () => {
    const jobId = app.seeded?.jobIds[0] ?? 0;
    await page.locator('.grid-body [role="row"]').nth(3).click();
    const applicationId = Number(await selectedRow().getAttribute('data-application-id'));
    await page.keyboard.press('c');

    // A job without criteria offers a start, saved as it is.
    await dialog().getByRole('list', { name: 'Criteria' }).waitFor();
    expect(await dialog().getByLabel('Criterion 1 name').inputValue()).toBe('Research');
    await page.screenshot({ path: join(screenshotDir, 'scorecard-rubric-1024.png') });
    await dialog().getByRole('button', { name: 'Save criteria' }).click();
    await expect.poll(async () => (await stored('scorecards.rubric', { jobId })).criteria.map((criterion) => `${criterion.name}×${criterion.weight}`))
      .toEqual(['Research×2', 'Teaching×1', 'Fit×1', 'Letters×1']);

    // Digits score the chosen criterion and move on; ↓ skips one.
    await dialog().getByRole('grid', { name: 'Criteria' }).waitFor();
    await page.keyboard.press('4');
    await page.keyboard.press('2');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('5');
    await expect.poll(async () => (await stored('scorecards.get', { applicationId })).committeeScore).toBe((2 * 4 + 2 + 5) / 4);
    await expect.poll(() => dialog().getByTestId('committee-score').textContent()).toBe('3.8');
    expect(await dialog().getByRole('button', { name: 'Research 4' }).getAttribute('aria-pressed')).toBe('true');
    expect(await dialog().getByRole('button', { name: 'Fit 3' }).getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: join(screenshotDir, 'scorecard-1024.png') });

    // Scoring the last criterion leaves it chosen; 0 clears it.
    expect(await dialog().locator('[role="row"][aria-selected="true"] [role="rowheader"]').textContent()).toMatch(/^Letters/);
    await page.keyboard.press('0');
    await expect.poll(async () => (await stored('scorecards.get', { applicationId })).committeeScore).toBe((2 * 4 + 2) / 3);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);

    // The Score column, from the chooser, shows it; sorting puts the scored applicant first.
    await page.getByRole('button', { name: 'Columns…' }).click();
    await page.getByRole('group', { name: 'Columns' }).getByLabel('Score').check();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Sort by Score' }).click();
    await page.getByRole('button', { name: 'Sort by Score' }).click();
    const first = page.locator('.grid-body [role="row"]').first();
    await expect.poll(() => first.getAttribute('data-application-id')).toBe(String(applicationId));
    const scoreColumn = await page.locator('.grid-head [role="columnheader"]').evaluateAll((headers) => headers.findIndex((header) => header.textContent?.startsWith('Score')));
    await expect.poll(() => first.locator('[role="gridcell"]').nth(scoreColumn).textContent()).toBe('3.3');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'scorecard-column-1024.png') });
  });
});
