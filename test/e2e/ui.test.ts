import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * The review app end to end: the built renderer in Debian's Chromium, talking to the real browser
 * host over HTTP and WebSocket, on a data directory seeded through the sync's own writer.
 */

let app: E2eApp;
let page: Page;
let firstJob: number;

/** What the core has stored, asked directly (not through the page under test). */
const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

const selectedRow = () => page.locator('.grid-body [role="row"][aria-selected="true"]');
const packetName = () => page.locator('#packet-name');

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 40, annotate: true, documents: 'unique' } });
  page = app.page;
  firstJob = app.seeded?.jobIds[0] ?? 0;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('the review app in the browser host', () => {
  it('lists a job’s applicants and opens a packet with its documents in the PDF viewer', async () => {
    const jobs = await stored('jobs.list', {});
    const first = jobs[0];
    expect(first).toBeDefined();
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBe(first?.applicationCount);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(first?.title);

    const row = page.locator('.grid-body [role="row"]').nth(2);
    const name = await row.locator('.name').textContent();
    await row.click();
    await expect.poll(() => packetName().textContent()).toBe(name);
    await page.getByRole('region', { name: 'Documents' }).waitFor();
    await page.locator('.pdf-page canvas').first().waitFor();
    await page.getByText(/Curriculum Vitae · \d+ pages?/).waitFor();
    await shoot('applicants');

    await page.locator('.pdf-frame').scrollIntoViewIfNeeded();
    await shoot('packet-pdf');

    // Without the packet beside it the table has room for every column.
    await page.locator('body').press('p');
    await page.getByRole('columnheader', { name: 'Fields' }).waitFor();
    await page.getByRole('columnheader', { name: 'Tags' }).waitFor();
    await shoot('applicants-wide');
    await page.locator('body').press('p');
    await packetName().waitFor();
    await expect.poll(() => page.getByRole('columnheader', { name: 'Fields' }).isVisible()).toBe(false);
  });

  it('filters by status, rating and letters, and sorts by a column', async () => {
    await page.getByLabel('Status', { exact: true }).selectOption('shortlisted');
    const expected = await stored('applicants.list', { filter: { jobId: firstJob, statuses: ['shortlisted'] } });
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBe(expected.total);
    for (const status of await page.locator('.grid-body .status').allTextContents()) expect(status).toBe('shortlisted');

    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Minimum rating').selectOption('4');
    await page.getByLabel('Letters complete').selectOption('true');
    const strong = await stored('applicants.list', { filter: { jobId: firstJob, minRating: 4, lettersComplete: true } });
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBe(strong.total);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    const sorted = await stored('applicants.list', { filter: { jobId: firstJob }, sort: { key: 'name', direction: 'asc' } });
    await expect.poll(() => page.locator('.grid-body [role="row"] .name').first().textContent()).toBe(sorted.rows[0]?.name);
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    const reversed = await stored('applicants.list', { filter: { jobId: firstJob }, sort: { key: 'name', direction: 'desc' } });
    await expect.poll(() => page.locator('.grid-body [role="row"] .name').first().textContent()).toBe(reversed.rows[0]?.name);
  });

  it('searches as you type and highlights the matches without interpreting them as HTML', async () => {
    const target = (await stored('applicants.list', { filter: { jobId: firstJob } })).rows[5];
    expect(target).toBeDefined();
    const surname = target?.name.split(' ').at(-1) ?? '';
    await page.keyboard.press('Escape');
    await page.locator('body').press('/');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('applicant-search');
    await page.keyboard.type(surname, { delay: 20 });
    try {
      // The matches have their own list in the table's place (test/e2e/ui-search.test.ts covers it).
      const matches = page.getByRole('listbox', { name: 'Matches' });
      await expect.poll(() => matches.locator('.hit-who strong').allTextContents()).toContain(target?.name);
      await expect.poll(() => matches.locator('mark').count()).toBeGreaterThan(0);
      const marked = await matches.locator('mark').first().textContent();
      expect(marked?.toLowerCase()).toContain(surname.toLowerCase().slice(0, 3));
      expect(await matches.innerHTML()).not.toContain('\uE000');
      await shoot('search');
    } finally {
      // Leave the list unfiltered for the tests that follow, whatever happened here.
      await page.locator('#applicant-search').press('Escape');
    }
    await expect.poll(() => page.locator('#applicant-search').inputValue()).toBe('');
  });

  it('rates, shortlists, tags and notes an applicant with the keyboard alone', async () => {
    await page.locator('body').click({ position: { x: 5, y: 890 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    // s toggles the shortlist: start from someone the seeded committee has not shortlisted yet.
    while ((await selectedRow().locator('.status').textContent()) === 'shortlisted') await page.keyboard.press('j');
    const name = await selectedRow().locator('.name').textContent();
    await expect.poll(() => packetName().textContent()).toBe(name);
    const id = Number(await selectedRow().getAttribute('data-application-id'));

    await page.keyboard.press('4');
    await page.keyboard.press('s');
    await page.keyboard.press('t');
    await page.keyboard.type('flyout');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type('Strong identification; ask about the second chapter.');
    await page.keyboard.press('Escape');

    await expect.poll(async () => {
      const packet = await stored('applicants.packet', { applicationId: id });
      return { rating: packet.row.rating, status: packet.row.status, tags: packet.row.tags, note: packet.note };
    }).toEqual({ rating: 4, status: 'shortlisted', tags: expect.arrayContaining(['flyout']), note: 'Strong identification; ask about the second chapter.' });
    await expect.poll(() => selectedRow().locator('.status').textContent()).toBe('shortlisted');

    await page.keyboard.press('k');
    await expect.poll(() => packetName().textContent()).not.toBe(name);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shoot('shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('creates an interview with a time zone and shows it in the agenda', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.getByRole('heading', { name: 'Interviews' }).waitFor();
    await page.getByRole('button', { name: 'New interview' }).click();
    const dialog = page.getByRole('dialog', { name: 'New interview' });
    await dialog.getByLabel('Title').fill('ASSA flyout screen');
    await dialog.getByLabel('Starts').fill('2027-01-04T09:30');
    await dialog.getByLabel('Length (minutes)').fill('45');
    await dialog.getByLabel('Time zone').selectOption('America/Chicago');
    await dialog.getByLabel('Place').fill('Hilton Atlanta, suite 1204');
    await dialog.getByLabel('Interviewers').fill('Ruiz, Okafor');
    await dialog.getByLabel('Status').selectOption('confirmed');
    await shoot('interview-dialog');
    await dialog.getByRole('button', { name: 'Save interview' }).click();
    await page.getByRole('button', { name: /ASSA flyout screen/ }).waitFor();

    const interviews = await stored('interviews.list', {});
    const created = interviews.find((interview) => interview.title === 'ASSA flyout screen');
    expect(created).toMatchObject({ startsAt: '2027-01-04T15:30:00.000Z', endsAt: '2027-01-04T16:15:00.000Z', timeZone: 'America/Chicago', status: 'confirmed', interviewers: ['Ruiz', 'Okafor'] });

    // A second commitment at the same time, made elsewhere: both are flagged.
    await stored('interviews.save', { applicationId: null, title: 'Committee lunch', startsAt: '2027-01-04T16:00:00.000Z', endsAt: '2027-01-04T17:00:00.000Z', timeZone: 'America/Chicago' });
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.getByRole('button', { name: 'ASSA flyout screen, overlaps another interview' }).waitFor();
    await page.getByRole('button', { name: 'Committee lunch, overlaps another interview' }).waitFor();
    await shoot('interviews');
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByLabel('Day', { exact: true }).fill('2027-01-04');
    await page.locator('.day-block.clash').first().waitFor();
    await shoot('interviews-day');
    await page.getByRole('button', { name: 'Agenda', exact: true }).click();
  });

  it('saves a view and finds everything as it was left after the host restarts', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.getByLabel('Status', { exact: true }).selectOption('shortlisted');
    await page.getByRole('button', { name: 'Save view…' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Shortlist');
    await page.getByRole('dialog').getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('button', { name: 'Shortlist', exact: true }).waitFor();
    const before = await stored('applicants.list', { filter: { jobId: firstJob, statuses: ['shortlisted'] } });

    await app.restart();
    await page.locator('.grid-body [role="row"]').first().waitFor();

    await page.getByRole('button', { name: 'Shortlist', exact: true }).click();
    await expect.poll(() => page.locator('.grid-body [role="row"]').count()).toBe(before.total);
    const flyout = page.locator('.grid-body [role="row"]', { hasText: 'flyout' });
    await flyout.click();
    await expect.poll(() => page.locator('#note-input').inputValue()).toBe('Strong identification; ask about the second chapter.');
    await expect.poll(() => page.getByRole('group', { name: /^Rating: 4/ }).count()).toBe(1);

    await page.getByRole('button', { name: 'Interviews', exact: true }).click();
    await page.getByRole('button', { name: /ASSA flyout screen/ }).waitFor();
  });

  it('shows the settings and the dark theme', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Rating scheme' }).waitFor();
    await expect.poll(() => page.getByLabel('Data location').textContent()).toBe(app.dataDir);
    await shoot('settings');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await stored('settings.theme', {})).toEqual({ theme: 'dark' });
    await page.getByRole('button', { name: 'Applicants', exact: true }).click();
    await page.locator('.grid-body [role="row"]').first().click();
    await shoot('applicants-dark');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('radio', { name: 'Light' }).click();
  });
});
