/**
 * UI benchmark: the built renderer in Debian's Chromium through the real browser host.
 *
 *   npx node test/bench/ui.ts [--applications 10000]
 *
 * Seeds a data directory with N applications (default 10,000) and, as the baseline measured in the
 * same run, one with 100; then for each measures
 * - navigation → first rows drawn (target < 800 ms at 10,000),
 * - next-applicant navigation: key press → packet header shows the next applicant (p95 < 50 ms),
 *   and → the whole packet (documents, letters, note) is on screen,
 * - search as you type: key press → the table shows that prefix's results (p95 < 100 ms),
 * - the page's JS heap and DOM size before and after scrolling the whole list (must stay bounded).
 * Prints each figure, the ratio to the 100-application baseline, and the target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDataDir } from '../fixtures/seed.ts';
import { launchChromium, startHost } from '../e2e/ui-harness.ts';

interface Figures {
  firstRowsMs: number;
  nextHeaderP50: number;
  nextHeaderP95: number;
  nextPacketP95: number;
  searchP50: number;
  searchP95: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  domBefore: number;
  domAfter: number;
  rowsInList: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Records, from the page's own clock, when the first applicant row is attached. */
const firstRowProbe = `
  window.__firstRowAt = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector('.grid-body [role="row"]')) {
      window.__firstRowAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

async function heap(page: Page): Promise<{ mb: number; nodes: number }> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  await session.detach();
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  return { mb: usage.usedSize / 1024 / 1024, nodes };
}

/** Presses j in the page and times the packet header's change (and the full packet's arrival). */
async function nextApplicant(page: Page, steps: number): Promise<{ header: number[]; packet: number[] }> {
  return page.evaluate(async (count) => {
    const header: number[] = [];
    const packet: number[] = [];
    const text = () => document.getElementById('packet-name')?.textContent ?? '';
    const loaded = () => !document.querySelector('.packet-body [role="status"]');
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        if (done()) return resolve();
        const observer = new MutationObserver(() => {
          if (done()) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    for (let step = 0; step < count; step += 1) {
      const before = text();
      const start = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
      await until(() => text() !== before);
      header.push(performance.now() - start);
      await until(loaded);
      packet.push(performance.now() - start);
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
    }
    return { header, packet };
  }, steps);
}

/** Types words one key at a time and times each key until the table has that prefix's results. */
async function searchAsYouType(page: Page, words: string[]): Promise<number[]> {
  return page.evaluate(async (list) => {
    const input = document.getElementById('applicant-search') as HTMLInputElement;
    const grid = document.querySelector('[role="grid"]') as HTMLElement;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    const times: number[] = [];
    for (const word of list) {
      for (let length = 1; length <= word.length; length += 1) {
        const start = performance.now();
        const settled = new Promise<void>((resolve) => {
          let sawBusy = false;
          const observer = new MutationObserver(() => {
            const busy = grid.getAttribute('aria-busy') === 'true';
            if (busy) sawBusy = true;
            else if (sawBusy) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(grid, { attributes: true, attributeFilter: ['aria-busy'] });
        });
        setValue?.call(input, word.slice(0, length));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await settled;
        await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
        times.push(performance.now() - start);
      }
      setValue?.call(input, '');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return times;
  }, words);
}

async function scrollWholeList(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const scroller = document.querySelector('.table-scroll') as HTMLElement;
    let seen = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
      scroller.scrollTop += scroller.clientHeight;
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      seen += 1;
    }
    return seen;
  });
}

async function measure(browser: Browser, applications: number): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-bench-ui-'));
  const seeded = Date.now();
  await seedDataDir(dataDir, { applications, annotate: true, documents: 'shared' });
  console.error(`  seeded ${applications} applications in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const host = await startHost(dataDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(firstRowProbe);
    // A first visit warms the HTTP cache as a returning user's would be; the second is measured.
    await page.goto(host.url);
    await page.locator('.grid-body [role="row"]').first().waitFor();
    await page.reload();
    await page.locator('.grid-body [role="row"]').first().waitFor();
    const firstRowsMs = (await page.evaluate(() => (window as unknown as { __firstRowAt: number }).__firstRowAt)) ?? Number.NaN;

    await page.getByRole('button', { name: /^All applicants/ }).click();
    const total = (await host.call('applicants.list', { filter: {} })).total;
    await page.getByText(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} shown`).waitFor();
    await page.locator('.grid-body [role="row"]').first().click();
    await page.locator('body').click({ position: { x: 5, y: 890 } });

    const steps = Math.min(200, total - 1);
    await nextApplicant(page, 10);
    const next = await nextApplicant(page, steps);

    const words = ['anderson', 'labor economics', 'princeton', 'chen', 'macro'];
    await searchAsYouType(page, ['warm']);
    const search = await searchAsYouType(page, words);

    await page.getByRole('button', { name: /^All applicants/ }).click();
    await page.getByText(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} shown`).waitFor();
    const before = await heap(page);
    await scrollWholeList(page);
    const after = await heap(page);
    await page.close();
    return {
      firstRowsMs,
      nextHeaderP50: percentile(next.header, 50),
      nextHeaderP95: percentile(next.header, 95),
      nextPacketP95: percentile(next.packet, 95),
      searchP50: percentile(search, 50),
      searchP95: percentile(search, 95),
      heapBeforeMb: before.mb,
      heapAfterMb: after.mb,
      domBefore: before.nodes,
      domAfter: after.nodes,
      rowsInList: total,
    };
  } finally {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const flag = process.argv.indexOf('--applications');
const applications = flag === -1 ? 10_000 : Number(process.argv[flag + 1]);
const browser = await launchChromium();
try {
  console.error('baseline (100 applications)…');
  const baseline = await measure(browser, 100);
  console.error(`measured (${applications} applications)…`);
  const large = await measure(browser, applications);
  const rows: [string, keyof Figures, string, (value: number) => boolean][] = [
    ['navigation → first rows drawn (ms)', 'firstRowsMs', '< 800', (value) => value < 800],
    ['next applicant, header p50 (ms)', 'nextHeaderP50', '', () => true],
    ['next applicant, header p95 (ms)', 'nextHeaderP95', '< 50', (value) => value < 50],
    ['next applicant, whole packet p95 (ms)', 'nextPacketP95', '', () => true],
    ['search as you type p50 (ms)', 'searchP50', '', () => true],
    ['search as you type p95 (ms)', 'searchP95', '< 100', (value) => value < 100],
    ['JS heap before scrolling (MB)', 'heapBeforeMb', '', () => true],
    ['JS heap after scrolling all (MB)', 'heapAfterMb', '≤ 1.2 × before', (value) => value <= large.heapBeforeMb * 1.2],
    ['DOM elements before scrolling', 'domBefore', '', () => true],
    ['DOM elements after scrolling all', 'domAfter', '≤ 1.2 × before', (value) => value <= large.domBefore * 1.2],
    ['applications in the list', 'rowsInList', '', () => true],
  ];
  console.log(`\nUI benchmark — ${applications} applications vs a 100-application baseline, same run`);
  console.log(`${'metric'.padEnd(40)} ${'baseline'.padStart(10)} ${'measured'.padStart(10)} ${'ratio'.padStart(7)}  target`);
  for (const [label, key, target, ok] of rows) {
    const value = large[key];
    const ratio = baseline[key] > 0 ? (value / baseline[key]).toFixed(2) : '—';
    const verdict = target ? (ok(value) ? ' ✓' : ' ✗') : '';
    console.log(`${label.padEnd(40)} ${baseline[key].toFixed(1).padStart(10)} ${value.toFixed(1).padStart(10)} ${ratio.padStart(7)}  ${target}${verdict}`);
  }
} finally {
  await browser.close();
}
