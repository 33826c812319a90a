import { isApiName, parseInput, type ApiName } from '../../shared/contract.ts';
import type { DossierErrorValue } from '../../shared/errors.ts';
import { hasCredentials, parseUrl, safeExternalUrl } from '../host/open.ts';
import { appHost, appOrigin, appScheme } from '../utility/core-protocol.ts';

/**
 * Every security decision the shell makes, as plain functions without side effects, so each one is
 * tested under Node (Electron's security checklist). The Electron wiring in this folder only calls
 * these; nothing here imports `electron`.
 */

export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * The origin as Chromium computes it for http(s) and our registered standard scheme (Node's URL
 * reports `null` for `app:`), from the parsed host, never from a string prefix.
 */
export function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** True only for a parsed URL on exactly `app://dossier`. */
export function isAppUrl(raw: unknown): boolean {
  const url = parseUrl(raw);
  return url !== undefined && url.protocol === `${appScheme}:` && url.host === appHost && !hasCredentials(url);
}

export interface OriginAllowList {
  allows(raw: unknown): boolean;
  readonly origins: ReadonlySet<string>;
}

/**
 * An allow-list compared by parsed origin (scheme, host, port). `https://provider.example.com.attacker.test`
 * or `https://provider.example.com@attacker.test` never match `https://provider.example.com`.
 */
export function createOriginAllowList(entries: Iterable<string>): OriginAllowList {
  const origins = new Set<string>();
  for (const entry of entries) {
    const url = parseUrl(entry);
    if (url && (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === `${appScheme}:`)) origins.add(originOf(url));
  }
  return {
    origins,
    allows: (raw) => {
      const url = parseUrl(raw);
      return url !== undefined && !hasCredentials(url) && origins.has(originOf(url));
    },
  };
}

/**
 * The `webPreferences` of every window (checklist items 2–4, 6, 8–11): isolated, sandboxed, no Node,
 * web security on, no insecure content, no experimental or Blink features, no `<webview>`.
 */
export function secureWebPreferences(preload: string, options: { devTools: boolean }) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: options.devTools,
  } as const;
}

/** A link the page asked to open: only to an origin the app itself knows (a provider's site). */
export function allowedExternalLink(raw: unknown, providerOrigins: OriginAllowList): string | undefined {
  const safe = safeExternalUrl(raw);
  return safe !== undefined && providerOrigins.allows(safe) ? safe : undefined;
}

export type NavigationDecision = { action: 'allow' } | { action: 'deny'; openExternal?: string };

/**
 * `will-navigate` / `will-frame-navigate` / `will-redirect`: the page may only move within the app;
 * a click on a provider link is opened in the system browser instead; everything else stays put.
 */
export function decideNavigation(target: unknown, providerOrigins: OriginAllowList): NavigationDecision {
  if (isAppUrl(target)) return { action: 'allow' };
  const external = allowedExternalLink(target, providerOrigins);
  return external === undefined ? { action: 'deny' } : { action: 'deny', openExternal: external };
}

/** `setWindowOpenHandler`: the app never opens a second Electron window for page content. */
export function decideWindowOpen(target: unknown, providerOrigins: OriginAllowList): { action: 'deny'; openExternal?: string } {
  const external = allowedExternalLink(target, providerOrigins);
  return external === undefined ? { action: 'deny' } : { action: 'deny', openExternal: external };
}

/** Harmless permissions our own page uses (copying a name, a full-screen document). */
const grantedToApp: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'fullscreen']);

/** Permission requests and checks: denied unless the app's own origin asks for one of the few it needs. */
export function decidePermission(permission: string, requestingUrl: unknown): boolean {
  return grantedToApp.has(permission) && isAppUrl(requestingUrl);
}

/** The IPC sender check: the frame that sent the message must be a frame of `app://dossier`. */
export function isTrustedSender(frame: { readonly url: string } | null | undefined): boolean {
  return frame !== null && frame !== undefined && isAppUrl(frame.url);
}

/**
 * Requests the renderer's session may make: the app's own scheme and in-page data/blob URLs.
 * No http(s) at all: provider traffic runs in the core, never in the page.
 */
export function isRendererRequestAllowed(raw: unknown): boolean {
  if (isAppUrl(raw)) return true;
  const url = parseUrl(raw);
  if (!url) return false;
  if (url.protocol === 'data:' || url.protocol === 'devtools:') return true;
  return url.protocol === 'blob:' && isAppUrl(url.pathname);
}

/** The Content-Security-Policy sent with every page the `app://` scheme serves. */
export const cspDirectives: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // React and pdf.js set inline style attributes; no inline script is ever allowed.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  // pdf.js renders in a worker built into the bundle.
  'worker-src': ["'self'", 'blob:'],
  'frame-src': ["'self'"],
  'media-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const contentSecurityPolicy = Object.entries(cspDirectives)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/** Headers every page and asset of the app carries. */
export function appHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * A provider's file is untrusted content on the app's own origin, so on top of the type and
 * disposition the document route chose, it is sandboxed: the CSP `sandbox` directive gives it an
 * opaque origin without script, and nothing may sniff it into something else.
 */
export const documentSecurityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export type IpcCallCheck = { ok: true; name: ApiName; input: unknown } | { ok: false; error: DossierErrorValue };

/**
 * The IPC boundary: the request name must be in the contract and its input must pass the contract's
 * schema. The parsed value (unknown keys stripped, defaults applied) is what travels on to the core.
 */
export function validateIpcCall(name: unknown, input: unknown): IpcCallCheck {
  if (!isApiName(name)) {
    return { ok: false, error: { code: 'input.invalid', message: `Dossier does not know the request ${JSON.stringify(String(name)).slice(0, 80)}.` } };
  }
  const parsed = parseInput(name, input);
  if (!parsed.ok) return { ok: false, error: { code: 'input.invalid', message: parsed.message } };
  return { ok: true, name, input: parsed.value };
}

/** Shown to the caller whose frame failed the sender check; the detail goes to the log only. */
export const untrustedSenderError: DossierErrorValue = {
  code: 'input.invalid',
  message: 'This request did not come from the Dossier window and was refused.',
};
