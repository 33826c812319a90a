import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { main } from '../../electron/cli/main.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { launchBrowserHost, type LaunchedHost } from '../../electron/web/launch.ts';
import { browserHostVault, lockedVault } from '../../electron/web/vault.ts';
import { seedDataDir, type SeedResult } from '../fixtures/seed.ts';

let dataDir: string;
let rendererDir: string;
let launched: LaunchedHost;
let seeded: SeedResult;
let port: number;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dossier-web-'));
  rendererDir = mkdtempSync(join(tmpdir(), 'dossier-web-ui-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Dossier</title><script type="module" src="./assets/app-1234.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("ui")');
  seeded = await seedDataDir(dataDir, { applications: 2, documents: 'unique' });
  launched = await launchBrowserHost({ dataDir, rendererDir, vault: lockedVault, openExternal: async () => undefined, logger: silentLogger });
  port = launched.host.port;
  token = launched.host.token;
});
afterAll(async () => {
  await launched.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Raw HTTP, so a test can send any Host, Origin or cookie a browser or an attacker would. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: '127.0.0.1',
      port,
      path,
      method: options.method ?? 'GET',
      headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const bearer = () => ({ authorization: `Bearer ${token}` });
const apiCall = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  send(`/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(), ...headers }, body: JSON.stringify(input) });
const json = (reply: Reply) => JSON.parse(reply.body.toString('utf8')) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };

describe('the per-launch token', () => {
  it('is required on every kind of request', async () => {
    expect((await send('/')).status).toBe(401);
    expect((await send('/assets/app-1234.js')).status).toBe(401);
    expect((await send('/documents/1')).status).toBe(401);
    const api = await send('/api/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(json(api).error?.message).toContain('address Dossier printed');
    expect((await apiCall('app.info', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await send(`/?token=${token.slice(0, -1)}x`)).status).toBe(401);
    const page = await send('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body.toString()).toContain('one-time key');
  });

  it('is accepted from the printed URL, which sets an HttpOnly, SameSite=Strict cookie for the page', async () => {
    const first = await send(new URL(launched.host.url).pathname + new URL(launched.host.url).search);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toContain('<title>Dossier</title>');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`dossier-${port}=${token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const asset = await send('/assets/app-1234.js', { headers: { cookie: `other=1; dossier-${port}=${token}` } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await apiCall('app.info', {})).status).toBe(200);
    expect(launched.host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=`));
  });
});

describe('request checks', () => {
  it('refuses a Host that is not 127.0.0.1 or localhost on this port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost', `[::1]:${port}`]) {
      expect((await send(`/?token=${token}`, { host })).status, host).toBe(421);
      expect((await apiCall('app.info', {}, { host })).status, host).toBe(421);
    }
    expect((await send(`/?token=${token}`, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses API calls from another origin or site, and bodies that are not JSON', async () => {
    expect((await apiCall('app.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await apiCall('app.info', {}, { origin: 'null' })).status).toBe(403);
    expect((await apiCall('app.info', {}, { origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await apiCall('app.info', {}, { origin: `http://localhost:${port}`, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await apiCall('app.info', {}, { origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const form = await send('/api/annotations.setNote', { method: 'POST', headers: { ...bearer(), 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    expect((await send('/api/app.info', { method: 'GET', headers: bearer() })).status).toBe(405);
  });

  it('answers contract errors as values with a status that fits', async () => {
    const unknown = await apiCall('nothing.here', {});
    expect(unknown.status).toBe(400);
    expect(json(unknown).error?.code).toBe('input.invalid');
    const invalid = await apiCall('annotations.setRating', { applicationId: 'one' });
    expect(invalid.status).toBe(400);
    expect(json(invalid).error?.message).toContain('applicationId');
    const broken = await send('/api/app.info', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: '{not json' });
    expect(json(broken).error?.message).toContain('not valid JSON');
    const ok = await apiCall('applicants.list', { filter: {} });
    expect(json(ok)).toMatchObject({ ok: true, result: { total: 2 } });
  });

  it('sends the security headers on every response', async () => {
    for (const reply of [await send(`/?token=${token}`), await apiCall('app.info', {}), await send('/')]) {
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      expect(String(reply.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
    expect(String((await send(`/?token=${token}`)).headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('serves nothing outside the built renderer', async () => {
    const secretName = `${basename(rendererDir)}-secret.txt`;
    writeFileSync(join(rendererDir, '..', secretName), 'outside-the-renderer');
    try {
      for (const path of [`/../${secretName}`, `/%2e%2e/${secretName}`, `/assets/..%2f..%2f${secretName}`, `/..%5c${secretName}`, `/assets/%00${secretName}`]) {
        const reply = await send(path, { headers: bearer() });
        expect(reply.body.toString(), path).not.toContain('outside-the-renderer');
      }
    } finally {
      rmSync(join(rendererDir, '..', secretName), { force: true });
    }
    // Paths without an extension are the app's own routes: they get the page.
    expect((await send('/applicants/12', { headers: bearer() })).body.toString()).toContain('<title>Dossier</title>');
  });

  it('says which port is taken instead of failing obscurely', async () => {
    const second = launchBrowserHost({ dataDir, rendererDir, port, vault: lockedVault, openExternal: async () => undefined, logger: silentLogger });
    await expect(second).rejects.toMatchObject({ code: 'input.invalid', message: expect.stringContaining(`Port ${port}`) });
  });

  it('listens on 127.0.0.1 only', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '::1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('documents', () => {
  async function firstDocument(): Promise<{ id: number; fileName: string }> {
    const packet = json(await apiCall('applicants.packet', { applicationId: seeded.applicationIds[0] })).result as { documents: { id: number; fileName: string }[] };
    return packet.documents[0] as { id: number; fileName: string };
  }

  it('serves a stored PDF inline with its type, a sanitised name and a sandboxing policy', async () => {
    const document = await firstDocument();
    const located = json(await apiCall('documents.locate', { documentId: document.id })).result as { url: string };
    expect(located.url).toBe(`/documents/${document.id}`);
    const reply = await send(located.url, { headers: bearer() });
    expect(reply.status).toBe(200);
    expect(reply.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(reply.headers['content-type']).toBe('application/pdf');
    // The name ("Applicant – Title.pdf") is not ASCII: old clients get "_" for the dash, the rest the exact name.
    expect(document.fileName).toContain('–');
    expect(reply.headers['content-disposition']).toBe(`inline; filename="${document.fileName.replaceAll('–', '_')}"; filename*=UTF-8''${encodeURIComponent(document.fileName).replace(/'/g, '%27')}`);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(String(reply.headers['content-security-policy'])).toContain('sandbox');
    const download = await send(`${located.url}?download=1`, { headers: bearer() });
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('never lets a provider file run as a page, nor its name become a header or a path', async () => {
    const document = await firstDocument();
    const db = launched.core.storage.db;
    db.prepare("UPDATE documents SET mime_type = 'text/html', file_name = ? WHERE id = ?").run('../../evil"\r\nX-Injected: 1.html', document.id);
    const reply = await send(`/documents/${document.id}`, { headers: bearer() });
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    const disposition = String(reply.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="[^"/\\]+\.html"; filename\*=UTF-8''[^\s"/]+$/);
    expect(disposition).not.toMatch(/\.\.|evil|[\r\n]/);
    expect(reply.headers['x-injected']).toBeUndefined();
  });

  it('answers 404 for a document that is unknown or not downloaded', async () => {
    expect((await send('/documents/999999', { headers: bearer() })).status).toBe(404);
    expect((await send('/documents/abc', { headers: bearer() })).status).toBe(404);
    const db = launched.core.storage.db;
    const id = db.prepare("SELECT id FROM documents WHERE kind = 'letter' LIMIT 1").pluck().get() as number;
    db.prepare('UPDATE documents SET sha256 = NULL WHERE id = ?').run(id);
    const missing = await send(`/documents/${id}`, { headers: bearer() });
    expect(missing.status).toBe(404);
    expect(json(missing).error?.code).toBe('document.missing');
  });
});

describe('events over WebSocket', () => {
  function open(options: { token?: string; origin?: string; host?: string }): Promise<WebSocket> {
    const url = `ws://127.0.0.1:${port}/events${options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`}`;
    const socket = new WebSocket(url, { headers: { ...(options.origin ? { origin: options.origin } : {}), ...(options.host ? { host: options.host } : {}) } });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`refused ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  it('pushes every core event to a page of ours', async () => {
    const socket = await open({ token, origin: `http://127.0.0.1:${port}` });
    const received = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    const progress = { accountId: 1, phase: 'applicants' as const, done: 3, total: 10, bytes: 0, current: 'Ada Lovelace' };
    launched.core.events.emit('sync.progress', progress);
    expect(await received).toEqual({ event: 'sync.progress', payload: progress });
    socket.close();
  });

  it('refuses an upgrade without the token, from another origin or to another host', async () => {
    await expect(open({ origin: `http://127.0.0.1:${port}` })).rejects.toThrow('403');
    await expect(open({ token, origin: 'http://evil.example' })).rejects.toThrow('403');
    await expect(open({ token, origin: `http://127.0.0.1:${port}`, host: `evil.example:${port}` })).rejects.toThrow('403');
  });
});

describe('dossier serve', () => {
  it('prints one JSON line with the loopback URL, serves it, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/dossier.js'), '--data-dir', dataDir, '--json', 'serve'], {
      env: { ...process.env, DOSSIER_PASSPHRASE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('serve exited before printing its address')));
    });
    const printed = JSON.parse(line) as { url: string; port: number };
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const page = await fetch(printed.url);
    expect([200, 503]).toContain(page.status);
    const info = await fetch(new URL('/api/app.info', printed.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${new URL(printed.url).searchParams.get('token')}` }, body: '{}' });
    expect(((await info.json()) as { result: { host: string } }).result.host).toBe('browser');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const errors: Buffer[] = [];
    stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    const code = await main(['--data-dir', dataDir, 'serve', '--port', 'eighty'], { stdout, stderr, stdin: new PassThrough(), env: {} });
    expect(code).toBe(1);
    expect(Buffer.concat(errors).toString()).toContain('--port must be a number');
  });
});

describe('the host vault', () => {
  it('unlocks the encrypted file vault from DOSSIER_PASSPHRASE, and without one still starts, saying what to do when a secret is needed', async () => {
    const vaultDir = join(dataDir, 'vault-test');
    const source = (env: NodeJS.ProcessEnv) => ({ stdin: new PassThrough(), stderr: new PassThrough(), env: { DOSSIER_VAULT: 'file', ...env } });
    const vault = browserHostVault(vaultDir, source({ DOSSIER_PASSPHRASE: 'correct horse' }), silentLogger);
    await vault.set('account:1:tokens', 'secret-value');
    const reopened = browserHostVault(vaultDir, source({ DOSSIER_PASSPHRASE: 'correct horse' }), silentLogger);
    expect(await reopened.get('account:1:tokens')).toBe('secret-value');
    const locked = browserHostVault(vaultDir, source({}), silentLogger);
    await expect(locked.get('account:1:tokens')).rejects.toMatchObject({ code: 'vault.locked', message: expect.stringContaining('start it again from a terminal') });
  });
});
