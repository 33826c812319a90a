import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * The search's own list of results: the built renderer in Debian's Chromium against the real
 * browser host on a seeded SQLite profile whose letters are real PDFs with extracted text.
 */

let app: E2eApp;
let page: Page;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

const results = () => page.getByRole('listbox', { name: 'Matches' }).getByRole('option');
const searchBox = () => page.locator('#applicant-search');

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 24, documents: 'unique' } });
  page = app.page;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('search results as their own list', () => {
  it('lists a letter writer’s letter with its writer and the marked words, ↓ Enter opens it in the packet, Esc returns to the table', async () => {
    // A letter with a file, of an applicant further down the first job's list (so opening it moves the selection).
    const rows = (await stored('applicants.list', { filter: { jobId: app.seeded?.jobIds[0] ?? 0 } })).rows;
    let target: { applicationId: number; name: string; writer: string; documentId: number; documentTitle: string } | undefined;
    for (const row of rows.slice(3)) {
      const packet = await stored('applicants.packet', { applicationId: row.applicationId });
      const letter = packet.letters.find((candidate) => candidate.documentId !== null);
      const document = packet.documents.find((candidate) => candidate.id === letter?.documentId && candidate.available);
      if (letter && document) {
        target = { applicationId: row.applicationId, name: row.name, writer: letter.writerName, documentId: document.id, documentTitle: document.title };
        break;
      }
    }
    if (!target) throw new Error('the seeded profile has no letter with a file');
    const surname = target.writer.split(' ').at(-1) ?? '';

    await page.locator('body').press('/');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('applicant-search');
    await page.keyboard.type(surname, { delay: 20 });

    // The list takes the table's place; the letter's hit names the applicant, the writer and the words.
    const letterHit = results().filter({ hasText: `Letter from ${target.writer}` }).filter({ hasText: target.name }).first();
    await letterHit.waitFor();
    expect(await page.locator('[role="grid"][aria-label="Applicants"]').count()).toBe(0);
    expect((await letterHit.locator('mark').first().textContent())?.toLowerCase()).toBe(surname.toLowerCase());
    expect(await page.getByRole('listbox', { name: 'Matches' }).innerHTML()).not.toContain('\uE000');
    await page.screenshot({ path: join(screenshotDir, 'search-results.png') });

    // The cursor starts on the first hit; ↓ walks it to the letter's.
    const index = (await results().evaluateAll((elements) => elements.map((element) => element.id))).indexOf((await letterHit.getAttribute('id')) ?? '');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(await results().first().getAttribute('aria-selected')).toBe('true');
    for (let step = 0; step < index; step += 1) await page.keyboard.press('ArrowDown');
    await expect.poll(() => letterHit.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');

    // The table is back with the applicant open, and the reader shows the letter.
    await page.locator(`.grid-body [role="row"][data-application-id="${target.applicationId}"][aria-selected="true"]`).waitFor();
    await expect.poll(() => page.locator('#packet-name').textContent()).toBe(target.name);
    const openTab = page.getByRole('group', { name: 'Open a document' }).locator('button[aria-pressed="true"]');
    await expect.poll(() => openTab.getAttribute('title')).toBe(target.documentTitle);

    // The reader lands on the page of the first match and marks the words over the PDF's text.
    const marks = page.locator('.pdf-page .pdf-hit');
    await marks.first().waitFor();
    const current = page.locator('.pdf-hit[aria-current="true"]');
    expect(await current.count()).toBe(1);
    const markedPage = await current.evaluate((mark) => mark.closest('.pdf-page')?.getAttribute('aria-label'));
    await expect.poll(() => page.locator('.pdf-toolbar .num[aria-label^="Page "]').first().getAttribute('aria-label')).toMatch(new RegExp(`^${markedPage ?? 'none'} of `));
    const box = await current.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(4);
    await expect.poll(() => page.getByRole('group', { name: 'Matches in this document' }).textContent()).toMatch(/match 1 \/ \d+/);
    await page.screenshot({ path: join(screenshotDir, 'search-opened.png') });

    // Back in the box the list returns; Esc ends the search and the whole table is back.
    await page.locator('body').press('/');
    await results().first().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => searchBox().inputValue()).toBe('');
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBe(rows.length);
    expect(await page.getByRole('listbox', { name: 'Matches' }).count()).toBe(0);
  });

  it('opens a hit with a click, and fits a 1024×700 window without sideways scrolling', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    const row = (await stored('applicants.list', { filter: { jobId: app.seeded?.jobIds[0] ?? 0 } })).rows[1];
    const surname = row?.name.split(' ').at(-1) ?? '';
    await page.locator('body').press('/');
    await page.keyboard.type(surname, { delay: 20 });
    const hit = results().filter({ hasText: 'Applicant details' }).filter({ hasText: row?.name ?? '' }).first();
    await hit.waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'search-results-1024.png') });
    await hit.click();
    await expect.poll(() => page.locator('#packet-name').textContent()).toBe(row?.name);
    await page.locator(`.grid-body [role="row"][data-application-id="${row?.applicationId}"][aria-selected="true"]`).waitFor();
    await searchBox().press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
