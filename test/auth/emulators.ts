import type { Browser } from 'playwright-core';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { NewAccount } from '../../electron/core/accounts/service.ts';
import type { ProviderRequest } from '../../electron/core/providers/kit/session.ts';
import type { ReadyLine, StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { launchBrowser, newPage, testCore, type TestCore } from './helpers.ts';

/** POSTs a control action to a running emulator (`/__sandbox/<name>`). */
export async function control(ready: Pick<ReadyLine, 'baseUrl'>, name: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const origin = new URL(ready.baseUrl).origin;
  const response = await request(`${origin}/__sandbox/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.statusCode !== 200) throw new Error(`control ${name} answered ${response.statusCode}: ${await response.body.text()}`);
  return response.body.json();
}

/**
 * Completes a sandbox provider's login/consent page in Chromium as the user would (the sandbox
 * user's password is "sandbox"), and returns the page Dossier's loopback listener showed.
 */
export async function consentInBrowser(browser: Browser, authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<{ text: string; callbackUrl: string }> {
  const page = await newPage(browser);
  try {
    await page.goto(authorizeUrl);
    if (decision === 'allow') await page.fill('input[name=password]', 'sandbox');
    await page.click(`button[value=${decision}]`);
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/);
    return { text: await page.locator('body').innerText(), callbackUrl: page.url() };
  } finally {
    await page.close();
  }
}

export interface ProviderSandbox<Emulator extends StartedEmulator> {
  /** A fresh core (own data directory and vault) for each test. */
  readonly core: TestCore;
  /** A fresh emulator for each test. */
  readonly emulator: Emulator;
  /** The file's Chromium (only for `withBrowser` sandboxes). */
  readonly browser: Browser;
  /** Adds an account on the emulator with its registered client (or another secret, to test a wrong one). */
  account(settings: Omit<NewAccount, 'baseUrl' | 'clientId' | 'clientSecret'> & { clientSecret?: string }): Promise<number>;
  /**
   * Starts `signIn` and completes the consent page in Chromium (only for `withBrowser` sandboxes).
   * The outcome is returned unawaited so a test can assert on a refused sign-in.
   */
  signInWithBrowser(accountId: number, decision?: 'allow' | 'deny'): Promise<{ text: string; outcome: Promise<unknown> }>;
  /** Sends one request through the account's session and returns the status (the body is discarded). */
  statusOf(accountId: number, request: ProviderRequest): Promise<number>;
}

/**
 * Registers the hooks every per-provider sign-in test needs: a new core and emulator before each
 * test, both closed after it, and with `withBrowser` one Chromium for the file.
 */
export function useProviderSandbox<Emulator extends StartedEmulator>(start: () => Promise<Emulator>, options: { withBrowser?: boolean } = {}): ProviderSandbox<Emulator> {
  let browser: Browser | undefined;
  let core: TestCore | undefined;
  let emulator: Emulator | undefined;
  if (options.withBrowser) {
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());
  }
  beforeEach(async () => {
    core = await testCore();
    emulator = await start();
  });
  afterEach(async () => {
    await core?.close();
    await emulator?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what}: use the sandbox inside a test`);
    return value;
  };
  return {
    get core() {
      return started(core, 'core');
    },
    get emulator() {
      return started(emulator, 'emulator');
    },
    get browser() {
      return started(browser, 'browser (start the sandbox withBrowser)');
    },
    async account({ clientSecret, ...settings }) {
      const { ready } = this.emulator;
      const input = { ...settings, baseUrl: ready.baseUrl, clientId: ready.clientId, clientSecret: clientSecret ?? ready.clientSecret };
      return (await this.core.core.services.accounts.add(input)).id;
    },
    async signInWithBrowser(accountId, decision = 'allow') {
      const opened = this.core.nextOpened();
      const outcome = this.core.core.services.auth.signIn(accountId);
      outcome.catch(() => undefined);
      const { text } = await consentInBrowser(started(browser, 'browser (start the sandbox withBrowser)'), await opened, decision);
      return { text, outcome };
    },
    async statusOf(accountId, request) {
      const session = await this.core.core.services.auth.openSession(accountId);
      const response = await session.request(request);
      await response.body.dump();
      return response.statusCode;
    },
  };
}
