import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * The reader and the interview form end to end: the built renderer in Debian's Chromium against
 * the real browser host, on a data directory seeded through the sync's own writer (real PDFs).
 */

let app: E2eApp;
let page: Page;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

const shoot = (name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`) });
const reader = () => page.getByRole('region', { name: 'Documents' });
const pageIndicator = () => reader().getByLabel(/^Page \d+ of \d+$/).first();
const box = async (selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not shown`);
  return found;
};

/** Takes focus off any field, so the reviewer's keys reach the app. */
async function leaveFields(): Promise<void> {
  await page.evaluate('document.activeElement?.blur()');
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 12, documents: 'unique' } });
  page = app.page;
  await page.locator('.grid-body [role="row"]').first().waitFor();
  await page.locator('.grid-body [role="row"]').nth(1).click();
  await page.locator('.pdf-page canvas').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('the reader', () => {
  it('gives the open document most of the packet’s height, fit to its width', async () => {
    const packet = await box('.packet');
    const frame = await box('.pdf-frame');
    const canvas = await box('.pdf-page canvas');
    expect(frame.height).toBeGreaterThan(packet.height * 0.6);
    expect(canvas.height).toBeGreaterThan(packet.height * 0.6);
    // Fit width: the page spans the frame less its padding.
    expect(canvas.width).toBeGreaterThan(frame.width - 40);
    expect(canvas.width).toBeLessThanOrEqual(frame.width);
    await shoot('reader');
  });

  it('remembers a folded or unfolded document list across a reload', async () => {
    const toggle = reader().getByRole('button', { name: /^Documents \(/ });
    const wasOpen = (await toggle.getAttribute('aria-expanded')) === 'true';
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe(String(!wasOpen));
    await page.reload();
    await page.locator('.grid-body [role="row"]').nth(1).click();
    await expect.poll(() => reader().getByRole('button', { name: /^Documents \(/ }).getAttribute('aria-expanded')).toBe(String(!wasOpen));
    if (!wasOpen) await reader().getByRole('button', { name: /^Documents \(/ }).click();
    await page.locator('.pdf-page canvas').first().waitFor();
  });

  it('pages with ] and [, and moves between documents with . and ,', async () => {
    await leaveFields();
    await expect.poll(() => pageIndicator().textContent()).toMatch(/^1 \/ [2-9]/);
    await page.keyboard.press(']');
    await expect.poll(() => pageIndicator().textContent()).toMatch(/^2 \//);
    await page.keyboard.press('[');
    await expect.poll(() => pageIndicator().textContent()).toMatch(/^1 \//);

    const firstTitle = await page.locator('.pdf-title').textContent();
    // Each step opens another PDF; on a loaded two-core CI machine that can take more than poll's default second.
    await page.keyboard.press('.');
    await expect.poll(() => page.locator('.pdf-title').textContent(), { timeout: 10_000 }).not.toBe(firstTitle);
    await page.keyboard.press(',');
    await expect.poll(() => page.locator('.pdf-title').textContent(), { timeout: 10_000 }).toBe(firstTitle);
  });

  it('shows each page as a drawn thumbnail, and a click on one goes to that page', async () => {
    const thumbnails = page.getByRole('navigation', { name: 'Pages' }).getByRole('button');
    const second = thumbnails.nth(1);
    await expect.poll(() => second.getAttribute('aria-label')).toBe('Page 2');
    // Drawn: the canvas holds pixels that are not all white.
    const drawn = `(() => {
      const canvas = document.querySelectorAll('nav[aria-label="Pages"] button')[1]?.querySelector('canvas');
      if (!canvas || canvas.width === 0) return false;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      // An undrawn canvas is transparent black: count only opaque pixels darker than the paper.
      for (let at = 0; at < pixels.length; at += 4) if (pixels[at + 3] === 255 && pixels[at] < 200) return true;
      return false;
    })()`;
    await expect.poll(() => page.evaluate(drawn)).toBe(true);
    await second.click();
    await expect.poll(() => pageIndicator().textContent()).toMatch(/^2 \//);
    await expect.poll(() => second.getAttribute('aria-current')).toBe('page');
    await thumbnails.first().click();
    await expect.poll(() => pageIndicator().textContent()).toMatch(/^1 \//);
  });

  it('zooms to 200% without cropping: scrolled left, the page’s left edge is in view', async () => {
    const zoomIn = reader().getByRole('button', { name: 'Zoom in' });
    // 100% → 125% → 150% → 200%.
    for (let step = 0; step < 3; step++) await zoomIn.click();
    await expect.poll(() => reader().getByRole('button', { name: 'Fit width' }).textContent()).toBe('200%');
    const frame = page.locator('.pdf-frame').first();
    await expect.poll(async () => (await box('.pdf-page canvas')).width).toBeGreaterThan((await box('.pdf-frame')).width * 1.5);
    // The frame scrolls sideways to the page's right half, and back to x = 0.
    await expect.poll(() => frame.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await frame.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
    await frame.evaluate((element) => element.scrollTo({ left: 0 }));
    const frameBox = await box('.pdf-frame');
    const pageBox = await box('.pdf-page');
    expect(pageBox.x).toBeGreaterThanOrEqual(frameBox.x);
    expect(pageBox.x - frameBox.x).toBeLessThan(20);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shoot('reader-200');
    await reader().getByRole('button', { name: 'Fit width' }).click();
    await expect.poll(() => reader().getByRole('button', { name: 'Fit width' }).textContent()).toBe('100%');
  });

  it('marks a document read once it has been open a moment, and counts what is still unread', async () => {
    const applicationId = Number(await page.locator('.packet').getAttribute('data-application-id'));
    const packet = await stored('applicants.packet', { applicationId });
    const ids = packet.documents.filter((document) => document.available).map((document) => document.id);
    const unreadLabel = async () => Number(/^(\d+) unread$/.exec((await reader().locator('.unread-count').getAttribute('aria-label')) ?? '')?.[1]);
    await expect.poll(async () => (await stored('documents.reads', { documentIds: ids })).read.length, { timeout: 5000 }).toBeGreaterThan(0);
    // The page marks optimistically and the core stores it a moment later: wait until both agree.
    const storedRead = async () => (await stored('documents.reads', { documentIds: ids })).read.length;
    await expect.poll(async () => (await unreadLabel()) === ids.length - (await storedRead())).toBe(true);
    const readBefore = await storedRead();

    // Mark the open one unread from its toolbar; the count and the stored marks follow.
    await reader().locator('.pdf-toolbar').getByRole('button', { name: /^Mark .* unread$/ }).click();
    await expect.poll(unreadLabel).toBe(ids.length - readBefore + 1);
    await expect.poll(async () => (await stored('documents.reads', { documentIds: ids })).read.length).toBe(readBefore - 1);
    // Still open, it stays unread: the mark made on opening is not made again.
    await page.waitForTimeout(2000);
    expect(await unreadLabel()).toBe(ids.length - readBefore + 1);

    await page.reload();
    await page.locator(`.grid-body [role="row"][data-application-id="${applicationId}"]`).click();
    await expect.poll(unreadLabel).toBe(ids.length - readBefore + 1);
  });

  it('shows a letter beside the CV, and reads in the whole window until Esc', async () => {
    await page.locator('.pdf-page canvas').first().waitFor();
    const beside = reader().getByLabel('Show beside');
    const letter = await beside.locator('option', { hasText: 'Letter' }).first().getAttribute('value');
    await beside.selectOption(letter ?? '');
    await expect.poll(() => page.locator('.reader-views .pdf-viewer').count()).toBe(2);
    await leaveFields();
    await page.keyboard.press('f');
    await expect.poll(async () => (await box('.reader')).width).toBe(1440);
    await expect.poll(() => page.locator('.reader-views .pdf-page canvas').count()).toBeGreaterThanOrEqual(2);
    await shoot('reader-full-window-beside');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await box('.reader')).width).toBeLessThan(1000);
    await beside.selectOption('');
    await expect.poll(() => page.locator('.reader-views .pdf-viewer').count()).toBe(1);
  });

  it('lists the reader’s keys in the shortcut sheet', async () => {
    await leaveFields();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.getByText('Next / previous page of the open document').waitFor();
    await sheet.getByText('Next / previous document of the packet').waitFor();
    await sheet.getByText(/whole window/).waitFor();
    await page.keyboard.press('Escape');
  });
});

describe('the interview form and agenda', () => {
  it('warns of a clash while the time is chosen, before saving', async () => {
    await stored('interviews.save', { applicationId: null, title: 'Dean’s lunch', startsAt: '2027-01-05T17:00:00.000Z', endsAt: '2027-01-05T18:00:00.000Z', timeZone: 'UTC' });
    await page.getByRole('button', { name: 'Interviews', exact: true }).click();
    await page.getByRole('button', { name: 'New interview' }).click();
    const dialog = page.getByRole('dialog', { name: 'New interview' });
    await dialog.getByLabel('Time zone').selectOption('UTC');
    await dialog.getByLabel('Starts').fill('2027-01-05T09:00');
    await expect.poll(() => dialog.locator('#interview-clash').textContent()).toBe('');
    await dialog.getByLabel('Starts').fill('2027-01-05T17:30');
    await expect.poll(() => dialog.locator('#interview-clash').textContent()).toContain('Overlaps Dean’s lunch');
    expect((await stored('interviews.list', {})).length).toBe(1);
    await shoot('interview-clash-before-save');
    // Cancelled, it clashes with nothing.
    await dialog.getByLabel('Status').selectOption('cancelled');
    await expect.poll(() => dialog.locator('#interview-clash').textContent()).toBe('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('opens the agenda on today, with a Today button to return to it', async () => {
    await stored('interviews.save', { applicationId: null, title: 'Last season', startsAt: '2020-01-06T15:00:00.000Z', endsAt: '2020-01-06T15:30:00.000Z', timeZone: 'UTC' });
    await page.getByRole('button', { name: 'Applicants', exact: true }).click();
    await page.getByRole('button', { name: 'Interviews', exact: true }).click();
    const todayTitle = await page.evaluate("new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(new Date())");
    const today = page.getByRole('region', { name: `Today, ${todayTitle}` });
    await today.waitFor();
    const inView = async () => {
      const found = await today.boundingBox();
      return found !== null && found.y >= 0 && found.y < 900;
    };
    await expect.poll(inView).toBe(true);
    await page.locator('.page').evaluate((element) => element.scrollTo({ top: 0 }));
    await page.getByRole('region', { name: /2020/ }).waitFor();
    await page.getByRole('button', { name: 'Today', exact: true }).click();
    await expect.poll(inView).toBe(true);
    await shoot('agenda-today');
  });
});
