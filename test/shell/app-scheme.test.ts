import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DispatchOutcome } from '../../electron/core/api/dispatch.ts';
import { silentLogger, type Logger } from '../../electron/core/base/log.ts';
import { routeAppRequest } from '../../electron/main/app-routes.ts';
import { handleRendererCall } from '../../electron/main/ipc.ts';

/** The `app://` scheme's routing (#18: no file://, no path from the page reaches the disk) and the IPC gate (#17). */

const root = mkdtempSync(join(tmpdir(), 'dossier-renderer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// routing', () => {
  it('serves the app for the root and for in-app routes', () => {
    expect(routeAppRequest('app://dossier/', root)).toEqual({ kind: 'asset', file: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(routeAppRequest('app://dossier/packets/12', root)).toMatchObject({ kind: 'asset', file: join(root, 'index.html') });
  });

  it('serves built assets with their type', () => {
    expect(routeAppRequest('app://dossier/assets/index-3f2a.js', root)).toEqual({ kind: 'asset', file: join(root, 'assets', 'index-3f2a.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(routeAppRequest('app://dossier/assets/pdf.worker.mjs?v=1', root)).toMatchObject({ kind: 'asset', contentType: 'text/javascript; charset=utf-8' });
  });

  it('routes stored documents by numeric id only', () => {
    expect(routeAppRequest('app://dossier/documents/42', root)).toEqual({ kind: 'document', documentId: 42 });
    expect(routeAppRequest('app://dossier/documents/42.pdf', root)).toEqual({ kind: 'not-found' });
    expect(routeAppRequest('app://dossier/documents/..%2f..%2fetc%2fpasswd', root)).toEqual({ kind: 'not-found' });
  });

  it.each([
    'app://dossier/%2e%2e%2f%2e%2e%2fetc%2fpasswd.js',
    'app://dossier/assets/..%2f..%2f..%2fsecret.json',
    'app://dossier/..%5c..%5cwindows%5cwin.ini.txt',
    'app://dossier/.env.json',
    'app://dossier/assets/.hidden.js',
    'app://dossier/index.html%00.js',
    'app://dossier/%E0%A4%A.js',
    'app://dossier/assets/archive.zip',
    'app://other/index.html',
    'app://dossier.attacker.test/index.html',
    'file:///etc/passwd',
    'https://dossier/index.html',
  ])('refuses %s', (url) => {
    expect(routeAppRequest(url, root)).toEqual({ kind: 'not-found' });
  });

  it('keeps dot-segments that the URL parser resolves inside the renderer folder', () => {
    const route = routeAppRequest('app://dossier/assets/../../../../etc/passwd.js', root);
    expect(route).toEqual({ kind: 'asset', file: join(root, 'etc', 'passwd.js'), contentType: 'text/javascript; charset=utf-8' });
  });
});

describe('the IPC handler', () => {
  const recorded: { forwarded: [string, unknown][]; warnings: string[] } = { forwarded: [], warnings: [] };
  const log: Logger = { ...silentLogger, warn: (event) => void recorded.warnings.push(event), child: () => log };
  const forward = async (name: string, input: unknown): Promise<DispatchOutcome> => {
    recorded.forwarded.push([name, input]);
    return { ok: true, result: 'forwarded' };
  };

  it('forwards a valid request from the app frame, parsed', async () => {
    recorded.forwarded.length = 0;
    const outcome = await handleRendererCall({ url: 'app://dossier/index.html' }, 'annotations.setRating', { applicationId: 7, rating: 4, junk: 1 }, forward, log);
    expect(outcome).toEqual({ ok: true, result: 'forwarded' });
    expect(recorded.forwarded).toEqual([['annotations.setRating', { applicationId: 7, rating: 4 }]]);
  });

  it('refuses a foreign frame before looking at the request, and logs it', async () => {
    recorded.forwarded.length = 0;
    const outcome = await handleRendererCall({ url: 'https://provider.example.com.attacker.test/' }, 'accounts.list', {}, forward, log);
    expect(outcome.ok).toBe(false);
    expect(recorded.forwarded).toEqual([]);
    expect(recorded.warnings).toContain('ipc.untrusted_sender');
    expect((await handleRendererCall(null, 'accounts.list', {}, forward, log)).ok).toBe(false);
  });

  it('refuses malformed input from the app frame without reaching the core', async () => {
    recorded.forwarded.length = 0;
    const outcome = await handleRendererCall({ url: 'app://dossier/index.html' }, 'annotations.setRating', { applicationId: 'x' }, forward, log);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(recorded.forwarded).toEqual([]);
  });
});
