import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * The demo workspace end to end, as a new user meets it: a fresh data directory, no DOSSIER_PASSPHRASE
 * and no terminal, the onboarding screen's demo button, the
 * core starting the provider sandboxes itself and syncing them with progress on screen, then the
 * applicants and a packet's PDF in the viewer.
 */

let app: E2eApp;
let page: Page;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ newUser: true });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('the demo workspace', () => {
  it('starts from the onboarding screen, syncs with visible progress, and shows applicants with their PDFs', async () => {
    await page.getByRole('heading', { name: 'Welcome to Dossier' }).waitFor();
    await page.getByRole('button', { name: 'Try the demo workspace' }).click();
    await page.getByRole('progressbar', { name: /^Sync progress for / }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(screenshotDir, 'demo-sync-progress.png') });

    const rows = page.locator('.grid-body [role="row"]');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await stored('sync.status', {})).some((status) => status.running), { timeout: 90_000 }).toBe(false);
    const accounts = await stored('accounts.list', {});
    // Every sandbox account has synced (InfoJobs' consent approved by its sandbox), with no passphrase asked and no vault file started.
    expect(accounts.filter((account) => account.lastSyncedAt !== null).map((account) => account.provider).sort()).toEqual(['careerplug', 'ejm', 'infojobs', 'jobspace', 'jymob']);
    expect(existsSync(join(app.dataDir, 'vault.json'))).toBe(false);

    const shown = await rows.evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-application-id'))));
    let opened: { applicationId: number; title: string } | undefined;
    for (const applicationId of shown) {
      const pdf = (await stored('applicants.packet', { applicationId })).documents.find((document) => document.available && document.mimeType === 'application/pdf');
      if (pdf) {
        opened = { applicationId, title: pdf.title };
        break;
      }
    }
    expect(opened, 'an applicant on screen has a downloaded PDF').toBeDefined();
    await page.locator(`.grid-body [role="row"][data-application-id="${opened?.applicationId}"]`).click();
    const title = opened?.title ?? '';
    await page.getByRole('region', { name: 'Documents' }).getByRole('button', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().click();
    await page.getByRole('document', { name: title }).locator('.pdf-page canvas').first().waitFor();
    await page.screenshot({ path: join(screenshotDir, 'demo-packet.png') });
  }, 180_000);
});
