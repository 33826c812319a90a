import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PassThrough } from 'node:stream';
import { FileVault } from '../../electron/host/file-vault.ts';
import { dataPaths } from '../../electron/core/base/paths.ts';
import type { RetryTiming } from '../../electron/core/sync/engine.ts';
import { launchBrowserHost, type LaunchedHost } from '../../electron/web/launch.ts';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { seedDataDir, type SeedOptions, type SeedResult } from '../fixtures/seed.ts';

/**
 * Where the end-to-end tests leave their screenshots for a person to look at: an ignored folder,
 * so a test run leaves the checkout as it found it (docs/screenshot.png is the README's, taken by hand).
 */
export const screenshotDir = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Debian's Chromium (docs/decisions/0001-core-under-plain-node.md), with the flags that keep it quiet and off the network. */
export const chromiumPath = '/usr/bin/chromium';
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags, headless: true });
}

/** The e2e vault passphrase; the scrypt cost is lowered so unlocking does not dominate a test. */
const testPassphrase = 'e2e passphrase';
const testScryptCost = { N: 2 ** 12, r: 8, p: 1 };

export interface E2eAppOptions {
  /** Fill the data directory before the host starts. */
  readonly seed?: SeedOptions;
  /** Reuse a data directory (it is then not deleted on close). */
  readonly dataDir?: string;
  readonly viewport?: { width: number; height: number };
  /** Start as a new user does: the host's own vault, with no DOSSIER_PASSPHRASE and no terminal. */
  readonly newUser?: boolean;
  /** Shortens how long a sync waits out a failing provider (the real backoff, at test speed). */
  readonly retry?: RetryTiming;
}

export interface E2eApp {
  readonly dataDir: string;
  readonly seeded: SeedResult | undefined;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The running host; replaced by `restart()`. */
  host(): LaunchedHost;
  /** The address with this launch's token, as `dossier serve` prints it. */
  url(): string;
  /** Every URL the core asked to open in the system browser (sign-in pages, documents). */
  readonly openedUrls: string[];
  /** Resolves with the next URL the core opens in the system browser. */
  nextOpenedUrl(): Promise<string>;
  /** Stops the host and starts it again on the same data directory (a new token), then reloads the page. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Completes a sandbox's login and consent page in a second tab of the app's browser, as the user would in theirs. */
export async function consentInSandbox(app: E2eApp, authorizeUrl: string): Promise<void> {
  const tab = await app.context.newPage();
  try {
    await tab.goto(authorizeUrl);
    await tab.fill('input[name=password]', 'sandbox');
    await tab.click('button[value=allow]');
    await tab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/);
  } finally {
    await tab.close();
  }
}

/** Calls the core behind the page directly (to arrange data or read what the page stored), failing on an error value. */
export async function callCore<Name extends ApiName>(app: E2eApp, name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
  const outcome = await app.host().core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
  return outcome.result as ApiResult<Name>;
}

/**
 * Starts the real browser host in this process on a temporary data directory (optionally seeded)
 * and opens it in Chromium, as a user would open the address `dossier serve` prints.
 */
export async function startE2eApp(options: E2eAppOptions = {}): Promise<E2eApp> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dossier-e2e-'));
  const seeded = options.seed ? await seedDataDir(dataDir, options.seed) : undefined;
  const openedUrls: string[] = [];
  const waiters: ((url: string) => void)[] = [];
  const openExternal = async (url: string) => {
    openedUrls.push(url);
    waiters.shift()?.(url);
  };
  const launch = async (port?: number) => launchBrowserHost({
    dataDir,
    ...(port === undefined ? {} : { port }),
    ...(options.newUser === true
      ? { secrets: { stdin: new PassThrough(), stderr: new PassThrough(), env: {} } }
      : { vault: await FileVault.open(dataPaths(dataDir).vault, testPassphrase, { cost: testScryptCost }) }),
    openExternal,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
  let host = await launch();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(host.host.url);
  return {
    dataDir,
    seeded,
    browser,
    context,
    page,
    host: () => host,
    url: () => host.host.url,
    openedUrls,
    nextOpenedUrl: () => new Promise((resolve) => waiters.push(resolve)),
    restart: async () => {
      const port = host.host.port;
      await host.close();
      host = await launch(port);
      await page.goto(host.host.url);
    },
    close: async () => {
      await browser.close();
      await host.close();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
