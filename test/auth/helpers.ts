import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CoreDeps } from '../../electron/core/api/deps.ts';
import { FileVault } from '../../electron/core/auth/file-vault.ts';
import { openCore } from '../../electron/core/context.ts';
import { CoreEvents } from '../../electron/core/events.ts';
import type { Account } from '../../shared/domain.ts';

/** A cheap scrypt cost so each test vault opens in milliseconds; the format and cipher are the real ones. */
export const testScryptCost = { N: 2 ** 10, r: 8, p: 1 };
export const testPassphrase = 'correct horse battery staple';

export interface TestCore {
  readonly deps: CoreDeps;
  readonly dataDir: string;
  readonly vault: FileVault;
  /** Every URL the core asked to open in the system browser. */
  readonly opened: string[];
  /** Every `account.state` event. */
  readonly states: Account[];
  /** Resolves with the next URL the core opens. */
  nextOpened(): Promise<string>;
  close(): void;
}

export async function testCore(): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-auth-'));
  const context = openCore(dataDir);
  const vault = await FileVault.open(context.paths.vault, testPassphrase, { cost: testScryptCost });
  const events = new CoreEvents();
  const opened: string[] = [];
  const states: Account[] = [];
  const waiters: ((url: string) => void)[] = [];
  events.on('account.state', (account) => states.push(account));
  const deps: CoreDeps = {
    context,
    events,
    vault,
    openExternal: async (url) => {
      opened.push(url);
      waiters.shift()?.(url);
    },
    host: 'cli',
    documentUrl: (id) => `dossier://document/${id}`,
  };
  return {
    deps,
    dataDir,
    vault,
    opened,
    states,
    nextOpened: () => new Promise((resolve) => waiters.push(resolve)),
    close() {
      context.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second core on the same data directory, with its own database connection and vault instance, as another process would have. */
export async function openOtherProcessCore(first: TestCore): Promise<{ deps: CoreDeps; close(): void }> {
  const context = openCore(first.dataDir);
  const vault = await FileVault.open(context.paths.vault, testPassphrase, { cost: testScryptCost });
  const deps: CoreDeps = { ...first.deps, context, vault, events: new CoreEvents() };
  return { deps, close: () => context.close() };
}

/** Debian's Chromium, driven by Playwright (DESIGN.md §1); only 127.0.0.1 is reachable from its pages. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  return page;
}
