import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * One person, one applicant (decision 0014) in the built renderer, in Debian's Chromium, against the
 * real browser host on a seeded SQLite profile in which one person applied to two jobs: the packet
 * header's "Also applied to" line and the table's quiet "+1 job".
 */

let app: E2eApp;
let page: Page;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);
const packet = () => page.locator('section.packet');
const alsoApplied = () => page.locator('.packet-head .also-applied');

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  app = await startE2eApp({ seed: { applications: 24 }, viewport: { width: 1024, height: 700 } });
  page = app.page;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('a person who applied to two jobs', () => {
  it('shows the other application on one line of the packet header, opened by keyboard or click, with the table moving to its job', async () => {
    const [jobA, jobB] = await stored('jobs.list', {});
    if (!jobA || !jobB) throw new Error('the seeded profile has fewer than two jobs');
    const person = (await stored('applicants.list', { filter: { jobId: jobA.id } })).rows[1];
    if (!person) throw new Error('the first job has fewer than two applicants');
    // The person applies to the second job too: written through the sync's own writer, as an
    // EconJobMarket sync does (one applicant id, two application ids).
    const { core } = app.host();
    const applicantRemoteId = core.storage.db.prepare('SELECT applicant_remote_id FROM applications WHERE id = ?').pluck().get(person.applicationId) as string;
    const now = new Date().toISOString();
    core.storage.syncedRecords.write(person.accountId, {
      applications: {
        rows: [{ remoteId: '799001', remoteVersion: '1', raw: { appid: 799001 }, jobRemoteId: jobB.remoteId, applicantRemoteId, jobTitle: jobB.title, appliedAt: now, remoteStatus: null, lettersExpected: 0, answers: [] }],
        complete: false,
      },
    }, now);
    const second = (await stored('applicants.list', { filter: { jobId: jobB.id } })).rows.find((row) => row.name === person.name);
    if (!second) throw new Error('the second application is not listed under the second job');
    await stored('annotations.setStatus', { applicationIds: [second.applicationId], status: 'shortlisted' });

    await page.reload();
    await page.locator('.side-list button', { hasText: jobA.title }).first().click();
    const row = page.locator(`.grid-body [role="row"][data-application-id="${person.applicationId}"]`);
    await row.waitFor();
    // The table keeps one row per application; the marker is quiet and says why.
    expect(await row.locator('.other-jobs').textContent()).toBe('+1 job');
    expect(await page.locator('.grid-body .other-jobs').count()).toBe(1);
    await row.click();
    await expect.poll(() => packet().getAttribute('data-application-id')).toBe(String(person.applicationId));
    await alsoApplied().waitFor();
    expect(await alsoApplied().textContent()).toBe(`Also applied to: ${jobB.title} (shortlisted)`);

    // One compact line in the header at 1024×700, and nothing scrolls sideways.
    const line = await alsoApplied().boundingBox();
    expect(line?.height).toBeLessThanOrEqual(20);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: join(screenshotDir, 'people-also-applied-1024.png') });

    // Keyboard: Tab from the header's button reaches the link, Enter opens the other application's packet.
    await page.getByRole('button', { name: 'Schedule interview' }).focus();
    let link = alsoApplied().getByRole('button', { name: `${jobB.title} (shortlisted)` });
    for (let presses = 0; presses < 5 && !(await link.evaluate((element) => element === element.ownerDocument.activeElement)); presses += 1) await page.keyboard.press('Tab');
    expect(await link.evaluate((element) => element === element.ownerDocument.activeElement), 'the link is reachable with Tab').toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => packet().getAttribute('data-application-id')).toBe(String(second.applicationId));
    // The table moved to the second job, where the open application is listed and selected.
    await expect.poll(() => page.locator('.side-list button[aria-current="true"]').first().textContent()).toContain(jobB.title);
    await page.locator(`.grid-body [role="row"][data-application-id="${second.applicationId}"][aria-selected="true"]`).waitFor();
    expect(await alsoApplied().textContent()).toBe(`Also applied to: ${jobA.title} (new)`);

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: join(screenshotDir, 'people-also-applied-1440.png') });

    // A click goes back.
    link = alsoApplied().getByRole('button', { name: `${jobA.title} (new)` });
    await link.click();
    await expect.poll(() => packet().getAttribute('data-application-id')).toBe(String(person.applicationId));
    await page.locator(`.grid-body [role="row"][data-application-id="${person.applicationId}"][aria-selected="true"]`).waitFor();
  });
});
