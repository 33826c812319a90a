import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../electron/core/base/log.ts';
import { hardenSession, hardenWebContents } from '../../electron/main/guards.ts';
import { serveAppScheme } from '../../electron/main/protocol.ts';
import { contentSecurityPolicy, createOriginAllowList } from '../../electron/main/security.ts';

/**
 * The Electron wiring of the policy: which events and handlers the shell registers and what it does
 * with their answers. Electron's WebContents, Session and `protocol` are stand-ins here (no Electron
 * binary); the handlers under test are the shell's real ones.
 */

vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged: () => undefined } }));

class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

function navigationEvent(url: string) {
  return { url, prevented: false, preventDefault() { this.prevented = true; } };
}

describe('web contents guards', () => {
  const opened: string[] = [];
  const contents = new FakeContents();
  hardenWebContents(contents as unknown as WebContents, {
    providerOrigins: () => createOriginAllowList(['https://provider.example.com']),
    openExternal: async (url) => void opened.push(url),
    log: silentLogger,
  });

  it('listens once per navigation of any frame, so a provider link opens once', () => {
    expect(contents.listenerCount('will-frame-navigate')).toBe(1);
    expect(contents.listenerCount('will-navigate')).toBe(0);
    opened.length = 0;
    const event = navigationEvent('https://provider.example.com/jobs/3');
    contents.emit('will-frame-navigate', event);
    expect(event.prevented).toBe(true);
    expect(opened).toEqual(['https://provider.example.com/jobs/3']);
  });

  it('stops a look-alike without opening it, and lets the app navigate within itself', () => {
    opened.length = 0;
    const hostile = navigationEvent('https://provider.example.com.attacker.test/');
    contents.emit('will-frame-navigate', hostile);
    expect(hostile.prevented).toBe(true);
    const inApp = navigationEvent('app://dossier/index.html');
    contents.emit('will-frame-navigate', inApp);
    expect(inApp.prevented).toBe(false);
    const redirect = navigationEvent('https://provider.example.com/');
    contents.emit('will-redirect', redirect);
    expect(redirect.prevented).toBe(true);
    expect(opened).toEqual([]);
  });

  it('denies every new window and every webview', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://attacker.test/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://dossier/index.html' })).toEqual({ action: 'deny' });
    const attach = navigationEvent('');
    contents.emit('will-attach-webview', attach);
    expect(attach.prevented).toBe(true);
  });
});

describe('session hardening', () => {
  const registered: Record<string, (...args: never[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (handler: (...args: never[]) => unknown) => void (registered.request = handler),
    setPermissionCheckHandler: (handler: (...args: never[]) => unknown) => void (registered.check = handler),
    setDevicePermissionHandler: (handler: (...args: never[]) => unknown) => void (registered.device = handler),
    webRequest: { onBeforeRequest: (handler: (...args: never[]) => unknown) => void (registered.beforeRequest = handler) },
  };
  hardenSession(session as unknown as Session, silentLogger);

  it('answers permission requests and checks from the policy', () => {
    const answers: boolean[] = [];
    const request = registered.request as unknown as (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
    request(null, 'media', (granted) => answers.push(granted), { requestingUrl: 'app://dossier/index.html' });
    request(null, 'clipboard-sanitized-write', (granted) => answers.push(granted), { requestingUrl: 'app://dossier/index.html' });
    expect(answers).toEqual([false, true]);
    const check = registered.check as unknown as (contents: unknown, permission: string, origin: string) => boolean;
    expect(check(null, 'geolocation', 'app://dossier')).toBe(false);
    expect((registered.device as unknown as () => boolean)()).toBe(false);
  });

  it('cancels every request of the page that leaves the app', () => {
    const beforeRequest = registered.beforeRequest as unknown as (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;
    const decisions: boolean[] = [];
    for (const url of ['app://dossier/assets/a.js', 'https://provider.example.com/api', 'http://127.0.0.1:9/']) beforeRequest({ url }, ({ cancel }) => decisions.push(cancel));
    expect(decisions).toEqual([false, true, true]);
  });
});

describe('the app:// handler', () => {
  const root = mkdtempSync(join(tmpdir(), 'dossier-scheme-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Dossier</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(root, 'secret.json'), '{"token":"x"}');
  const blob = join(root, 'blob');
  writeFileSync(blob, '<script>alert(1)</script>');

  let handler: ((request: Request) => Promise<Response>) | undefined;
  const session = { protocol: { handle: (_scheme: string, registeredHandler: (request: Request) => Promise<Response>) => void (handler = registeredHandler) } };
  serveAppScheme(session as unknown as Session, renderer, async (documentId) => (documentId === 5 ? { path: blob, headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="x.html"' } } : null), silentLogger);
  const get = (url: string, method = 'GET') => {
    if (!handler) throw new Error('no handler registered');
    return handler(new Request(url, { method }));
  };

  it('serves the renderer with the strict CSP', async () => {
    const response = await get('app://dossier/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await response.text()).toContain('<title>Dossier</title>');
    expect((await get('app://dossier/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves nothing outside the renderer folder', async () => {
    expect((await get('app://dossier/..%2fsecret.json')).status).toBe(404);
    expect((await get('app://dossier/assets/..%2f..%2fsecret.json')).status).toBe(404);
  });

  it('streams a stored document sandboxed, with the type its route chose', async () => {
    const response = await get('app://dossier/documents/5');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(await response.text()).toBe('<script>alert(1)</script>');
    expect((await get('app://dossier/documents/6')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://dossier/index.html', 'POST')).status).toBe(405);
    expect((await get('app://dossier/documents/5', 'HEAD')).status).toBe(200);
  });
});
