import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The browser host's request checks. The host listens on 127.0.0.1 only, but any web page the
 * user visits can still aim requests at it, so every request must prove three things:
 * - it was addressed to us by a loopback name (Host), so a DNS-rebinding page cannot reach us;
 * - it carries this launch's secret token, which only the URL `dossier serve` printed holds;
 * - where a browser says where it comes from (Origin, Sec-Fetch-Site), it comes from our own page.
 */

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function loopbackOrigins(port: number): readonly string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Only `127.0.0.1:<port>` and `localhost:<port>`: a rebinding attacker's page sends its own host name here. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const lowered = host.toLowerCase();
  return lowered === `127.0.0.1:${port}` || lowered === `localhost:${port}`;
}

/**
 * A browser always sends Origin on POST and on WebSocket upgrades, and Sec-Fetch-Site on every
 * request: both must say the request comes from our own page (or, for Sec-Fetch-Site `none`, from
 * the user typing or pasting the address). Neither header means a non-browser client (a test, a
 * script), which still needs the token.
 */
export function originAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin;
  if (origin !== undefined && !loopbackOrigins(port).includes(origin.toLowerCase())) return false;
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The cookie is per port: cookies ignore ports, and two hosts (or a stale tab) must not trample each other. */
export function cookieName(port: number): string {
  return `dossier-${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Where a request may carry the token: the Authorization header, the `token` query parameter, or the session cookie. */
export function presentedTokens(headers: IncomingHttpHeaders, url: URL, port: number): string[] {
  const found: string[] = [];
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) found.push(authorization.slice('Bearer '.length).trim());
  const query = url.searchParams.get('token');
  if (query) found.push(query);
  const cookie = cookieValue(headers.cookie, cookieName(port));
  if (cookie) found.push(cookie);
  return found;
}

/** Compares in constant time (over fixed-length digests, so the length leaks nothing either). */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function contentSecurityPolicy(port: number): string {
  const sockets = loopbackOrigins(port).map((origin) => origin.replace('http://', 'ws://')).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${sockets}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Stored documents come from providers: whatever they contain must never run as our page. */
export const documentSecurityPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

export const commonHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};
