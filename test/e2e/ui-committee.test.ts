import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ejmEmulator } from '../../electron/sandbox/ejm/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { spawnCommitteeServer } from '../committee/server-process.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * A committee across two machines, in the UI: two browser hosts side by side (two data folders,
 * each with its own account on the same EconJobMarket sandbox, so the provider's ids match) and a
 * real committee server process on 127.0.0.1. The chair creates the committee and invites; the
 * member joins with the code; a rating made in one packet appears in the other's committee view,
 * and a message posted in one packet's discussion appears in the other's; then sorting and the
 * filter chips, the chair splitting the reading, the 1024×700 layout, and the chair removing the
 * member. Real hosts, real Chromium, a real server; nothing is mocked.
 */

let ejm: StartedEmulator;
let server: Awaited<ReturnType<typeof spawnCommitteeServer>>;
const serverDir = mkdtempSync(join(tmpdir(), 'dossier-committee-server-'));
let chair: E2eApp;
let member: E2eApp;
/** What is edited and looked for in both windows. */
let candidate = '';
const chairName = 'Ada Chair';
const memberName = 'Ben Member';
const committeeName = 'Macro search';
/** How long an edit may take to cross: host → committee server → other host, on a loaded machine. */
const crossing = { timeout: 15_000 };

async function addSyncedEjmAccount(app: E2eApp): Promise<void> {
  await callCore(app, 'accounts.add', {
    provider: 'ejm',
    name: 'EconJobMarket',
    baseUrl: ejm.ready.baseUrl,
    tokenUrl: ejm.ready.tokenUrl,
    clientId: ejm.ready.clientId,
    clientSecret: ejm.ready.clientSecret,
    grant: 'client_credentials',
    timeZone: 'America/New_York',
  });
  const results = await app.host().core.services.sync.run({ documents: false });
  expect(results.map((result) => result.error)).toEqual([null]);
  await app.page.reload();
  await app.page.locator('.grid-body [role="row"]').first().waitFor();
}

const nav = (page: Page) => page.getByRole('complementary', { name: 'Navigation' });
const tallyRows = (page: Page) => page.getByRole('grid', { name: 'Committee tally' }).locator('.grid-body [role="row"]');
const tallyRow = (page: Page, name: string) => tallyRows(page).filter({ has: page.locator('.name', { hasText: name }) });
const committeePanel = (page: Page) => page.getByRole('region', { name: `Committee ${committeeName}` });

async function shoot(page: Page, name: string, show?: Locator): Promise<void> {
  for (const [width, height] of [[1440, 900], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    await show?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, `committee-${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { width } = page.viewportSize() ?? { width: 0 };
  expect(await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')).toEqual({ scrollWidth: width, innerWidth: width });
  expect(await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);
}

/** The control's whole box is inside the window (as test/e2e/ui-layout.test.ts checks every screen). */
async function expectFullyInView(page: Page, control: Locator): Promise<void> {
  await control.waitFor();
  const box = await control.boundingBox();
  const viewport = page.viewportSize();
  expect(box, String(control)).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.x, String(control)).toBeGreaterThanOrEqual(0);
  expect(box.y, String(control)).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, String(control)).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height, String(control)).toBeLessThanOrEqual(viewport.height);
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  [ejm, server] = await Promise.all([ejmEmulator.start({ scale: 'small', seed: 17 }), spawnCommitteeServer({ dataDir: serverDir })]);
  [chair, member] = await Promise.all([startE2eApp(), startE2eApp()]);
  await Promise.all([addSyncedEjmAccount(chair), addSyncedEjmAccount(member)]);
}, 180_000);

afterAll(async () => {
  await chair?.close();
  await member?.close();
  await server?.stop();
  await ejm?.close();
  rmSync(serverDir, { recursive: true, force: true });
});

describe('a committee on two machines', () => {
  it('is created by the chair in the UI and joined by a member with the invite code', async () => {
    const page = chair.page;
    await nav(page).getByRole('button', { name: 'Committee', exact: true }).click();
    await page.getByRole('heading', { name: 'Committees' }).waitFor();
    await page.getByRole('button', { name: 'New committee' }).click();
    const form = page.getByRole('form', { name: 'New committee' });
    await form.getByLabel('Committee name').fill(committeeName);
    await form.getByLabel('Your name').fill(chairName);
    await form.getByLabel('Committee server').fill(server.url);
    await form.getByRole('checkbox').first().check();
    await form.getByRole('button', { name: 'Create the committee' }).click();
    await page.getByRole('heading', { name: committeeName }).waitFor();
    await expect.poll(() => tallyRows(page).count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Invite…' }).click();
    const invite = page.getByRole('dialog', { name: `Invite to ${committeeName}` });
    await invite.getByRole('button', { name: 'Make an invite code' }).click();
    const code = await invite.getByLabel('Invite code').inputValue();
    expect(code.length).toBeGreaterThan(20);
    await invite.getByText(/It works once/).waitFor();
    await invite.getByRole('button', { name: 'Done' }).click();

    const other = member.page;
    await nav(other).getByRole('button', { name: 'Committee', exact: true }).click();
    await other.getByRole('button', { name: 'Join with an invite code' }).click();
    const join = other.getByRole('form', { name: 'Join a committee' });
    expect(await join.getByLabel('Invite code').getAttribute('type')).toBe('password');
    await join.getByLabel('Invite code').fill(code);
    await join.getByLabel('Your name').fill(memberName);
    await join.getByRole('button', { name: 'Join' }).click();
    await other.getByRole('heading', { name: committeeName }).waitFor();
    await expect.poll(() => tallyRows(other).count()).toBeGreaterThan(0);

    // Both members are on the roster on both machines.
    for (const view of [page, other]) {
      await expect.poll(() => view.getByRole('region', { name: 'Members' }).textContent(), crossing).toContain(memberName);
      await expect.poll(() => view.getByRole('region', { name: 'Members' }).textContent(), crossing).toContain(chairName);
    }
    // The server says both are connected (the chair's panel asks it again on the member's roster entry arriving).
    await expect.poll(() => page.getByRole('region', { name: 'Members' }).getByRole('img', { name: 'Connected now' }).count(), crossing).toBe(2);
  }, 60_000);

  it('shows a rating made in the chair’s packet in the member’s committee view', async () => {
    const page = chair.page;
    const first = tallyRows(page).first();
    candidate = (await first.locator('.name').textContent()) ?? '';
    expect(candidate).not.toBe('');
    await first.click();
    await page.locator('#packet-name', { hasText: candidate }).waitFor();
    await page.getByRole('group', { name: /^Rating/ }).getByRole('button', { name: '4', exact: true }).click();

    const cell = tallyRow(member.page, candidate).getByRole('gridcell', { name: new RegExp(`^${chairName}: 4`) });
    await expect.poll(() => cell.count(), crossing).toBe(1);
  }, 60_000);

  it('shows a message posted in the member’s packet in the chair’s packet', async () => {
    const other = member.page;
    await tallyRow(other, candidate).click();
    await other.locator('#packet-name', { hasText: candidate }).waitFor();
    await other.getByRole('group', { name: /^Rating/ }).getByRole('button', { name: '2', exact: true }).click();
    const panel = committeePanel(other);
    await panel.scrollIntoViewIfNeeded();
    await panel.getByLabel('Write to the committee').fill('Strong job market paper; the second chapter is thin.');
    await panel.getByRole('button', { name: 'Post' }).click();
    await panel.getByText('Strong job market paper').waitFor();

    const chairPanel = committeePanel(chair.page);
    await expect.poll(() => chairPanel.getByRole('region', { name: 'Discussion' }).textContent(), crossing).toContain('Strong job market paper');
    // The member's own rating reached the chair's panel and table too.
    await expect.poll(() => tallyRow(chair.page, candidate).getByRole('gridcell', { name: new RegExp(`^${memberName}: 2`) }).count(), crossing).toBe(1);
    // The member's own table follows their own packet: a rating made there is not a committee call.
    await expect.poll(() => tallyRow(other, candidate).getByRole('gridcell', { name: new RegExp(`^${memberName}: 2`) }).count(), crossing).toBe(1);
    await expect.poll(() => tallyRow(other, candidate).getByRole('gridcell', { name: 'read by 2 of 2' }).count(), crossing).toBe(1);
  }, 60_000);

  it('sorts by a column header and filters with the chips, as their counts say', async () => {
    const page = member.page;
    await page.getByRole('button', { name: 'Sort by candidate' }).click();
    const names = async () => (await tallyRows(page).locator('.name').allTextContents());
    const ascending = await names();
    expect(ascending).toEqual(ascending.toSorted((a, b) => (a.toLocaleLowerCase() < b.toLocaleLowerCase() ? -1 : a.toLocaleLowerCase() > b.toLocaleLowerCase() ? 1 : 0)));
    await page.getByRole('button', { name: 'Sort by candidate' }).click();
    expect(await names()).toEqual(ascending.toReversed());
    await page.getByRole('button', { name: 'Disagreements first' }).click();
    // Back to the core's order: the one candidate rated (the others have no values) comes first, Z→A just before.
    expect((await names())[0]).toBe(candidate);

    const unread = page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Not read by me/ });
    const count = Number(await unread.locator('.chip-count').textContent());
    await unread.click();
    await expect.poll(() => tallyRows(page).count()).toBe(count);
    expect(await names()).not.toContain(candidate);
    await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^All/ }).click();
    await expect.poll(() => tallyRows(page).count()).toBe(ascending.length);
  }, 60_000);

  it('splits the reading from the chair’s members panel, and each member sees theirs', async () => {
    const page = chair.page;
    await page.getByRole('button', { name: 'Members', exact: true }).click();
    await page.getByRole('button', { name: 'Split the reading…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Split the reading' });
    await dialog.getByLabel('Readers per candidate').fill('1');
    await dialog.getByRole('button', { name: 'Split', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const assignedCount = async (view: Page) => Number(await view.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Assigned to me/ }).locator('.chip-count').textContent());
    const total = await tallyRows(page).count();
    // One reader per candidate: the two members' shares add up to every candidate, and both have some.
    await expect.poll(async () => {
      const shares = [await assignedCount(page), await assignedCount(member.page)];
      return { sum: shares.reduce((sum, share) => sum + share, 0), everyoneHasSome: shares.every((share) => share > 0) };
    }, crossing).toEqual({ sum: total, everyoneHasSome: true });
  }, 60_000);

  it('fits a 1024×700 window, and is photographed at 1024×700 and 1440×900', async () => {
    const page = member.page;
    await page.setViewportSize({ width: 1024, height: 700 });
    await expectNoSidewaysScroll(page);
    for (const control of [
      page.getByRole('button', { name: 'Export tally…' }),
      page.getByRole('button', { name: 'Members', exact: true }),
      page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Disagreements ?\d/ }),
      page.getByRole('button', { name: 'Sort by mean' }),
      page.getByRole('button', { name: 'Sort by discussion' }),
    ]) {
      await expectFullyInView(page, control);
    }
    const panel = committeePanel(page);
    await panel.getByRole('button', { name: 'Post' }).scrollIntoViewIfNeeded();
    await expectFullyInView(page, panel.getByRole('button', { name: 'Post' }));
    await expectFullyInView(page, panel.getByLabel('Your shared note'));
    await expectNoSidewaysScroll(page);

    await shoot(page, 'packet-panel', panel);
    await page.getByRole('button', { name: 'Members', exact: true }).click();
    await shoot(page, 'view');
    await page.getByRole('button', { name: 'All committees' }).click();
    await page.getByRole('heading', { name: 'Committees' }).waitFor();
    await page.setViewportSize({ width: 1024, height: 700 });
    await expectNoSidewaysScroll(page);
    await shoot(page, 'list');
    await page.getByRole('button', { name: 'Join with an invite code' }).click();
    await expectFullyInView(page, page.getByRole('button', { name: 'Join', exact: true }));
    await page.getByRole('button', { name: 'Cancel' }).click();
  }, 60_000);

  it('removes a member: the chair confirms, and the member is told they get nothing new', async () => {
    const page = chair.page;
    await page.getByRole('button', { name: `Remove ${memberName} from the committee` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove ${memberName}?` });
    await dialog.getByText(/keep what they already had/).waitFor();
    await shoot(page, 'remove-dialog');
    await dialog.getByRole('button', { name: 'Remove from committee' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('region', { name: 'Members' }).textContent(), crossing).toContain(`Removed: ${memberName}`);

    const removed = member.page.getByRole('listitem').filter({ hasText: committeeName }).getByRole('status');
    await expect.poll(() => removed.textContent(), crossing).toContain('You were removed from this committee');
  }, 60_000);
});
