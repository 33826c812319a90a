import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { runTool } from '../helpers/system-tool.ts';
import { callCore, screenshotDir, startE2eApp, type E2eApp } from './harness.ts';

/**
 * The export dialog end to end: the built renderer in Debian's Chromium, the real browser host and
 * core writing real files, each checked with an independent reader (`unzip`, csv-parse).
 */

let app: E2eApp;
let page: Page;
let firstJob: number;
let outDir: string;

const stored = <Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> => callCore(app, name, input);

const dialog = () => page.getByRole('dialog', { name: /^Export/ });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The content hashes of the letters the store holds for these applications. */
async function letterHashes(applicationIds: number[]): Promise<string[]> {
  const lookup = app.host().core.storage.db.prepare('SELECT sha256 FROM documents WHERE id = ?');
  const hashes: string[] = [];
  for (const applicationId of applicationIds) {
    const packet = await stored('applicants.packet', { applicationId });
    for (const letter of packet.letters) {
      const row = letter.documentId === null ? undefined : (lookup.get(letter.documentId) as { sha256: string | null } | undefined);
      if (row?.sha256) hashes.push(row.sha256);
    }
  }
  return hashes.sort();
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  outDir = mkdtempSync(join(tmpdir(), 'dossier-export-ui-'));
  app = await startE2eApp({ seed: { applications: 60, annotate: true, documents: 'unique' } });
  page = app.page;
  firstJob = app.seeded?.jobIds[0] ?? 0;
  await page.locator('.grid-body [role="row"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the export dialog', () => {
  it('opens from the toolbar as a modal that keeps focus inside and gives it back on Escape', async () => {
    const button = page.getByRole('button', { name: 'Export…' });
    await button.click();
    await dialog().waitFor();
    expect(await dialog().getAttribute('aria-modal')).toBe('true');
    const info = await stored('app.info', {});
    expect(await dialog().getByLabel('Save as').inputValue()).toBe(join(info.downloadsDir, `Letters - ${(await stored('jobs.list', {}))[0]?.title}.zip`));
    for (let step = 0; step < 14; step += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog().locator(':focus').count()).toBe(1);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await page.locator(':focus').textContent()).toBe('Export…');
  });

  it('exports the shortlist’s letters as a ZIP by keyboard, holding only those applicants’ letters', async () => {
    await page.locator('body').press('e');
    await dialog().waitFor();
    // Focus starts on the kind (letters); Tab moves to the applicants group, arrows pick the shortlist.
    expect(await page.locator(':focus').getAttribute('value')).toBe('letters');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await dialog().getByRole('radio', { name: /shortlist/ }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    const target = join(outDir, 'shortlist letters.zip');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(target);
    await shootDialog();
    await page.keyboard.press('Enter');
    await dialog().getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(await dialog().getByTestId('export-file').textContent()).toBe(target);
    await page.screenshot({ path: join(screenshotDir, 'export-done.png') });

    runTool('unzip', ['-tq', target]);
    const entries = runTool('unzip', ['-Z1', target]).split('\n').filter((name) => name && !name.endsWith('/'));
    expect(entries[0]).toBe('manifest.csv');
    const shortlist = await stored('applicants.list', { filter: { jobId: firstJob, statuses: ['shortlisted', 'interview', 'offer'] } });
    expect(shortlist.total).toBeGreaterThan(0);
    const expected = await letterHashes(shortlist.rows.map((row) => row.applicationId));
    expect(expected.length).toBeGreaterThan(0);
    const actual = entries.slice(1).map((name) => sha256(execFileSync('unzip', ['-p', target, name], { maxBuffer: 64 * 1024 * 1024 }))).sort();
    expect(actual).toEqual(expected);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog().count()).toBe(0);
  });

  it('exports the job’s applicant table as CSV with the mouse', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog().getByLabel('Save as').fill(join(outDir, 'table.zip'));
    await dialog().getByText('Applicant table').click();
    await dialog().getByRole('radio', { name: /^This job/ }).check();
    // A typed path takes the extension of what is chosen after it.
    const target = join(outDir, 'table.csv');
    expect(await dialog().getByLabel('Save as').inputValue()).toBe(target);
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    await dialog().getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const rows = parse(readFileSync(target), { columns: true, bom: true }) as Record<string, string>[];
    const job = await stored('applicants.list', { filter: { jobId: firstJob } });
    expect(rows.map((row) => Number(row['Application ID'])).sort()).toEqual(job.rows.map((row) => row.applicationId).sort());
    await dialog().getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
  });

  it('shows why an export failed and the action that fixes it', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog().getByText('Applicant table').click();
    await dialog().getByLabel('Save as').fill(join(outDir, 'no such folder', 'table.csv'));
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    await dialog().getByRole('alert').filter({ hasText: 'does not exist' }).waitFor();
    await dialog().getByRole('button', { name: 'Choose another location' }).click();
    expect(await page.locator(':focus').inputValue()).toContain('no such folder');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
  });

  it('cancels a running packet export, leaving no file behind', async () => {
    const before = readdirSync(outDir).sort();
    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog().getByText('Applicant packets').click();
    await dialog().getByLabel('My rating, status and tags on each cover').check();
    await dialog().getByRole('radio', { name: /^This job/ }).check();
    const target = join(outDir, 'packets.zip');
    await dialog().getByLabel('Save as').fill(target);
    await page.screenshot({ path: join(screenshotDir, 'export-dialog-packets.png') });
    const release = stallDiskAtFirstProgress();
    await dialog().getByRole('button', { name: 'Export', exact: true }).click();
    const bar = dialog().getByRole('progressbar', { name: 'Export progress' });
    await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0)).toBeGreaterThan(0);
    // While it runs Escape does not close the dialog: only Cancel stops the export.
    await page.keyboard.press('Escape');
    expect(await dialog().count()).toBe(1);
    // Written by this thread: Playwright's own file write would wait on the stalled disk.
    writeFileSync(join(screenshotDir, 'export-progress.png'), await page.screenshot());
    await dialog().getByRole('button', { name: 'Cancel export' }).click();
    // The disk answers again only once the core has the cancel, so the export cannot finish first.
    await expect.poll(() => readFileSync(app.host().core.paths.logFile, 'utf8').includes('"event":"export.cancel","running":1')).toBe(true);
    await release();
    await dialog().getByRole('status').filter({ hasText: 'cancelled' }).waitFor();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(outDir).sort()).toEqual(before);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
  });
});

/**
 * Stalls every file operation of this process (the one the core runs in) from the export's first
 * progress report on, as a disk that stops answering would: Node runs file operations on libuv's
 * thread pool, and opening a FIFO that has no writer holds a pool thread until one comes, so a
 * FIFO per thread leaves the export's next read waiting. The first packet is written (progress
 * moves) and the export is still running however slow the machine, so Cancel always lands
 * mid-export. The returned function lets the disk answer again.
 */
function stallDiskAtFirstProgress(): () => Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'dossier-stalled-'));
  const fifos = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE ?? 4) }, (_, index) => join(folder, `stall-${index}`));
  for (const fifo of fifos) execFileSync('mkfifo', ['-m', '600', fifo]);
  let held: Promise<FileHandle>[] = [];
  const stop = app.host().core.events.on('export.progress', ({ done }) => {
    if (done === 0) return;
    stop();
    held = fifos.map((fifo) => open(fifo, 'r'));
  });
  return async () => {
    stop();
    for (const fifo of fifos) {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch (error) {
        // ENXIO: nobody is reading it, so nothing is held.
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      }
    }
    for (const handle of await Promise.all(held)) await handle.close();
    rmSync(folder, { recursive: true, force: true });
  };
}

async function shootDialog(): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, 'export-dialog.png') });
}
