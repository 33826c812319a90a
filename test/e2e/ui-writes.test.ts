import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { startCareerPlugEmulator, type CareerPlugEmulator } from '../../electron/sandbox/careerplug/server.ts';
import { startJobSpaceEmulator, type JobSpaceEmulator } from '../../electron/sandbox/jobspace/server.ts';
import { control } from '../auth/emulators.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * Writes to providers from the UI, in Chromium against the CareerPlug and Job Space emulators:
 * "Apply to another job…" in the packet and "Delete posting" on the postings screen, each queued
 * with no confirmation, visible while waiting, withdrawable, sent by a sync; a refusal shown with
 * the provider's words. Accounts are added through the core (the onboarding has its own test).
 */

let app: E2eApp;
let page: Page;
let careerplug: CareerPlugEmulator;
let jobspace: JobSpaceEmulator;
const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  [careerplug, jobspace] = await Promise.all([startCareerPlugEmulator({ scale: 'small', seed: 6 }), startJobSpaceEmulator({ scale: 'small', seed: 6 })]);
  app = await startE2eApp();
  page = app.page;
  for (const [provider, name, ready] of [['careerplug', 'Gyms', careerplug.ready], ['jobspace', 'Board', jobspace.ready]] as const) {
    await stored('accounts.add', { provider, name, baseUrl: ready.baseUrl, tokenUrl: ready.tokenUrl, clientId: ready.clientId, clientSecret: ready.clientSecret, grant: 'client_credentials', timeZone: 'America/Chicago' });
  }
  const results = await app.host().core.services.sync.run({ documents: false });
  expect(results.map((result) => result.error)).toEqual([null, null]);
  await page.reload();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await careerplug?.close();
  await jobspace?.close();
});

async function shoot(name: string): Promise<void> {
  for (const [width, height] of [[1440, 900], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(screenshotDir, `${name}-${width}.png`) });
    expect(await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth })')).toEqual({ scrollWidth: width, width });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function openFirstPacket(): Promise<{ applicationId: number; name: string }> {
  await page.getByRole('button', { name: 'Applicants', exact: true }).first().click().catch(() => undefined);
  const row = page.locator('.grid-body [role="row"]').first();
  await row.waitFor();
  await row.click();
  const packet = page.locator('section.packet[data-application-id]');
  await packet.waitFor();
  return { applicationId: Number(await packet.getAttribute('data-application-id')), name: (await page.locator('#packet-name').textContent()) ?? '' };
}

async function fillApplyDialog(): Promise<string> {
  const dialog = page.getByRole('dialog', { name: /^Apply .* to another job$/ });
  const job = dialog.getByLabel('Job');
  await expect.poll(() => job.locator('option').count()).toBeGreaterThan(1);
  await job.selectOption({ index: 1 });
  const title = ((await job.locator('option:checked').textContent()) ?? '').replace(/ \(.*\)$/, '');
  for (const select of await dialog.locator('form select').all()) {
    if ((await select.getAttribute('aria-label')) === null && (await select.inputValue()) === '') await select.selectOption({ index: 1 });
  }
  for (const input of await dialog.locator('form input[type="text"]').all()) if ((await input.inputValue()) === '') await input.fill('Yes');
  return title;
}

describe('writes to providers from the UI', () => {
  it('applies the packet’s person to another CareerPlug job: queued, withdrawable, sent with Send now', async () => {
    const { applicationId } = await openFirstPacket();
    await page.getByRole('button', { name: 'Apply to another job…' }).click();
    const title = await fillApplyDialog();
    await shoot('writes-apply-dialog');
    await page.getByRole('button', { name: 'Queue the application' }).click();
    const waiting = page.getByRole('region', { name: 'Waiting to send' });
    await expect.poll(() => waiting.textContent()).toContain('Waiting to send');
    expect(await waiting.textContent()).toContain(title);
    await shoot('writes-apply-waiting');
    const before = careerplug.data.apps.size;

    await waiting.getByRole('button', { name: 'Withdraw' }).click();
    await expect.poll(() => waiting.count()).toBe(0);
    expect((await stored('outbox.list', {})).filter((item) => item.applicationId === applicationId)).toEqual([]);

    await page.getByRole('button', { name: 'Apply to another job…' }).click();
    await fillApplyDialog();
    await page.getByRole('button', { name: 'Queue the application' }).click();
    await waiting.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => waiting.count(), { timeout: 60_000 }).toBe(0);
    expect(careerplug.data.apps.size).toBe(before + 1);
    expect((await stored('outbox.list', {})).filter((item) => item.applicationId === applicationId).map((item) => item.state)).toEqual(['sent']);
  });

  it('shows a refused application with CareerPlug’s words and what to do, and keeps it', async () => {
    const { applicationId } = await openFirstPacket();
    const targets = await stored('applications.applyTargets', { applicationId });
    const job = targets.jobs[0];
    if (!job) throw new Error('no job left to apply to');
    const remoteId = (await stored('jobs.list', {})).find((candidate) => candidate.id === job.jobId)?.remoteId;
    await control(careerplug.ready, 'close-job', { jobId: Number(remoteId) });
    await page.getByRole('button', { name: 'Apply to another job…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Apply .* to another job$/ });
    await dialog.getByLabel('Job').selectOption(String(job.jobId));
    for (const select of await dialog.locator('form select').all()) {
      if ((await select.inputValue()) === '') await select.selectOption({ index: 1 });
    }
    for (const input of await dialog.locator('form input[type="text"]').all()) if ((await input.inputValue()) === '') await input.fill('Yes');
    await page.getByRole('button', { name: 'Queue the application' }).click();
    const waiting = page.getByRole('region', { name: 'Waiting to send' });
    await waiting.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => waiting.textContent(), { timeout: 60_000 }).toContain('Not sent');
    expect(await waiting.textContent()).toMatch(/CareerPlug refused the application: “job_id \d+ is not accepting applications”\. Correct it and retry, or withdraw the change\./);
    await waiting.getByRole('button', { name: 'Withdraw' }).waitFor();
    await shoot('writes-apply-refused');
  });

  it('deletes a Job Space posting without a dialog: waiting with Withdraw, then gone with the sync', async () => {
    await page.getByRole('button', { name: /^Job postings/ }).click();
    const board = page.getByRole('region', { name: 'Postings on the board' });
    const jobId = Number(await board.locator('li').first().getAttribute('data-job-id'));
    const remoteId = (await stored('jobs.list', {})).find((job) => job.id === jobId)?.remoteId;
    const posting = board.locator(`li[data-job-id="${jobId}"]`);
    await posting.getByRole('button', { name: 'Delete posting' }).click();
    await expect.poll(() => posting.textContent()).toContain('Waiting to send');
    await expect.poll(() => board.textContent()).toContain('Waiting to send · 1');
    await shoot('writes-delete-waiting');
    await posting.getByRole('button', { name: 'Withdraw' }).click();
    await posting.getByRole('button', { name: 'Delete posting' }).waitFor();
    expect(jobspace.jobs.get(Number(remoteId))?.deleted_at).toBe(null);

    await posting.getByRole('button', { name: 'Delete posting' }).click();
    await board.getByRole('button', { name: 'Send now' }).first().click();
    await expect.poll(() => posting.count(), { timeout: 60_000 }).toBe(0);
    expect(jobspace.jobs.get(Number(remoteId))?.deleted_at).not.toBe(null);
    await shoot('writes-delete-sent');
  });
});
