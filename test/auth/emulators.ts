import type { Browser } from 'playwright-core';
import { request } from 'undici';
import type { ReadyLine } from '../../electron/core/sandbox/registry.ts';
import { newPage } from './helpers.ts';

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
