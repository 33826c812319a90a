import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessToken, startTalentloop, type Talentloop } from '../helpers/talentloop.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * Adding a manifest-driven account in the form (issue 15): "Other OAuth 2.0 provider", a manifest
 * file chosen with the file input (Playwright's setInputFiles, as a user picks one), a broken one
 * refused with its file and path, the good one naming the account, then the account signed in with
 * a pasted token and synced from a small generic ATS on 127.0.0.1 (test/helpers/talentloop.ts),
 * its jobs in the sidebar.
 */

let app: E2eApp;
let page: Page;
let talentloop: Talentloop;
let files: string;
const viewport = { width: 1024, height: 700 };

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  talentloop = await startTalentloop();
  files = mkdtempSync(join(tmpdir(), 'dossier-e2e-manifests-'));
  // Signed in with a pasted key: the same lists, the token grant.
  writeFileSync(join(files, 'talentloop.json'), talentloop.manifest((value) => {
    value.auth = { type: 'token', placement: { in: 'header', name: 'X-Talentloop-Key', prefix: 'Key ' } };
  }));
  writeFileSync(join(files, 'broken.json'), talentloop.manifest((value) => {
    value.resources.applications.paging = { style: 'cursor', next: 'next' };
  }));
  app = await startE2eApp({ viewport });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await talentloop?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

describe('a manifest in the add-account form', () => {
  it('offers the bundled manifests and a file, refuses a broken file with its path, and connects with a good one', async () => {
    await page.getByRole('heading', { name: 'Welcome to Dossier' }).waitFor();
    await page.getByRole('button', { name: /^Other OAuth 2\.0 provider/ }).click();
    const form = page.getByRole('form', { name: 'Connect Other OAuth 2.0 provider' });
    const picker = form.getByRole('combobox', { name: /^Manifest\b/ });
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['None: sign in only', 'Greenhouse Harvest (bundled manifest)', 'Lever (bundled manifest)', 'Choose a manifest file…']),
    );

    await picker.selectOption({ label: 'Choose a manifest file…' });
    await form.getByLabel('Manifest file', { exact: true }).setInputFiles(join(files, 'broken.json'));
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/^broken\.json: resources\.applications\.paging\.cursorParam: /);
    await form.getByRole('alert').scrollIntoViewIfNeeded();
    await shoot('manifest-error');
    expect(await callCore(app, 'accounts.list', {})).toEqual([]);

    await form.getByLabel('Manifest file', { exact: true }).setInputFiles(join(files, 'talentloop.json'));
    const connect = page.getByRole('form', { name: 'Connect Talentloop' });
    await connect.getByRole('status').filter({ hasText: 'Talentloop: jobs, applicants, applications' }).waitFor();
    expect(await connect.getByRole('alert').count()).toBe(0);
    expect(await connect.getByLabel('Account name').inputValue()).toBe('Talentloop');
    // The manifest gives the addresses: the form no longer asks for them.
    expect(await connect.getByLabel(/Server address/).count()).toBe(0);
    expect(await connect.getByLabel('Token endpoint').count()).toBe(0);
    expect(await connect.getByRole('note').textContent()).toContain('Paste the API key or access token Talentloop issued you.');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(viewport.width);
    await connect.getByRole('button', { name: 'Connect' }).scrollIntoViewIfNeeded();
    await shoot('manifest-chosen');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shoot('manifest-chosen-1440');
    await page.setViewportSize(viewport);

    await connect.getByLabel('Access token').fill(accessToken);
    await connect.getByRole('button', { name: 'Connect' }).click();
    const job = page.getByRole('region', { name: 'Jobs of Talentloop' }).getByText('Assistant Professor of Economics');
    await job.waitFor();
    const [account] = await callCore(app, 'accounts.list', {});
    expect(account).toMatchObject({ name: 'Talentloop', provider: 'oauth2', grant: 'token', manifest: { name: 'Talentloop', fileName: 'talentloop.json' }, capabilities: { applications: true } });
    await expect.poll(async () => (await callCore(app, 'sync.status', {}))[0]).toMatchObject({ running: false, lastSyncedAt: expect.any(String), lastError: null });
    await shoot('manifest-synced');
  });
});

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}
