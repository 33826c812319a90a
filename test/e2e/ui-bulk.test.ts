import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import type { ReviewStatus } from '../../shared/domain.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * The applicant table across jobs, its columns, the field filter, marking rows and bulk status
 * changes with their undo: the built renderer in Debian's Chromium against the real browser host
 * on a seeded SQLite profile.
 */

let app: E2eApp;
let page: Page;
/** Every `annotations.changeStatuses` request the page sends. */
const statusCalls: string[] = [];

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

const rows = () => page.locator('.grid-body [role="row"]');
const markedIds = async () =>
  (await page.locator('.grid-body [role="row"][data-marked="true"]').evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-application-id')))))
    .sort((a, b) => a - b);
const listedIds = () => rows().evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-application-id'))));

async function statusesOf(ids: readonly number[]): Promise<ReviewStatus[]> {
  const all = (await stored('applicants.list', { filter: {} })).rows;
  return ids.map((id) => all.find((row) => row.applicationId === id)?.status ?? 'new');
}

async function showAllApplicants(): Promise<void> {
  await page.getByRole('button', { name: /All applicants/ }).click();
  await expect.poll(() => page.locator('h1').first().textContent()).toBe('All applicants');
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 30, annotate: true, documents: 'none' } });
  page = app.page;
  page.on('request', (request) => {
    if (request.url().includes('/api/annotations.changeStatuses')) statusCalls.push(request.postData() ?? '');
  });
  await rows().first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('the applicant table across jobs', () => {
  it('shows each applicant’s job when the table lists every job, and not within one job', async () => {
    await expect.poll(() => page.getByRole('columnheader', { name: 'Job' }).count()).toBe(0);
    await showAllApplicants();
    const all = await stored('applicants.list', { filter: {} });
    await expect.poll(() => rows().count()).toBe(all.total);
    await page.getByRole('columnheader', { name: 'Job' }).waitFor();
    const jobs = await stored('jobs.list', {});
    const jobCells = await page.locator('.grid-body [role="row"]').evaluateAll((elements) =>
      elements.map((element) => [Number(element.getAttribute('data-application-id')), element.children[2]?.textContent ?? ''] as const));
    expect(jobCells.length).toBeGreaterThan(0);
    for (const [id, text] of jobCells) expect(text).toBe(all.rows.find((row) => row.applicationId === id)?.jobTitle);
    expect(new Set(jobCells.map(([, text]) => text)).size).toBe(jobs.length);
    await page.screenshot({ path: join(screenshotDir, 'bulk-all-jobs.png') });
  });

  it('hides and shows a column from the chooser, and remembers it over a reload', async () => {
    await page.getByRole('button', { name: 'Columns…' }).click();
    await page.getByRole('group', { name: 'Columns' }).getByLabel('Institution').uncheck();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Sort by Institution' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.reload();
    await rows().first().waitFor();
    await showAllApplicants();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Job' }).count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: 'Sort by Institution' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Columns…' }).click();
    await page.getByRole('group', { name: 'Columns' }).getByLabel('Institution').check();
    await page.getByRole('columnheader', { name: 'Sort by Institution' }).waitFor();
    await page.getByRole('button', { name: 'Columns…' }).click();
  });

  it('resizes a column by dragging its edge or with the arrow keys, remembers it over a reload, and a double click resets it', async () => {
    const header = page.getByRole('columnheader', { name: 'Sort by Institution' });
    const handle = page.getByRole('separator', { name: 'Resize the Institution column' });
    const before = (await header.boundingBox())?.width ?? 0;
    const edge = await handle.boundingBox();
    if (!edge) throw new Error('no resize handle');
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 60, edge.y + edge.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => Math.round(((await header.boundingBox())?.width ?? 0) - before)).toBeGreaterThanOrEqual(55);
    const dragged = (await header.boundingBox())?.width ?? 0;
    // Every row's cell follows its header.
    const cell = rows().first().locator('[role="gridcell"]').nth(await header.evaluate((element) => [...(element.parentElement?.children ?? [])].indexOf(element)));
    expect(Math.abs(((await cell.boundingBox())?.width ?? 0) - dragged)).toBeLessThan(2);
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Math.round(((await header.boundingBox())?.width ?? 0) - dragged)).toBe(16);
    await page.reload();
    await rows().first().waitFor();
    await showAllApplicants();
    await expect.poll(async () => Math.round((await header.boundingBox())?.width ?? 0)).toBe(Math.round(dragged + 16));
    await handle.dblclick();
    await expect.poll(async () => Math.abs(((await header.boundingBox())?.width ?? 0) - before)).toBeLessThan(2);
  });

  it('filters by a word of a field: “labor” lists exactly the applicants with a field containing that word', async () => {
    const all = (await stored('applicants.list', { filter: {} })).rows;
    const expected = all.filter((row) => row.fields.some((field) => /\blabor\b/i.test(field))).map((row) => row.applicationId).sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    await page.getByLabel('Field', { exact: true }).fill('labor');
    await expect.poll(async () => (await listedIds()).sort((a, b) => a - b)).toEqual(expected);
    await page.getByLabel('Field', { exact: true }).fill('');
    await expect.poll(() => rows().count()).toBe(all.length);
  });
});

describe('bulk work', () => {
  it('marks a range with shift-click and toggles one with ctrl-click', async () => {
    const ids = await listedIds();
    await rows().nth(1).click();
    await rows().nth(4).click({ modifiers: ['Shift'] });
    expect(await markedIds()).toEqual(ids.slice(1, 5).sort((a, b) => a - b));
    await rows().nth(2).click({ modifiers: ['Control'] });
    expect(await markedIds()).toEqual([ids[1], ids[3], ids[4]].map(Number).sort((a, b) => a - b));
    await page.getByRole('toolbar', { name: 'Selected applicants' }).getByText('3 selected').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'bulk-marked.png') });
    await page.keyboard.press('Escape');
    expect(await markedIds()).toEqual([]);
  });

  it('shortlists the marked applicants in one call, and z gives each its own previous status back', async () => {
    const ids = (await listedIds()).slice(0, 8);
    const mixed: ReviewStatus[] = ['new', 'reviewing', 'rejected', 'interview'];
    // Give them different statuses first, so the undo has something to tell apart.
    await stored('annotations.changeStatuses', { changes: ids.map((applicationId, index) => ({ applicationId, status: mixed[index % mixed.length] ?? 'new' })) });
    await page.reload();
    await rows().first().waitFor();
    await showAllApplicants();
    const before = await statusesOf(ids);
    expect(new Set(before).size).toBe(4);

    await page.locator(`.grid-body [data-application-id="${ids[0]}"]`).click();
    await page.locator(`.grid-body [data-application-id="${ids[7]}"]`).click({ modifiers: ['Shift'] });
    expect(await markedIds()).toEqual([...ids].sort((a, b) => a - b));
    statusCalls.length = 0;
    await page.getByRole('toolbar', { name: 'Selected applicants' }).getByRole('button', { name: 'Shortlist' }).click();
    await expect.poll(() => statusesOf(ids)).toEqual(ids.map(() => 'shortlisted'));
    expect(statusCalls).toHaveLength(1);
    await expect.poll(() => page.locator('.grid-body [data-marked="true"] .status').allTextContents()).toEqual(ids.map(() => 'shortlisted'));
    await page.getByRole('status').filter({ hasText: 'Shortlisted 8 applicants.' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'bulk-undo-toast.png') });

    await page.locator('body').press('z');
    await expect.poll(() => statusesOf(ids)).toEqual(before);
    expect(statusCalls).toHaveLength(2);
    const shown = await Promise.all(ids.map((id) => page.locator(`.grid-body [data-application-id="${id}"] .status`).textContent()));
    expect(shown).toEqual(before);
  });

  it('marks from the keyboard with space and shift+j, rejects them with x at once, and z undoes it', async () => {
    await page.keyboard.press('Escape');
    const ids = await listedIds();
    await rows().nth(10).click();
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+J');
    await page.keyboard.press('Shift+J');
    const chosen = ids.slice(10, 13);
    expect(await markedIds()).toEqual([...chosen].sort((a, b) => a - b));
    const before = await statusesOf(chosen);
    await page.keyboard.press('x');
    await expect.poll(() => statusesOf(chosen)).toEqual(chosen.map(() => 'rejected'));
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('z');
    await expect.poll(() => statusesOf(chosen)).toEqual(before);
  });

  it('offers the marked applicants as the export’s selection', async () => {
    await rows().nth(0).click();
    await rows().nth(2).click({ modifiers: ['Shift'] });
    await page.getByRole('toolbar', { name: 'Selected applicants' }).getByRole('button', { name: 'Export selected…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: 'The 3 selected applicants' }).isChecked()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'bulk-export.png') });
    await page.keyboard.press('Escape');
  });
});

describe('at the smallest window', () => {
  it('fits 1024×700 without a horizontal page scroll, with marks and the bulk bar', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await rows().nth(0).click();
    await rows().nth(3).click({ modifiers: ['Shift'] });
    await page.getByRole('toolbar', { name: 'Selected applicants' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'bulk-1024.png') });
    await page.keyboard.press('Escape');
  });
});
