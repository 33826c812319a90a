import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * Every screen in a 1024×700 window (a small laptop, the app not maximised): nothing scrolls
 * sideways and the controls a reviewer needs are wholly on screen. Real host, real Chromium.
 */

const viewport = { width: 1024, height: 700 };
let app: E2eApp;
let page: Page;

const shoot = (name: string) => page.screenshot({ path: join(screenshotDir, `small-${name}.png`) });

async function expectNoSidewaysScroll(): Promise<void> {
  expect(await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')).toEqual({ scrollWidth: viewport.width, innerWidth: viewport.width });
  expect(await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);
}

/** The control's whole box is inside the window (a clipped "Schedule interview" fails). */
async function expectFullyInView(control: Locator): Promise<void> {
  await control.waitFor();
  const found = await control.boundingBox();
  expect(found, String(control)).not.toBeNull();
  if (!found) return;
  expect(found.x, String(control)).toBeGreaterThanOrEqual(0);
  expect(found.y, String(control)).toBeGreaterThanOrEqual(0);
  expect(found.x + found.width, String(control)).toBeLessThanOrEqual(viewport.width);
  expect(found.y + found.height, String(control)).toBeLessThanOrEqual(viewport.height);
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 30, annotate: true, documents: 'unique' }, viewport });
  page = app.page;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('a 1024×700 window', () => {
  it('shows the applicants and the packet with its controls on screen', async () => {
    await page.locator('.grid-body [role="row"]').nth(1).click();
    await page.locator('.pdf-page canvas').first().waitFor();
    await expectNoSidewaysScroll();
    await expectFullyInView(page.getByRole('button', { name: 'Schedule interview' }));
    await expectFullyInView(page.getByLabel('Review status'));
    await expectFullyInView(page.locator('.pdf-toolbar').getByRole('button', { name: /^Save .* as$/ }));
    await expectFullyInView(page.locator('.pdf-toolbar').getByRole('button', { name: /in the system viewer$/ }));
    await expectFullyInView(page.getByRole('columnheader', { name: 'Rating' }));
    await expectFullyInView(page.getByRole('columnheader', { name: 'Status' }));
    await expectFullyInView(page.getByRole('searchbox', { name: 'Search applicants' }));
    await shoot('applicants');

    // With the document list unfolded, each document's save icon is on screen too.
    await page.getByRole('button', { name: /^Documents \(/ }).click();
    await expectFullyInView(page.locator('.doc-list').getByRole('button', { name: /^Save .* as$/ }).first());
    await expectNoSidewaysScroll();
    await shoot('applicants-document-list');
    await page.getByRole('button', { name: /^Documents \(/ }).click();

    await page.getByRole('button', { name: 'Schedule interview' }).click();
    const dialog = page.getByRole('dialog', { name: 'New interview' });
    await expectFullyInView(dialog.getByRole('button', { name: 'Save interview' }));
    await expectNoSidewaysScroll();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows the export dialog whole', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Export/ });
    await expectFullyInView(dialog.getByLabel('Save as'));
    await expectFullyInView(dialog.getByRole('button', { name: 'Cancel' }));
    await expectNoSidewaysScroll();
    await shoot('export');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows interviews, postings, settings and onboarding without sideways scroll', async () => {
    await page.getByRole('button', { name: 'Interviews', exact: true }).click();
    await expectFullyInView(page.getByRole('button', { name: 'New interview' }));
    await expectFullyInView(page.getByRole('button', { name: 'Today', exact: true }));
    await expectNoSidewaysScroll();
    await shoot('interviews');

    await page.getByRole('button', { name: 'Job postings', exact: true }).click();
    await page.getByRole('main', { name: 'Job postings' }).locator('h1, .empty').first().waitFor();
    await expectNoSidewaysScroll();
    await shoot('postings');

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Rating scheme' }).waitFor();
    await expectNoSidewaysScroll();
    await shoot('settings');

    await page.getByRole('complementary', { name: 'Navigation' }).getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('heading', { name: 'Add an account' }).waitFor();
    await expectFullyInView(page.getByRole('button', { name: /^EconJobMarket/ }));
    await expectNoSidewaysScroll();
    await shoot('onboarding');
  });
});
