import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DossierError } from '../../electron/core/base/errors.ts';
import { manifestJsonSchema } from '../../electron/core/providers/manifest/json-schema.ts';
import { loadManifest, manifestCapabilities } from '../../electron/core/providers/manifest/index.ts';
import { dumpCache, syncCore, type SyncCore } from './helpers.ts';

/**
 * The manifest engine (electron/core/providers/manifest/) through the real sync engine, over real
 * HTTP on 127.0.0.1, into a real SQLite profile. The servers are a small generic ATS written in
 * this test ("Hirebird", fictional: one endpoint per paging style), not a provider emulator, and a
 * second server standing for a signed-storage host on another origin. Each records the requests
 * it saw, so the tests can assert where the token went.
 */

const token = 'hirebird-secret-token-0123456789';

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly url: string;
}

interface Hirebird {
  jobs: { id: number; title: string; dept: string; opened: string }[];
  candidates: { id: string; first: string; last: string; email: string; tags: string[]; attachments: Record<string, unknown>[] }[];
  applications: { id: string; job_id: number; candidate_id: string; status: string; applied_at: string; updated_at: string; answers: { q: string; a: string }[] }[];
  interviews: Record<string, { id: string; start: string; end: string; room: string }[]>;
  files: Record<string, Buffer>;
  /** Hostile switches: ignore the page parameter; aim the Link header at another origin. */
  ignorePage: boolean;
  linkOrigin: string | null;
}

const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n${'x'.repeat(2000)}\n%%EOF\n`);
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function seed(downloadOrigin: string, apiOrigin: string): Hirebird {
  const files: Record<string, Buffer> = {};
  const candidates = Array.from({ length: 7 }, (_, index) => {
    const id = `c${index + 1}`;
    files[`cv-${id}`] = pdf(`cv of ${id}`);
    const attachments: Record<string, unknown>[] = [
      // One on the API (with the token), the next on the storage host (without), every third inline.
      index % 3 === 2
        ? { id: `cv-${id}`, type: 'resume', filename: `../../../../escape-${id}.pdf`, content: files[`cv-${id}`]?.toString('base64'), sha1: sha1(files[`cv-${id}`] as Buffer) }
        : { id: `cv-${id}`, type: 'resume', filename: `${id}.pdf`, url: `${index % 3 === 0 ? apiOrigin : downloadOrigin}/files/cv-${id}?sig=abc`, sha1: sha1(files[`cv-${id}`] as Buffer) },
    ];
    return { id, first: ` Ada${index} `, last: `Lovelace${index}`, email: `ada${index}@example.org`, tags: ['econ', 'theory'], attachments };
  });
  const jobs = Array.from({ length: 5 }, (_, index) => ({ id: 100 + index, title: `Assistant Professor ${index}`, dept: 'Economics', opened: `2024-0${index + 1}-15` }));
  const applications = Array.from({ length: 12 }, (_, index) => ({
    id: `a${index + 1}`,
    job_id: 100 + (index % 5),
    candidate_id: `c${(index % 7) + 1}`,
    status: 'new',
    applied_at: `2024-06-${String(index + 1).padStart(2, '0')}T10:00:00Z`,
    updated_at: '2024-06-30T00:00:00Z',
    answers: [{ q: 'Field', a: 'Macro' }],
  }));
  const interviews: Hirebird['interviews'] = {};
  for (const application of applications.slice(0, 4)) {
    interviews[application.id] = [1, 2, 3].map((slot) => ({ id: `${application.id}-i${slot}`, start: `2024-07-0${slot}T09:00:00+02:00`, end: `2024-07-0${slot}T09:30:00+02:00`, room: `Room ${slot}` }));
  }
  return { jobs, candidates, applications, interviews, files, ignorePage: false, linkOrigin: null };
}

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const json = (response: ServerResponse, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(200, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

let api: { server: Server; origin: string };
let storage: { server: Server; origin: string };
let data: Hirebird;
const apiSeen: Seen[] = [];
const storageSeen: Seen[] = [];

function apiHandler(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', api.origin);
  apiSeen.push({ path: url.pathname, authorization: request.headers.authorization, url: url.href });
  if (request.headers.authorization !== `Basic ${Buffer.from(`${token}:`).toString('base64')}` || request.headers['x-hirebird-version'] !== '2') {
    response.writeHead(401).end();
    return;
  }
  const number = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
  if (url.pathname === '/v1/jobs') {
    const page = data.ignorePage ? 1 : number('page', 1);
    const size = number('per_page', 2);
    return json(response, data.jobs.slice((page - 1) * size, page * size));
  }
  if (url.pathname === '/v1/candidates') {
    const offset = number('offset', 0);
    return json(response, { data: data.candidates.slice(offset, offset + number('limit', 3)), meta: { total: data.candidates.length } });
  }
  if (url.pathname === '/v1/applications') {
    const since = url.searchParams.get('updated_since');
    const matching = data.applications.filter((application) => since === null || application.updated_at >= since);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const end = start + number('limit', 5);
    return json(response, { results: matching.slice(start, end), next: end < matching.length ? String(end) : null });
  }
  const interviews = /^\/v1\/applications\/([^/]+)\/interviews$/.exec(url.pathname);
  if (interviews) {
    const list = data.interviews[decodeURIComponent(interviews[1] as string)] ?? [];
    const page = number('page', 1);
    const size = number('per_page', 2);
    const next = page * size < list.length ? `<${data.linkOrigin ?? api.origin}${url.pathname}?page=${page + 1}&per_page=${size}>; rel="next"` : undefined;
    return json(response, list.slice((page - 1) * size, page * size), next === undefined ? {} : { link: `${next}, <${api.origin}${url.pathname}?page=1>; rel="first"` });
  }
  const file = /^\/files\/(.+)$/.exec(url.pathname);
  if (file && data.files[file[1] as string]) {
    response.writeHead(200, { 'content-type': 'application/pdf' });
    response.end(data.files[file[1] as string]);
    return;
  }
  response.writeHead(404).end();
}

function storageHandler(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', storage.origin);
  storageSeen.push({ path: url.pathname, authorization: request.headers.authorization, url: url.href });
  const file = /^\/files\/(.+)$/.exec(url.pathname);
  const bytes = file ? data.files[file[1] as string] : undefined;
  if (!bytes) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': 'application/pdf' });
  response.end(bytes);
}

/** Hirebird's manifest (one resource per paging style, documents within candidates, interviews per application), with edits by dotted path (undefined deletes). */
function hirebirdManifest(edits: Record<string, unknown> = {}): string {
  const manifest: Record<string, unknown> = {
    dossierManifest: 1,
    name: 'Hirebird',
    api: { baseUrl: `${api.origin}/v1`, downloadHosts: [new URL(storage.origin).host], headers: { 'X-Hirebird-Version': '2' } },
    auth: { type: 'token', placement: { in: 'basic-username' } },
    resources: {
      jobs: { endpoint: 'jobs', paging: { style: 'page', size: 2 }, map: { remoteId: '$string(id)', title: 'title', department: 'dept', postedAt: 'opened' } },
      applicants: {
        endpoint: 'candidates',
        items: 'data',
        total: 'meta.total',
        paging: { style: 'offset', limit: 3 },
        map: { remoteId: 'id', firstName: 'first', lastName: 'last', email: 'email', fields: 'tags' },
      },
      applications: {
        endpoint: 'applications',
        items: 'results',
        paging: { style: 'cursor', cursorParam: 'cursor', next: 'next', sizeParam: 'limit', size: 5 },
        incremental: { param: 'updated_since', format: 'iso', overlapSeconds: 60 },
        map: {
          remoteId: 'id',
          remoteVersion: 'updated_at',
          jobRemoteId: '$string(job_id)',
          applicantRemoteId: 'candidate_id',
          appliedAt: 'applied_at',
          remoteStatus: 'status',
          answers: '[answers.{"question": q, "answer": a}]',
        },
      },
      documents: {
        within: 'applicants',
        items: 'attachments',
        kind: 'cv',
        map: { remoteId: 'id', applicantRemoteId: '$parent.id', title: '"CV"', fileName: 'filename', mimeType: '"application/pdf"', sha1: 'sha1', url: 'url', inlineBase64: 'content' },
      },
      interviews: {
        forEach: 'applications',
        endpoint: 'applications/{id}/interviews',
        paging: { style: 'link', sizeParam: 'per_page', size: 2 },
        map: { remoteId: 'id', applicationRemoteId: '$parent.id', startsAt: 'start', endsAt: 'end', place: 'room' },
      },
    },
  };
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    const holder = keys.reduce((node, key) => node[key] as Record<string, unknown>, manifest);
    // JSON.stringify leaves out a key whose value is undefined: the field is absent from the file.
    holder[last] = value;
  }
  return JSON.stringify(manifest, null, 2);
}

let target: SyncCore;

async function addHirebird(text: string): Promise<number> {
  const account = await target.core.services.accounts.add({ provider: 'oauth2', name: 'Hirebird', manifest: { text, fileName: 'hirebird.json' }, baseUrl: `${api.origin}/v1`, grant: 'token', timeZone: 'Europe/Madrid' });
  await target.core.services.auth.signIn(account.id, { token });
  return account.id;
}

const count = (sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;
const tokenSentTo = (seen: readonly Seen[]) => seen.filter((request) => request.authorization !== undefined || request.url.includes(token) || request.url.includes(Buffer.from(`${token}:`).toString('base64')));

beforeAll(async () => {
  api = await listen(apiHandler);
  storage = await listen(storageHandler);
});
afterAll(async () => {
  await new Promise((done) => api.server.close(done));
  await new Promise((done) => storage.server.close(done));
});
beforeEach(async () => {
  data = seed(storage.origin, api.origin);
  apiSeen.length = 0;
  storageSeen.length = 0;
  target = await syncCore();
});
afterEach(async () => {
  await target.close();
});

describe('a manifest account syncs every paging style through the real engine', () => {
  it('walks pages, offsets with a total, cursors and Link headers fully, and downloads and verifies every document', async () => {
    const accountId = await addHirebird(hirebirdManifest());
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error).toBeNull();
    expect(result?.counts.unfinishedLists ?? 0).toBe(0);
    expect(count('SELECT count(*) FROM jobs WHERE account_id = ?', accountId)).toBe(5);
    expect(count('SELECT count(*) FROM applicants WHERE account_id = ?', accountId)).toBe(7);
    expect(count('SELECT count(*) FROM applications WHERE account_id = ?', accountId)).toBe(12);
    expect(count('SELECT count(*) FROM interview_slots WHERE account_id = ?', accountId)).toBe(12);
    expect(count('SELECT count(*) FROM documents WHERE account_id = ?', accountId)).toBe(7);
    // Mapped and coerced: trimmed text, a date-only value read as midnight in the account's zone, answers as pairs.
    const applicant = target.db.prepare("SELECT first_name AS firstName, fields_json AS fields FROM applicants WHERE remote_id = 'c1'").get() as { firstName: string; fields: string };
    expect(applicant.firstName).toBe('Ada0');
    expect(JSON.parse(applicant.fields)).toEqual(['econ', 'theory']);
    expect(target.db.prepare("SELECT posted_at FROM jobs WHERE remote_id = '100'").pluck().get()).toBe('2024-01-14T23:00:00.000Z');
    expect(JSON.parse(target.db.prepare("SELECT answers_json FROM applications WHERE remote_id = 'a1'").pluck().get() as string)).toEqual([{ question: 'Field', answer: 'Macro' }]);
    expect(target.db.prepare("SELECT starts_at FROM interview_slots WHERE remote_id = 'a1-i2'").pluck().get()).toBe('2024-07-02T07:00:00.000Z');
    // Every document verified, its bytes in the store under their hash.
    const documents = target.db.prepare('SELECT remote_id AS remoteId, sha256 FROM documents WHERE account_id = ?').all(accountId) as { remoteId: string; sha256: string | null }[];
    for (const document of documents) expect(document.sha256).toBe(sha256(data.files[document.remoteId] as Buffer));
    expect(count("SELECT count(*) FROM downloads WHERE state = 'verified'")).toBe(7);
    // Link paging followed rel="next" (page 2 of three interviews), cursor paging followed `next`.
    expect(apiSeen.some((request) => request.path === '/v1/applications/a1/interviews' && request.url.includes('page=2'))).toBe(true);
    expect(apiSeen.some((request) => request.path === '/v1/applications' && request.url.includes('cursor=10'))).toBe(true);
    // The token went only to the API; the storage host got its downloads with no credentials at all.
    expect(storageSeen.map((request) => request.path).sort()).toEqual(['/files/cv-c2', '/files/cv-c5']);
    expect(tokenSentTo(storageSeen)).toEqual([]);
    expect(apiSeen.every((request) => request.authorization !== undefined)).toBe(true);
  });

  it('file names are display only: a name that climbs out of the folder writes nothing outside the store', async () => {
    await addHirebird(hirebirdManifest());
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error).toBeNull();
    expect(target.db.prepare("SELECT file_name FROM documents WHERE remote_id = 'cv-c3'").pluck().get()).toBe('../../../../escape-c3.pdf');
    expect(existsSync(resolve(target.dataDir, '../../../../escape-c3.pdf'))).toBe(false);
    expect(existsSync(join(dirname(target.dataDir), 'escape-c3.pdf'))).toBe(false);
    const stored = readdirSync(join(target.dataDir, 'store'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(stored.length).toBe(7);
    for (const file of stored) expect(file.name).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks only for changes after the first sync, and a filtered walk tombstones nothing', async () => {
    const accountId = await addHirebird(hirebirdManifest());
    await target.engine.run({ documents: false });
    const firstStart = target.db.prepare("SELECT cursor FROM sync_cursors WHERE account_id = ? AND resource = 'applications.since'").pluck().get(accountId) as string;
    expect(Date.parse(firstStart)).not.toBeNaN();
    const changed = data.applications[2] as Hirebird['applications'][number];
    changed.status = 'shortlisted';
    changed.updated_at = new Date(Date.now() + 60_000).toISOString();
    data.applications.splice(5, 1);
    apiSeen.length = 0;
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error).toBeNull();
    const asked = apiSeen.filter((request) => request.path === '/v1/applications').map((request) => new URL(request.url).searchParams.get('updated_since'));
    expect(asked).toEqual([new Date(Date.parse(firstStart) - 60_000).toISOString()]);
    expect(target.db.prepare("SELECT remote_status FROM applications WHERE remote_id = 'a3'").pluck().get()).toBe('shortlisted');
    // a6 was removed upstream, but a filtered list says nothing about what it left out.
    expect(target.db.prepare("SELECT removed_at FROM applications WHERE remote_id = 'a6'").pluck().get()).toBeNull();
    // A full walk (due after fullWalkEveryDays; here: the cursor cleared) does see the removal.
    target.db.prepare("DELETE FROM sync_cursors WHERE account_id = ? AND resource = 'applications.full_walk'").run(accountId);
    await target.engine.run({ documents: false });
    expect(target.db.prepare("SELECT removed_at FROM applications WHERE remote_id = 'a6'").pluck().get()).not.toBeNull();
  });

  it('an unfinished walk (the server ignores the page parameter) tombstones nothing and is reported', async () => {
    const accountId = await addHirebird(hirebirdManifest());
    await target.engine.run({ documents: false });
    data.jobs.splice(4, 1);
    data.ignorePage = true;
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error).toBeNull();
    expect(result?.counts.unfinishedLists).toBe(1);
    expect(count('SELECT count(*) FROM jobs WHERE account_id = ? AND removed_at IS NULL', accountId)).toBe(5);
  });
});

describe('a hostile or broken manifest gets a clear error naming its path and changes nothing', () => {
  const refusal = (text: string, source = 'hirebird.json'): DossierError => {
    try {
      loadManifest(text, source);
    } catch (error) {
      expect(error).toBeInstanceOf(DossierError);
      return error as DossierError;
    }
    throw new Error('the manifest was accepted');
  };

  it('refuses at load time, naming the file and the dotted path', () => {
    const endpointHost = refusal(hirebirdManifest({ 'resources.jobs.endpoint': 'https://evil.example/jobs' }));
    expect(endpointHost.message).toMatch(/^hirebird\.json: resources\.jobs\.endpoint: must be a path under api\.baseUrl/);
    expect(endpointHost.detail).toMatchObject({ path: 'resources.jobs.endpoint' });
    expect(refusal(hirebirdManifest({ 'resources.jobs.endpoint': '//evil.example/jobs' })).message).toContain('resources.jobs.endpoint');
    expect(refusal(hirebirdManifest({ 'resources.jobs.endpoint': 'jobs/../../admin' })).message).toContain('resources.jobs.endpoint: must be a path under api.baseUrl');
    expect(refusal(hirebirdManifest({ 'api.headers': { Authorization: 'Bearer x' } })).message).toContain('api.headers.Authorization: is set by Dossier');
    expect(refusal(hirebirdManifest({ 'resources.applications.paging.cursorParam': undefined })).message).toMatch(/^hirebird\.json: resources\.applications\.paging\.cursorParam: is required \(string\)/);
    expect(refusal(hirebirdManifest({ 'resources.jobs.map.title': 'title ++ ' }))).toMatchObject({ code: 'input.invalid', detail: { path: 'resources.jobs.map.title' } });
    expect(refusal(hirebirdManifest({ 'resources.jobs.map.title': '$match(title, /(a+)+$/)' })).message).toContain('resources.jobs.map.title: uses a regular expression');
    const circle = hirebirdManifest({ 'resources.applicants.forEach': 'documents', 'resources.applicants.endpoint': 'candidates/{id}' });
    expect(refusal(circle).message).toMatch(/resources\.(applicants\.forEach|documents\.within): goes round in a circle/);
    expect(refusal(hirebirdManifest({ 'resources.applicants': undefined })).message).toContain('resources.documents.within: names applicants, which this manifest does not describe');
    expect(refusal('{\n  "dossierManifest": 1,\n  "name": "x",\n}').message).toMatch(/^hirebird\.json: is not valid JSON \(.*line 4 column 1/);
    const huge = refusal(`{"name": "${'x'.repeat(10 * 1024 * 1024)}"}`);
    expect(huge.message).toMatch(/^hirebird\.json: is 10241 KB; a manifest may be at most 256 KB/);
  });

  it('an expression that never ends fails the sync within its time budget, naming its path', async () => {
    const accountId = await addHirebird(hirebirdManifest({ 'resources.jobs.map.title': '($loop := function($n) { $loop($n + 1) }; $loop(0))' }));
    const started = Date.now();
    const [result] = await target.engine.run({ documents: false });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result?.error?.code).toBe('provider.malformed_response');
    expect(result?.error?.message).toContain("the manifest's resources.jobs.map.title failed on item 0 of jobs");
    expect(count('SELECT count(*) FROM jobs WHERE account_id = ?', accountId)).toBe(0);
  });

  it('a mapping that produces the wrong type fails naming the field and item, and changes nothing', async () => {
    const accountId = await addHirebird(hirebirdManifest());
    await target.engine.run({ documents: false });
    const before = dumpCache(target.db);
    target.db.prepare("UPDATE account_manifests SET text = ? WHERE account_id = ?").run(hirebirdManifest({ 'resources.applicants.map.email': '{"address": email}' }), accountId);
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.message).toContain("the manifest's resources.applicants.map.email gave an object for item 0 of applicants, not text");
    expect(dumpCache(target.db)).toEqual(before);
  });

  it('an item without an id is an error naming the resource and item, not silently dropped', async () => {
    const accountId = await addHirebird(hirebirdManifest());
    (data.jobs[3] as { id?: number }).id = undefined;
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.message).toContain("resources.jobs.map.remoteId gave no id for item 3 of jobs");
    expect(count('SELECT count(*) FROM jobs WHERE account_id = ?', accountId)).toBe(0);
  });

  it('a Link header to another origin stops the walk: the other origin never sees a request or the token', async () => {
    const accountId = await addHirebird(hirebirdManifest());
    data.linkOrigin = storage.origin;
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.code).toBe('provider.malformed_response');
    expect(result?.error?.message).toContain(`resources.interviews.paging points Link rel="next" at ${storage.origin}, outside the API`);
    expect(storageSeen).toEqual([]);
    expect(count('SELECT count(*) FROM applications WHERE account_id = ?', accountId)).toBe(0);
  });

  it('a cursor that is a URL on another origin is refused the same way', async () => {
    await addHirebird(hirebirdManifest({ 'resources.applications.paging.next': `next ? "${storage.origin}/v1/applications?cursor=" & next : null` }));
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.message).toContain(`resources.applications.paging.next points the cursor at ${storage.origin}, outside the API`);
    expect(storageSeen).toEqual([]);
  });

  it('a download URL on a host the manifest does not list is refused naming the field, and that host is never asked', async () => {
    await addHirebird(hirebirdManifest({ 'api.downloadHosts': [] }));
    const [result] = await target.engine.run({ documents: true });
    expect(result?.counts.downloadFailures).toBe(2);
    const errors = target.db.prepare("SELECT last_error FROM downloads WHERE state = 'failed'").pluck().all() as string[];
    for (const error of errors) expect(error).toContain("resources.documents.map.url points at");
    expect(storageSeen).toEqual([]);
    expect(count("SELECT count(*) FROM downloads WHERE state = 'verified'")).toBe(5);
  });

  it('an endpoint that climbs out of the API through a record id is refused', async () => {
    data.applications[0] = { ...(data.applications[0] as Hirebird['applications'][number]), id: '..' };
    await addHirebird(hirebirdManifest());
    const [result] = await target.engine.run({ documents: false });
    expect(result?.error?.code).toBe('provider.malformed_response');
    expect(result?.error?.message).toContain('resources.interviews.endpoint cannot use the id ".." of applications in a path');
    expect(apiSeen.some((request) => request.path === '/v1/interviews')).toBe(false);
  });
});

describe('what ships with the engine', () => {
  it('docs/providers/manifest.schema.json is what the zod schema generates (node scripts/manifest-schema.ts rewrites it)', () => {
    expect(readFileSync(new URL('../../docs/providers/manifest.schema.json', import.meta.url), 'utf8')).toBe(manifestJsonSchema());
  });

  it('capabilities follow the resources and the auth', () => {
    const text = JSON.stringify({ dossierManifest: 1, name: 'Tiny', api: { baseUrl: 'https://tiny.example/api' }, auth: { type: 'oauth2', grant: 'client_credentials' }, resources: { jobs: { endpoint: 'jobs', map: { remoteId: 'id' } } } });
    expect(manifestCapabilities(loadManifest(text, 'tiny.json'))).toMatchObject({ jobs: true, applicants: false, documents: false, grants: ['client_credentials'] });
  });
});
