/**
 * UI benchmark: the built renderer in Debian's Chromium through the real browser host.
 *
 *   npm run build:renderer && npx node test/bench/ui.ts [--applications 10000]   (or npm run bench:ui)
 *
 * Seeds a data directory with N applications (default 10,000) and, as the baseline measured in the
 * same run, one with 100; then for each measures
 * - navigation → first rows drawn (target < 800 ms at 10,000),
 * - next-applicant navigation: key press → packet header shows the next applicant (p95 < 50 ms),
 *   and → the whole packet (documents, letters, note) is on screen,
 * - search as you type: key press → the table shows that prefix's matches among the loaded rows
 *   (p95 < 100 ms), and → the full-text index's answer (answers, letters, papers) replaces them,
 * - the page's JS heap and DOM size before and after scrolling the whole list (must stay bounded),
 * - the core's full-text search (`search.query`, as the search box calls it through the host) over
 *   `searchMix` below, a third of it several words (p95 < 10 ms at 10,000).
 * Prints each figure, the ratio to the 100-application baseline, and the target.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startE2eApp, type E2eApp } from '../e2e/harness.ts';

interface Figures {
  firstRowsMs: number;
  nextHeaderP50: number;
  nextHeaderP95: number;
  nextPacketP95: number;
  searchP50: number;
  searchP95: number;
  searchIndexedP95: number;
  fullTextP50: number;
  fullTextP95: number;
  fullTextMultiWordP95: number;
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

/**
 * What runs inside the page, as plain script text: this file is type-checked for Node, not the DOM.
 * - the first applicant row's attach time, on the page's own clock (0 = navigation start);
 * - nextApplicant(n): presses j n times, timing each until the packet header names the next
 *   applicant, and until the whole packet is on screen;
 * - searchAsYouType(words): types each word one key at a time, timing each key until the table's
 *   next frame (local matches) and until the index's answer is shown (aria-busy true, then false);
 * - scrollWholeList(): scrolls the table to the bottom a screen at a time, one frame per screen.
 */
const pageScript = `
  window.__firstRowAt = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector('.grid-body [role="row"]')) {
      window.__firstRowAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });

  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
  const until = (done, target = document.body, options = { subtree: true, childList: true, characterData: true, attributes: true }) =>
    new Promise((resolve, reject) => {
      if (done()) return resolve();
      const observer = new MutationObserver(() => {
        if (done()) { observer.disconnect(); clearTimeout(timer); resolve(); }
      });
      const timer = setTimeout(() => { observer.disconnect(); reject(new Error('the page did not update within 10 s')); }, 10000);
      observer.observe(target, options);
    });

  window.__bench = {
    async nextApplicant(count) {
      const header = [];
      const packet = [];
      // The header shows the next applicant: the pane names its application (names can repeat).
      const shown = () => document.querySelector('.packet')?.getAttribute('data-application-id') + '|' + document.getElementById('packet-name')?.textContent;
      const loaded = () => document.querySelector('.packet')?.getAttribute('aria-busy') === 'false';
      for (let step = 0; step < count; step += 1) {
        const before = shown();
        const start = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
        await until(() => shown() !== before);
        header.push(performance.now() - start);
        await until(loaded);
        packet.push(performance.now() - start);
        await frame();
      }
      return { header, packet };
    },
    async searchAsYouType(words) {
      const input = document.getElementById('applicant-search');
      const grid = document.querySelector('[role="grid"]');
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const type = (value) => { setValue.call(input, value); input.dispatchEvent(new Event('input', { bubbles: true })); };
      const shown = [];
      const indexed = [];
      for (const word of words) {
        for (let length = 1; length <= word.length; length += 1) {
          let sawBusy = false;
          const settled = until(() => {
            if (grid.getAttribute('aria-busy') === 'true') sawBusy = true;
            return sawBusy && grid.getAttribute('aria-busy') === 'false';
          }, grid, { attributes: true, attributeFilter: ['aria-busy'] });
          const start = performance.now();
          type(word.slice(0, length));
          // The table's first answer to this key: the next frame, after React has committed.
          await frame();
          await new Promise((resolve) => setTimeout(resolve, 0));
          shown.push(performance.now() - start);
          // An answer that comes back before React commits aria-busy="true" changes no attribute at
          // all: when two frames after the key the grid was never busy, the answer is already shown.
          settled.catch(() => undefined);
          await frame();
          if (sawBusy || grid.getAttribute('aria-busy') !== 'false') await settled;
          await frame();
          indexed.push(performance.now() - start);
        }
        type('');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return { shown, indexed };
    },
    async scrollWholeList() {
      const scroller = document.querySelector('.table-scroll');
      let screens = 0;
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
        scroller.scrollTop += scroller.clientHeight;
        await frame();
        screens += 1;
      }
      return screens;
    },
  };
`;

async function heap(page: Page): Promise<{ mb: number; nodes: number }> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  await session.detach();
  const nodes = (await page.evaluate("document.getElementsByTagName('*').length")) as number;
  return { mb: usage.usedSize / 1024 / 1024, nodes };
}

const nextApplicant = (page: Page, steps: number) =>
  page.evaluate(`window.__bench.nextApplicant(${steps})`) as Promise<{ header: number[]; packet: number[] }>;
const searchAsYouType = (page: Page, words: string[]) =>
  page.evaluate(`window.__bench.searchAsYouType(${JSON.stringify(words)})`) as Promise<{ shown: number[]; indexed: number[] }>;
/**
 * What reviewers type into the search box, as whole queries: two thirds single words (names,
 * places, fields, a position), one third several words: names, institutions with their "of",
 * a field, a quoted phrase. Every query runs once to warm up, then `searchRounds` times measured.
 */
const searchMix = [
  'anderson', 'chen', 'princeton', 'macro', 'econometrics', 'johnson', 'stanford', 'harvard', 'trade', 'toulouse', 'doctoral', 'zürich',
  'Massachusetts Institute of Technology', 'University of Chicago', 'labor economics', '"Economics of Education"', 'Andrew Johnson', 'London School of Economics',
];
const searchRounds = 5;

async function fullTextSearch(app: E2eApp): Promise<{ all: number[]; multiWord: number[] }> {
  const all: number[] = [];
  const multiWord: number[] = [];
  for (let round = 0; round <= searchRounds; round += 1) {
    for (const query of searchMix) {
      const start = performance.now();
      const outcome = await app.host().core.dispatch('search.query', { query, limit: 100 });
      const elapsed = performance.now() - start;
      if (!outcome.ok) throw new Error(`search.query failed for ${query}`);
      if (round === 0) continue;
      all.push(elapsed);
      if (query.includes(' ')) multiWord.push(elapsed);
    }
  }
  return { all, multiWord };
}

const scrollWholeList = (page: Page) => page.evaluate('window.__bench.scrollWholeList()') as Promise<number>;

async function measure(applications: number): Promise<Figures> {
  const seeding = Date.now();
  const app = await startE2eApp({ seed: { applications, annotate: true, documents: 'shared' } });
  console.error(`  seeded ${applications} applications and started the host in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  const { page } = app;
  try {
    await page.addInitScript(pageScript);
    // The harness's first visit warms the HTTP cache as a returning user's would be; this one is measured.
    await page.reload();
    await page.locator('.grid-body [role="row"]').first().waitFor();
    const firstRowsMs = ((await page.evaluate('window.__firstRowAt')) as number | null) ?? Number.NaN;

    await page.getByRole('button', { name: /^All applicants/ }).click();
    const outcome = await app.host().core.dispatch('applicants.list', { filter: {} });
    const total = outcome.ok ? (outcome.result as { total: number }).total : 0;
    await page.getByText(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} shown`).waitFor();
    await page.locator('.grid-body [role="row"]').first().click();
    await page.keyboard.press('Home');

    // Ten presses to warm up, then up to 200 measured, never running off the end of the list.
    await nextApplicant(page, 10);
    const next = await nextApplicant(page, Math.min(200, total - 11));

    const words = ['anderson', 'labor economics', 'princeton', 'chen', 'macro'];
    await searchAsYouType(page, ['warm']);
    const search = await searchAsYouType(page, words);
    // After the page has settled: the core answers the mix with nothing else asking it.
    const fullText = await fullTextSearch(app);

    await page.getByRole('button', { name: /^All applicants/ }).click();
    await page.getByText(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} shown`).waitFor();
    const before = await heap(page);
    await scrollWholeList(page);
    const after = await heap(page);
    return {
      firstRowsMs,
      nextHeaderP50: percentile(next.header, 50),
      nextHeaderP95: percentile(next.header, 95),
      nextPacketP95: percentile(next.packet, 95),
      searchP50: percentile(search.shown, 50),
      searchP95: percentile(search.shown, 95),
      searchIndexedP95: percentile(search.indexed, 95),
      fullTextP50: percentile(fullText.all, 50),
      fullTextP95: percentile(fullText.all, 95),
      fullTextMultiWordP95: percentile(fullText.multiWord, 95),
      heapBeforeMb: before.mb,
      heapAfterMb: after.mb,
      domBefore: before.nodes,
      domAfter: after.nodes,
      rowsInList: total,
    };
  } finally {
    await app.close();
  }
}

if (!existsSync(new URL('../../dist/renderer/index.html', import.meta.url))) {
  console.error('The renderer is not built: run `npm run build:renderer` first.');
  process.exit(1);
}

const flag = process.argv.indexOf('--applications');
const applications = flag === -1 ? 10_000 : Number(process.argv[flag + 1]);
console.error('baseline (100 applications)…');
const baseline = await measure(100);
console.error(`measured (${applications} applications)…`);
const large = await measure(applications);
const rows: [string, keyof Figures, string, (value: number) => boolean][] = [
  ['navigation → first rows drawn (ms)', 'firstRowsMs', '< 800', (value) => value < 800],
  ['next applicant, header p50 (ms)', 'nextHeaderP50', '', () => true],
  ['next applicant, header p95 (ms)', 'nextHeaderP95', '< 50', (value) => value < 50],
  ['next applicant, whole packet p95 (ms)', 'nextPacketP95', '', () => true],
  ['search as you type, table p50 (ms)', 'searchP50', '', () => true],
  ['search as you type, table p95 (ms)', 'searchP95', '< 100', (value) => value < 100],
  ['search, full-text results p95 (ms)', 'searchIndexedP95', '', () => true],
  ['full-text search.query p50 (ms)', 'fullTextP50', '', () => true],
  ['full-text search.query p95 (ms)', 'fullTextP95', '< 10', (value) => value < 10],
  ['  of which several words, p95 (ms)', 'fullTextMultiWordP95', '', () => true],
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
