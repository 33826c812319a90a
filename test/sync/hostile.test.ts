import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addSandboxAccount, syncCore, type SyncCore } from './helpers.ts';

/**
 * Hostile replies from an EconJobMarket-shaped server (a real HTTP server on 127.0.0.1 serving
 * hand-made bodies): path-like file names, NUL bytes, reserved Windows names, 500-character
 * names, bytes that do not match their sha1_hash, HTML pages, absurd nesting, duplicate ids and
 * every date format. Each ends in a safe result or a clear error, and nothing is written outside
 * the data directory.
 */

const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
const hostileNames = ['../../../../etc/passwd', '/tmp/absolute.pdf', 'C:\\Windows\\win.ini', 'CON', 'NUL.pdf', 'a\u0000b.pdf', `${'x'.repeat(500)}.pdf`, '..', 'com1.txt'];

interface Routes {
  [path: string]: { status?: number; type?: string; body: string } | undefined;
}

let server: Server;
let baseUrl: string;
let routes: Routes = {};
const cores: SyncCore[] = [];
const roots: string[] = [];

function documentBody(fileId: number, bytes: Buffer, statedSha1: string | null): string {
  return JSON.stringify({ file_id: fileId, blobid: fileId + 1000, filename: hostileNames[fileId % hostileNames.length], filecontent: bytes.toString('base64'), sha1_hash: statedSha1 });
}

function defaultRoutes(): Routes {
  const files = hostileNames.map((name, index) => ({ file_id: index + 1, aid: 1, path: null, blobid: index + 1001, type_id: 10 + index, filename: name, filesize: pdf(name).length, filetype: 'application/pdf', sha1_hash: sha1(pdf(name)) }));
  const routes: Routes = {
    '/token/': { body: JSON.stringify({ access_token: 'hostile-token', expires_in: 3600, token_type: 'bearer', scope: 'basic' }) },
    '/api/applicants/': {
      body: JSON.stringify([
        { aid: 1, fname: 'Ada\u0000', lname: '../../Lovelace', degreeinst: '<script>alert(1)</script>', changedate: '2018-06-26 07:49:09', secondary_fields: { 23: 'Political Economy,' }, conferences: [] },
        { aid: 1, fname: 'Duplicate', lname: 'Id', changedate: '2018-06-26 07:49:09' },
        { aid: '2', fname: 'Grace', lname: 'Hopper', changedate: 1547526152, secondary_fields: [], conferences: { 15: 'ASSA' } },
      ]),
    },
    '/api/applications/': {
      body: JSON.stringify([
        {
          appid: 10, aid: 1, posid: 5, adtitle: 'Assistant Professor', appdate: '2018-10-07T09:10:25.000+0000', changedate: '2018-06-26 07:49:09',
          files: files.map((file) => ({ file_id: file.file_id, aid: 1, blobid: file.blobid, type_id: file.type_id, name: 'cv', description: file.filename })),
          questions: [{ id: 1, question: 'Citizen?', response: '{"16694":"1"}', response_text: null }],
          recommendations: [{ recid: 5, fname: 'Writer', lname: '/etc/shadow', letterid: 77, blobid: 0, created_at: null, updated_at: '2018-09-11 20:58:31' }],
        },
        { appid: 11, aid: '2', posid: '5', adtitle: 'Assistant Professor', appdate: '2018-10-07', changedate: '2018-06-26 07:49:09' },
        { appid: 11, aid: '2', posid: '5', adtitle: 'Duplicate application id', appdate: '2018-10-07', changedate: '2018-06-26 07:49:09' },
      ]),
    },
    '/api/files/': { body: JSON.stringify(files) },
    '/api/letters/': { body: JSON.stringify([{ letterid: 77, blobid: null, a_rid: 1, date: '2018-11-21 07:46:35', name: 'Reference letter', updated_at: '2018-11-20 23:46:35' }]) },
    '/api/conferences/': { body: '[]' },
  };
  for (const file of files) routes[`/api/files/${file.file_id}/`] = { body: documentBody(file.file_id, pdf(file.filename), file.sha1_hash) };
  return routes;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path];
    if (!route) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'no results returned', error_description: 'none' }));
      return;
    }
    response.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'application/json' });
    response.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A profile inside an otherwise empty folder, so anything written beside it shows. */
async function profile(): Promise<{ core: SyncCore; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'dossier-hostile-'));
  roots.push(root);
  mkdirSync(join(root, 'profile'));
  const core = await syncCore(join(root, 'profile'), true);
  cores.push(core);
  await addSandboxAccount(core, 'ejm', { provider: 'ejm', baseUrl: `${baseUrl}/api/`, tokenUrl: `${baseUrl}/token/`, authorizeUrl: null, clientId: 'zz_hostile', clientSecret: 'secret' });
  return { core, root };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

describe('hostile provider input', () => {
  it('stores documents with path-like, reserved, NUL and 500-character names by hash only, inside the data directory', async () => {
    routes = defaultRoutes();
    const { core, root } = await profile();
    const [result] = await core.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    expect(readdirSync(root)).toEqual(['profile']);
    for (const file of filesUnder(join(root, 'profile'))) {
      expect(file).toMatch(/^(dossier\.db(-wal|-shm)?|vault\.json|logs\/dossier\.log|locks\/account-\d+\.(sync|token)\.db|store\/[0-9a-f]{2}\/[0-9a-f]{64})$/);
      expect(statSync(join(root, 'profile', file)).mode & 0o777, file).toBe(0o600);
    }
    const folders = readdirSync(join(root, 'profile'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const folder of folders) expect(statSync(join(folder.parentPath, folder.name)).mode & 0o777, folder.name).toBe(0o700);
    const db = core.db;
    const names = db.prepare('SELECT file_name FROM documents WHERE sha256 IS NOT NULL ORDER BY remote_id').pluck().all();
    expect(names).toEqual([...hostileNames].sort((a, b) => hostileNames.indexOf(a) - hostileNames.indexOf(b)));
    // Duplicate ids keep one row; the NUL byte survives as text in the database, never in a path.
    expect(db.prepare("SELECT count(*) FROM applicants WHERE remote_id = '1'").pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM applications WHERE remote_id = '11'").pluck().get()).toBe(1);
    expect(db.prepare("SELECT first_name FROM applicants WHERE remote_id = '1'").pluck().get()).toBe('Ada\u0000');
    // Every date form became a UTC instant.
    expect(db.prepare('SELECT applied_at FROM applications ORDER BY remote_id').pluck().all()).toEqual(['2018-10-07T09:10:25.000Z', '2018-10-07T07:00:00.000Z']);
    // A recommendation whose letter has no blob yet is a letter without a document.
    expect(db.prepare('SELECT document_id FROM letters').pluck().get()).toBe(null);
  });

  it('refuses a document whose bytes do not match its sha1_hash and keeps nothing of it', async () => {
    routes = defaultRoutes();
    routes['/api/files/1/'] = { body: documentBody(1, pdf('tampered'), sha1(pdf(hostileNames[0] as string))) };
    const { core, root } = await profile();
    const [result] = await core.engine.run({ documents: true });
    expect(result?.counts.downloadFailures).toBe(1);
    const row = core.db.prepare("SELECT d.sha256, l.state, l.last_error FROM documents d JOIN downloads l ON l.document_id = d.id WHERE d.remote_id = '1'").get() as { sha256: string | null; state: string; last_error: string };
    expect(row).toMatchObject({ sha256: null, state: 'failed' });
    expect(row.last_error).toMatch(/checksum/);
    const stored = filesUnder(join(root, 'profile', 'store'));
    expect(stored).toHaveLength(hostileNames.length - 1);
    expect(filesUnder(join(root, 'profile', 'tmp'))).toEqual([]);
  });

  it('turns HTML error pages, non-JSON and absurd nesting into clear errors naming provider and endpoint', async () => {
    const cases: [Routes[string], RegExp][] = [
      [{ type: 'text/html', body: '<!DOCTYPE html><html><body><h1>Site maintenance</h1></body></html>' }, /HTML page/],
      [{ body: 'Fatal error: Allowed memory size exhausted' }, /not valid JSON/],
      [{ body: `${'['.repeat(200_000)}${']'.repeat(200_000)}` }, /nested deeper/],
      [{ body: JSON.stringify({ error: 'unauthorized request', error_description: 'Requests from ip address 10.0.0.1 are not authorized' }) }, /not authorized/],
      [{ body: JSON.stringify([{ aid: { nested: true } }]) }, /\[0\]\.aid/],
    ];
    for (const [reply, message] of cases) {
      routes = { ...defaultRoutes(), '/api/applicants/': reply };
      const { core } = await profile();
      const [result] = await core.engine.run({ documents: false });
      expect(result?.ok).toBe(false);
      expect(result?.error).toMatchObject({ code: 'provider.malformed_response', detail: { provider: 'ejm', endpoint: 'applicants' } });
      expect(result?.error?.message).toMatch(message);
      // Nothing half-written: a failed pull changes no row.
      expect(core.db.prepare('SELECT count(*) FROM applications').pluck().get()).toBe(0);
    }
  });
});
