import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dataPaths } from '../../electron/core/base/paths.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { FileVault } from '../../electron/host/file-vault.ts';
import type { Account } from '../../shared/domain.ts';

/** A cheap scrypt cost so each test vault opens in milliseconds; the format and cipher are the real ones. */
export const testScryptCost = { N: 2 ** 10, r: 8, p: 1 };
export const testPassphrase = 'correct horse battery staple';

export interface TestCore {
  readonly core: Core;
  readonly dataDir: string;
  readonly vault: FileVault;
  /** Every URL the core asked to open in the system browser. */
  readonly opened: string[];
  /** Every `account.state` event. */
  readonly states: Account[];
  /** Resolves with the next URL the core opens. */
  nextOpened(): Promise<string>;
  close(): Promise<void>;
}

/** A core on a new data directory, as the command line composes it, with an encrypted vault and a record of what it opened and announced. */
export async function testCore(): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-auth-'));
  const vault = await FileVault.open(dataPaths(dataDir).vault, testPassphrase, { cost: testScryptCost });
  const opened: string[] = [];
  const states: Account[] = [];
  const waiters: ((url: string) => void)[] = [];
  const core = createCore({
    dataDir,
    vault,
    openExternal: async (url) => {
      opened.push(url);
      waiters.shift()?.(url);
    },
    host: 'cli',
    documentUrl: (id) => `dossier://document/${id}`,
  });
  core.events.on('account.state', (account) => states.push(account));
  return {
    core,
    dataDir,
    vault,
    opened,
    states,
    nextOpened: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second core on the same data directory, with its own database connection and vault instance, as another process would have. */
export async function openOtherProcessCore(first: TestCore): Promise<Core> {
  const vault = await FileVault.open(dataPaths(first.dataDir).vault, testPassphrase, { cost: testScryptCost });
  return createCore({ dataDir: first.dataDir, vault, openExternal: async () => undefined, host: 'cli', documentUrl: (id) => `dossier://document/${id}` });
}

/** Debian's Chromium, driven by Playwright (docs/decisions/0001-core-under-plain-node.md); only 127.0.0.1 is reachable from its pages. */
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
