import { createHash, randomBytes } from 'node:crypto';

/**
 * Drives an emulator's login/consent page with plain HTTP, the way a browser without JavaScript
 * would: GET the page, read its form, POST it back, and return where the server redirects.
 */
export interface ConsentResult {
  status: number;
  location: URL | null;
  html: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function consentPage(authorizeUrl: string): Promise<{ status: number; html: string; action: string; fields: URLSearchParams }> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(match[1] as string, unescapeHtml(match[2] as string));
  }
  const username = /<input id="username" name="username"[^>]*value="([^"]*)"/.exec(html)?.[1];
  if (username !== undefined) fields.set('username', unescapeHtml(username));
  return { status: response.status, html, action, fields };
}

/** Completes the page: signs in with `password` and presses Allow or Deny. */
export async function completeConsent(authorizeUrl: string, options: { decision: 'allow' | 'deny'; password?: string; tamper?: Record<string, string> }): Promise<ConsentResult> {
  const page = await consentPage(authorizeUrl);
  if (!page.action) return { status: page.status, location: null, html: page.html };
  const form = new URLSearchParams(page.fields);
  const hint = /Sandbox sign-in: [^/]+ \/ ([^<]+)</.exec(page.html)?.[1];
  form.set('password', options.password ?? unescapeHtml(hint?.trim() ?? ''));
  form.set('decision', options.decision);
  for (const [key, value] of Object.entries(options.tamper ?? {})) form.set(key, value);
  const response = await fetch(new URL(unescapeHtml(page.action), authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : null, html: await response.text() };
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] as string);
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}
