import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * Choosing the export's folder without typing it: the built renderer in Debian's Chromium, the
 * real browser host listing real folders of a temporary home (HOME is pointed there before the
 * host starts, so "Downloads" is known), and the real export writing into the folder chosen.
 */

let app: E2eApp;
let page: Page;
let home: string;
let downloads: string;
const previousHome = process.env.HOME;

const exportDialog = () => page.getByRole('dialog', { name: /^Export/ });
const folderDialog = () => page.getByRole('dialog', { name: 'Choose a folder' });
const folderNames = () => folderDialog().getByRole('option').allTextContents();

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  home = mkdtempSync(join(tmpdir(), 'dossier-export-home-'));
  downloads = join(home, 'Downloads');
  for (const name of ['Committee', 'Archive', '.hidden stuff']) mkdirSync(join(downloads, name), { recursive: true });
  process.env.HOME = home;
  app = await startE2eApp({ seed: { applications: 8, documents: 'none' } });
  page = app.page;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
  process.env.HOME = previousHome;
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('choosing the export folder', () => {
  it('browses to a folder by keyboard, puts it in the path and exports there', async () => {
    await page.locator('body').press('e');
    await exportDialog().waitFor();
    await exportDialog().getByText('Applicant table').click();
    await exportDialog().getByRole('radio', { name: /^This job/ }).check();
    const pathField = exportDialog().getByLabel('Save as');
    const jobTitle = (await callCore(app, 'jobs.list', {}))[0]?.title ?? '';
    const fileName = `Applicants - ${jobTitle}.csv`;
    expect(await pathField.inputValue()).toBe(join(downloads, fileName));

    await exportDialog().getByRole('button', { name: 'Choose folder…' }).click();
    await folderDialog().waitFor();
    // It opens in the folder the path names, sorted, without hidden folders; the list takes the keys.
    await expect.poll(folderNames).toEqual(['Archive', 'Committee']);
    expect(await folderDialog().locator('.folder-where .code').textContent()).toBe(downloads);
    expect(await page.locator(':focus').getAttribute('role')).toBe('listbox');
    await page.keyboard.press('ArrowDown');
    expect(await folderDialog().getByRole('option', { selected: true }).textContent()).toBe('Committee');
    await page.screenshot({ path: join(screenshotDir, 'export-folder-1440.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => folderDialog().locator('.folder-where .code').textContent()).toBe(join(downloads, 'Committee'));
    await folderDialog().getByText('No folders in here').waitFor();

    // Up goes back to Downloads; entering Committee again by mouse ends in the same place.
    await folderDialog().getByRole('button', { name: 'Up to the folder above' }).click();
    await expect.poll(folderNames).toEqual(['Archive', 'Committee']);
    await folderDialog().getByRole('option', { name: 'Committee' }).click();
    await expect.poll(() => folderDialog().locator('.folder-where .code').textContent()).toBe(join(downloads, 'Committee'));

    await folderDialog().getByRole('button', { name: 'Use this folder' }).click();
    await expect.poll(() => folderDialog().count()).toBe(0);
    const target = join(downloads, 'Committee', fileName);
    expect(await pathField.inputValue()).toBe(target);
    expect(await page.locator(':focus').textContent()).toBe('Choose folder…');

    await exportDialog().getByRole('button', { name: 'Export', exact: true }).click();
    await exportDialog().getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(await exportDialog().getByTestId('export-file').textContent()).toBe(target);
    const rows = parse(readFileSync(target), { columns: true, bom: true }) as Record<string, string>[];
    const job = await callCore(app, 'applicants.list', { filter: { jobId: app.seeded?.jobIds[0] ?? 0 } });
    expect(job.total).toBeGreaterThan(0);
    expect(rows.map((row) => Number(row['Application ID'])).sort()).toEqual(job.rows.map((row) => row.applicationId).sort());
    await exportDialog().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => exportDialog().count()).toBe(0);
  });

  it('closes on Escape without closing the export dialog, and fits a small window', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('button', { name: 'Export…' }).click();
    const pathField = exportDialog().getByLabel('Save as');
    // A path whose folder is gone opens where the core starts: Downloads.
    await pathField.fill(join(home, 'gone', 'letters.zip'));
    await exportDialog().getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(folderNames).toEqual(['Archive', 'Committee']);
    await page.screenshot({ path: join(screenshotDir, 'export-folder-1024.png') });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => folderDialog().count()).toBe(0);
    expect(await exportDialog().count()).toBe(1);
    expect(await pathField.inputValue()).toBe(join(home, 'gone', 'letters.zip'));
    await page.screenshot({ path: join(screenshotDir, 'export-folder-dialog-1024.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => exportDialog().count()).toBe(0);
  });
});
