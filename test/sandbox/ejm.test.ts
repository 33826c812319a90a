import { createHash, verify } from 'node:crypto';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { generateDataset } from '../../electron/sandbox/ejm/dataset.ts';
import { Base64JsonEncoder, DocumentStore } from '../../electron/sandbox/ejm/documents.ts';
import { HashPool } from '../../electron/sandbox/ejm/hash-pool.ts';
import { shapeVariants } from '../../electron/sandbox/ejm/server.ts';
import { Random } from '../../electron/sandbox/random.ts';

/**
 * Conformance of the EconJobMarket emulator with docs/providers/reference.md §1, over real HTTP on 127.0.0.1,
 * on the small dataset.
 */

type Json = Record<string, unknown>;
const zoneless = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

let ejm: StartedEjm;
let origin: string;
let token: string;

async function mintToken(): Promise<string> {
  const reply = await fetch(ejm.ready.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({ client_id: ejm.ready.clientId, client_secret: ejm.ready.clientSecret, grant_type: 'client_credentials' }),
  });
  return ((await reply.json()) as { access_token: string }).access_token;
}

async function control(name: string, body: unknown = {}): Promise<Json> {
  const reply = await fetch(`${origin}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) });
  expect(reply.status).toBe(200);
  return (await reply.json()) as Json;
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; raw: string; body: unknown }> {
  const reply = await fetch(`${origin}/api/${path}`, { ...init, headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...init.headers } });
  const raw = await reply.text();
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    // Not JSON: the test looks at `raw`.
  }
  return { status: reply.status, raw, body };
}

async function list<T = Json>(path: string): Promise<T[]> {
  const reply = await api(path);
  expect(reply.status).toBe(200);
  expect(Array.isArray(reply.body)).toBe(true);
  return reply.body as T[];
}

/** The defensive parse docs/providers/reference.md §1.5 asks of clients: array → [0]; "0" → value; files[] → [0]; else the object. */
function unwrap(body: unknown, listKey: 'files' | 'letters'): { shape: string; blob: Json } {
  if (Array.isArray(body)) return { shape: 'array', blob: body[0] as Json };
  const object = body as Json;
  if ('0' in object) return { shape: 'keyed', blob: object['0'] as Json };
  if (Array.isArray(object[listKey])) return { shape: 'files', blob: (object[listKey] as Json[])[0] as Json };
  return { shape: 'current', blob: object };
}

const decode = (content: unknown) => Buffer.from(String(content).replace(/\s+/g, ''), 'base64');
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

async function pdfText(bytes: Buffer): Promise<string> {
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const pdf = await task.promise;
  let text = '';
  for (let page = 1; page <= Math.min(pdf.numPages, 3); page += 1) {
    text += (await (await pdf.getPage(page)).getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }
  await task.destroy();
  return text;
}

beforeAll(async () => {
  ejm = await startEjm({ scale: 'small', seed: 42 });
  origin = ejm.sandbox.baseUrl;
  token = await mintToken();
});
afterAll(() => ejm.close());
beforeEach(async () => {
  await control('reset-faults');
  await control('shape', { variant: null });
  await control('ip-allowlist', { allowed: null });
});

describe('EJM base64 encoder', () => {
  it('gives the same JSON text whatever the chunk boundaries', () => {
    const random = new Random(5);
    const bytes = Buffer.from(Array.from({ length: 10_000 }, () => random.int(0, 255)));
    const whole = new Base64JsonEncoder();
    const expected = whole.push(bytes) + whole.end();
    expect(expected).toBe(bytes.toString('base64').replace(/.{76}(?=.)/g, '$&\\n').replaceAll('/', '\\/'));
    const pieces = new Base64JsonEncoder();
    let text = '';
    for (let at = 0; at < bytes.length; ) {
      const size = random.int(0, 300);
      text += pieces.push(bytes.subarray(at, at + size));
      at += size;
    }
    expect(text + pieces.end()).toBe(expected);
  });
});

describe('EJM document hashing', () => {
  it('computes the same sha1 digests in worker threads as on the main thread', async () => {
    const data = generateDataset('small', 7);
    const files = [...data.files.values()].filter((file) => file.blobid !== null).slice(0, 6);
    const local = new DocumentStore(data);
    const pooled = new DocumentStore(data, new HashPool(2));
    try {
      await pooled.hashAll(files);
      for (const file of files) expect(pooled.knownSha1(file.blobid ?? 0)).toBe(await local.fileSha1(file));
    } finally {
      await pooled.close();
    }
  });
});

describe('EJM token endpoint', () => {
  it('mints an RS256 JWT for a form body, one hour, bearer, scope basic, no refresh token', async () => {
    const reply = await fetch(ejm.ready.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ client_id: ejm.ready.clientId, client_secret: ejm.ready.clientSecret, grant_type: 'client_credentials' }),
    });
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as Json;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'bearer', scope: 'basic' });
    const [header, payload, signature] = String(body.access_token).split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
    expect(claims).toMatchObject({ iss: '', aud: `${ejm.ready.clientId}@backend`, token_type: 'bearer', scope: 'basic' });
    expect(claims.id).toBe(claims.jti);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), ejm.emulator.publicKeyPem(), Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('accepts HTTP Basic credentials with a multipart body, as the official PHP client sends them', async () => {
    const form = new FormData();
    form.set('grant_type', 'client_credentials');
    const reply = await fetch(`${origin}/token`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Basic ${Buffer.from(`${ejm.ready.clientId}:${ejm.ready.clientSecret}`).toString('base64')}` },
    });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as Json).token_type).toBe('bearer');
  });

  it('answers {error, error_description} for bad credentials, grants and methods', async () => {
    const post = (fields: Record<string, string>) => fetch(ejm.ready.tokenUrl, { method: 'POST', body: new URLSearchParams(fields) });
    const wrong = await post({ client_id: ejm.ready.clientId, client_secret: 'nope', grant_type: 'client_credentials' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'The client credentials are invalid' });
    const grant = await post({ client_id: ejm.ready.clientId, client_secret: ejm.ready.clientSecret, grant_type: 'password' });
    expect(((await grant.json()) as Json).error).toBe('unsupported_grant_type');
    const missing = await post({ client_id: ejm.ready.clientId, client_secret: ejm.ready.clientSecret });
    expect(((await missing.json()) as Json).error).toBe('invalid_request');
    const get = await fetch(ejm.ready.tokenUrl);
    expect(get.status).toBe(405);
    expect(Object.keys((await get.json()) as Json)).toEqual(['error', 'error_description']);
  });
});

describe('EJM data request authentication', () => {
  const expired = { error: 'invalid request', error_description: 'Missing or expired token.' };

  it('takes the token from a Bearer header, the query string or a POST field (urlencoded or multipart), with or without the trailing slash', async () => {
    const bare = (path: string, init: RequestInit = {}) => fetch(`${origin}/api/${path}`, init);
    expect((await bare('conferences', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await bare(`conferences/?access_token=${token}`)).status).toBe(200);
    expect((await bare('conferences/', { method: 'POST', body: new URLSearchParams({ access_token: token }) })).status).toBe(200);
    const form = new FormData();
    form.set('access_token', token);
    expect((await bare('placement_officers/', { method: 'POST', body: form })).status).toBe(200);
  });

  it('refuses a missing, unknown, badly spaced, expired or revoked token with "Missing or expired token."', async () => {
    const attempts = [
      fetch(`${origin}/api/applicants`),
      fetch(`${origin}/api/applicants`, { headers: { authorization: 'Bearer not.a.jwt' } }),
      fetch(`${origin}/api/applicants`, { headers: { authorization: `Bearer  ${token}` } }),
    ];
    for (const reply of await Promise.all(attempts)) {
      expect(reply.status).toBe(401);
      expect(await reply.json()).toEqual(expired);
    }
    await control('faults', { tokenLifetimeSeconds: 0 });
    const shortLived = await fetch(ejm.ready.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ client_id: ejm.ready.clientId, client_secret: ejm.ready.clientSecret, grant_type: 'client_credentials' }),
    }).then((reply) => reply.json() as Promise<Json>);
    expect(shortLived.expires_in).toBe(0);
    expect(await (await fetch(`${origin}/api/applicants?access_token=${String(shortLived.access_token)}`)).json()).toEqual(expired);
    await control('reset-faults');
    const doomed = await mintToken();
    expect(await control('revoke', { token: doomed })).toEqual({ revoked: 1 });
    expect(await (await fetch(`${origin}/api/applicants?access_token=${doomed}`)).json()).toEqual(expired);
    expect((await api('conferences')).status).toBe(200);
  });

  it('refuses every data request from an address not on the allow-list, naming the address', async () => {
    await control('ip-allowlist', { allowed: ['203.0.113.7'] });
    const refused = await api('applications');
    expect(refused.status).toBe(403);
    expect((refused.body as Json).error).toBe('unauthorized request');
    expect(String((refused.body as Json).error_description)).toContain('127.0.0.1');
    await control('ip-allowlist', { allowed: ['127.0.0.1'] });
    expect((await api('applications')).status).toBe(200);
  });
});

describe('EJM resources', () => {
  it('lists applications with files, JSON-string question responses and recommendations', async () => {
    const applications = await list('applications');
    expect(applications).toHaveLength(36);
    const first = applications[0] as Json;
    expect(Object.keys(first)).toEqual(['appid', 'aid', 'fname', 'lname', 'degreeinst', 'posid', 'appdate', 'changedate', 'adtitle', 'files', 'questions', 'recommendations']);
    expect(first.appdate).toMatch(zoneless);
    const files = applications.flatMap((application) => application.files as Json[]);
    expect(Object.keys(files[0] as Json)).toEqual(['file_id', 'posting_doc_id', 'description', 'created_at', 'updated_at', 'aid', 'type', 'blobid', 'type_id', 'name', 'long_description']);
    expect(new Set(files.map((file) => file.type))).toEqual(new Set(['cv']));
    for (const file of files) expect([10, 20, 25, 30, 40, 50, 75]).toContain(file.type_id);
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(['cv', 'jmpaper', 'teachingstatement']));
    const questions = applications.flatMap((application) => application.questions as Json[]);
    for (const question of questions) {
      expect(typeof question.response).toBe('string');
      expect(JSON.parse(String(question.response))).toHaveProperty(String(question.response_id));
    }
    expect(new Set(questions.map((question) => question.type_id))).toContain('check-boxes');
    const recommendations = applications.flatMap((application) => application.recommendations as Json[]);
    expect(Object.keys(recommendations[0] as Json)).toEqual(['recid', 'email', 'fname', 'lname', 'institution', 'department', 'last_reverified', 'reverified_by', 'letterid', 'blobid', 'created_at', 'updated_at']);
    expect(recommendations.some((recommendation) => recommendation.created_at === null)).toBe(true);
    const one = await api(`applications/${String(first.appid)}/`);
    expect(one.body).toEqual(first);
  });

  it('serves applicants with id→name maps, both acknowledgement spellings and escaped slashes and Unicode', async () => {
    const reply = await api('applicants');
    const applicants = reply.body as Json[];
    expect(applicants).toHaveLength(30);
    expect(reply.raw).toContain('\\/');
    expect(reply.raw).toMatch(/\\u[0-9a-f]{4}/);
    expect(reply.raw).not.toMatch(/[^ -~]/);
    for (const applicant of applicants) {
      expect(applicant.error).toBe(false);
      expect(applicant.changedate).toMatch(zoneless);
      for (const key of ['secondary_fields', 'conferences'] as const) {
        const map = applicant[key];
        // PHP writes an empty map as [].
        if (Array.isArray(map)) expect(map).toEqual([]);
        else for (const [id, name] of Object.entries(map as Json)) expect([id, typeof name]).toEqual([expect.stringMatching(/^\d+$/), 'string']);
      }
    }
    expect(applicants.some((applicant) => 'ackdate' in applicant && !('cv_url' in applicant))).toBe(true);
    expect(applicants.some((applicant) => 'ack_date' in applicant && 'cv_url' in applicant)).toBe(true);
    expect(applicants.some((applicant) => !Array.isArray(applicant.secondary_fields) && Object.values(applicant.secondary_fields as Json).some((name) => String(name).endsWith(',')))).toBe(true);
    const one = await api(`applicants/${String(applicants[3]?.aid)}`);
    expect(one.body).toEqual(applicants[3]);
    const missing = await api('applicants/999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'no results returned', error_description: 'No results returned for applicant 999999.' });
  });

  it('lists files with sha1 hashes and external links (type_id 25/75, path URL, nulls)', async () => {
    const files = await list('files');
    expect(files).toHaveLength(135);
    const links = files.filter((file) => file.type_id === 25 || file.type_id === 75);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link).toMatchObject({ blobid: null, filename: null, filesize: null, filetype: null, sha1_hash: null });
      expect(String(link.path)).toMatch(/^https:\/\//);
    }
    for (const file of files.filter((candidate) => candidate.blobid !== null)) {
      expect(Object.keys(file)).toEqual(['file_id', 'aid', 'path', 'blobid', 'type_id', 'filename', 'filesize', 'filetype', 'sha1_hash']);
      expect(file.sha1_hash).toMatch(/^[0-9a-f]{40}$/);
      expect(file.path).toBeNull();
    }
  });

  it('serves a file as base64 in 76-character lines with escaped slashes, matching its sha1, in every reply shape', async () => {
    const files = (await list('files')).filter((file) => file.blobid !== null).slice(0, 6);
    const seen = new Set<string>();
    for (const variant of shapeVariants) {
      await control('shape', { variant });
      for (const meta of files.slice(0, 2)) {
        const reply = await api(`files/${String(meta.file_id)}/`);
        expect(reply.status).toBe(200);
        const { shape, blob } = unwrap(reply.body, 'files');
        seen.add(shape);
        expect(shape).toBe(variant);
        expect(Object.keys(blob)).toEqual(['file_id', 'blobid', 'filename', 'filesize', 'filetype', 'path', 'type_id', 'filecontent', 'sha1_hash']);
        const content = String(blob.filecontent);
        expect(content.split('\n').slice(0, -1).every((line) => line.length === 76)).toBe(true);
        expect(reply.raw).toContain('\\n');
        const bytes = decode(content);
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
        expect(bytes.length).toBe(meta.filesize);
        expect(sha1(bytes)).toBe(blob.sha1_hash);
        expect(blob.sha1_hash).toBe(meta.sha1_hash);
      }
    }
    expect(seen).toEqual(new Set(shapeVariants));
    await control('shape', { variant: null });
    const natural = await Promise.all(
      (await list('files')).filter((file) => file.blobid !== null).map(async (file) => unwrap((await api(`files/${String(file.file_id)}`)).body, 'files').shape),
    );
    expect(new Set(natural)).toEqual(new Set(shapeVariants));
  });

  it('streams the large document whole and correct', async () => {
    const summary = await control('dataset');
    const largest = summary.largestFile as { file_id: number; filesize: number };
    expect(largest.filesize).toBe(6 * 1024 * 1024);
    const reply = await api(`files/${largest.file_id}`);
    const { blob } = unwrap(reply.body, 'files');
    const bytes = decode(blob.filecontent);
    expect(bytes.length).toBe(largest.filesize);
    expect(sha1(bytes)).toBe(blob.sha1_hash);
  });

  it('serves an external link file without content', async () => {
    const link = (await list('files')).find((file) => file.type_id === 25 || file.type_id === 75) as Json;
    const { blob } = unwrap((await api(`files/${String(link.file_id)}`)).body, 'files');
    expect(blob).toMatchObject({ file_id: link.file_id, path: link.path, filecontent: null, sha1_hash: null, blobid: null });
  });

  it('lists letters, serves their PDFs with sha1_hash null, and has letters without a document yet', async () => {
    const letters = await list('letters');
    expect(letters).toHaveLength(110);
    expect(Object.keys(letters[0] as Json)).toEqual(['letterid', 'blobid', 'a_rid', 'date', 'expiry_date', 'name', 'notes', 'created_at', 'updated_at']);
    const pending = letters.filter((letter) => !letter.blobid);
    expect(pending.some((letter) => letter.blobid === null)).toBe(true);
    expect(pending.some((letter) => letter.blobid === 0)).toBe(true);
    expect((await api(`letters/${String(pending[0]?.letterid)}`)).status).toBe(404);

    const applications = await list('applications');
    const ready = letters.find((letter) => letter.blobid) as Json;
    const recommendation = applications.flatMap((application) => (application.recommendations as Json[]).map((rec) => ({ rec, application }))).find(({ rec }) => rec.letterid === ready.letterid);
    expect(recommendation?.rec.blobid).toBe(ready.blobid);
    const { blob } = unwrap((await api(`letters/${String(ready.letterid)}`)).body, 'letters');
    expect(blob).toMatchObject({ letterid: ready.letterid, blobid: ready.blobid, filename: 'reference_letter.pdf', filetype: 'application/pdf', sha1_hash: null });
    const bytes = decode(blob.filecontent);
    expect(bytes.length).toBe(blob.filesize);
    const text = await pdfText(bytes);
    expect(text).toContain('Dear Members of the Search Committee');
    expect(text).toContain(String(recommendation?.rec.institution));
  });

  it('lists conferences and interview slots linked to applications by appid and aid', async () => {
    const conferences = await list('conferences');
    expect(conferences.length).toBeGreaterThan(0);
    expect(Object.keys(conferences[0] as Json)).toEqual(['conference_id', 'name', 'city', 'country', 'start_date', 'end_date', 'url', 'id', 'room_number', 'room_label', 'description', 'code', 'hotel_name', 'hotel_full_name', 'address', 'longitude', 'latitude']);
    const applications = new Map((await list('applications')).map((application) => [application.appid, application]));
    for (const conference of conferences) {
      const slots = await list(`conferences/${String(conference.conference_id)}/`);
      for (const slot of slots) {
        expect(slot.location_id).toBe(conference.id);
        expect(slot.start_datetime).toMatch(zoneless);
        expect(applications.get(slot.appid)?.aid).toBe(slot.aid);
      }
    }
  });

  it('answers the document method for one application: applicant, application, files and letters', async () => {
    const application = (await list('applications'))[1] as Json;
    const appid = String(application.appid);
    expect((await api(`document/${appid}/application`)).body).toEqual(application);
    expect(((await api(`document/${appid}/applicant/`)).body as Json).aid).toBe(application.aid);
    const files = (await api(`document/${appid}/files`)).body as Json[];
    expect(files.map((file) => file.file_id)).toEqual((application.files as Json[]).map((file) => file.file_id));
    for (const file of files) {
      if (file.blobid === null) expect(file.filecontent).toBeNull();
      else expect(sha1(decode(file.filecontent))).toBe(file.sha1_hash);
    }
    const letters = (await api(`document/${appid}/letters`)).body as Json[];
    const uploaded = (application.recommendations as Json[]).filter((recommendation) => recommendation.blobid);
    expect(letters.map((letter) => letter.letterid)).toEqual(uploaded.map((recommendation) => recommendation.letterid));
    for (const letter of letters) expect(decode(letter.filecontent).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api('document/1/files')).status).toBe(404);
  });

  it('answers the undocumented placement_officers call of the official client', async () => {
    const officers = (await api('placement_officers/', { method: 'POST' })).body as Json[];
    expect(Object.keys(officers[0] as Json)).toEqual(['department', 'name', 'fname', 'lname', 'email', 'urlplacement']);
  });
});

describe('EJM faults', () => {
  it('answers 429 with Retry-After, 5xx storms and the throttling page on API routes', async () => {
    await control('faults', { rateLimitEvery: 1, retryAfterSeconds: 3 });
    const limited = await api('applicants');
    expect(limited.status).toBe(429);
    await control('faults', { rateLimitEvery: 0, errorStorm: 1, errorStatus: 503 });
    expect((await api('applicants')).status).toBe(503);
    await control('faults', { throttle: 1 });
    const throttled = await api('applicants');
    expect(throttled.status).toBe(403);
    expect(throttled.raw).toContain('Forbidden');
    await control('faults', { latencyMs: 20, malformed: 1 });
    const html = await api('applications');
    expect(html.raw).toContain('<html>');
    expect((await api('applications')).status).toBe(200);
  });

  it('cuts document replies mid-document (reset and truncation) and serves an HTML page instead when malformed', async () => {
    const summary = await control('dataset');
    const largest = (summary.largestFile as { file_id: number }).file_id;
    for (const fault of ['reset', 'truncate'] as const) {
      await control('faults', { [fault]: 1 });
      await expect(api(`files/${largest}`)).rejects.toThrow();
    }
    await control('faults', { malformed: 1 });
    expect((await api(`files/${largest}`)).status).toBe(502);
    expect((await api(`files/${largest}`)).status).toBe(200);
  });

  it('can serve a file whose bytes do not match its sha1_hash', async () => {
    const file = (await list('files')).find((candidate) => candidate.blobid !== null) as Json;
    await control('corrupt', { file_id: file.file_id });
    const { blob } = unwrap((await api(`files/${String(file.file_id)}`)).body, 'files');
    const bytes = decode(blob.filecontent);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(blob.sha1_hash).toBe(file.sha1_hash);
    expect(sha1(bytes)).not.toBe(blob.sha1_hash);
    await control('corrupt', { clear: true });
    expect(sha1(decode(unwrap((await api(`files/${String(file.file_id)}`)).body, 'files').blob.filecontent))).toBe(file.sha1_hash);
  });
});

describe('EJM dataset and mutations', () => {
  it('generates the same dataset from the same seed and a different one from another seed', async () => {
    const twin = await startEjm({ scale: 'small', seed: 42 });
    const other = await startEjm({ scale: 'small', seed: 43 });
    try {
      const applicants = async (started: StartedEjm) => {
        const tokenReply = await fetch(started.ready.tokenUrl, {
          method: 'POST',
          body: new URLSearchParams({ client_id: started.ready.clientId, client_secret: started.ready.clientSecret, grant_type: 'client_credentials' }),
        });
        const access = ((await tokenReply.json()) as Json).access_token;
        return (await fetch(`${started.ready.baseUrl}applicants/?access_token=${String(access)}`)).text();
      };
      const mine = (await api('applicants')).raw;
      expect(await applicants(twin)).toBe(mine);
      expect(await applicants(other)).not.toBe(mine);
      expect(twin.emulator.summary().documentBytes).toBe(ejm.emulator.summary().documentBytes);
      expect(twin.ready.clientSecret).toBe(ejm.ready.clientSecret);
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('adds, changes, deletes and replaces deterministically', async () => {
    const twin = await startEjm({ scale: 'small', seed: 42 });
    const before = { applications: await list('applications'), applicants: await list('applicants'), files: await list('files'), letters: await list('letters') };
    const summary = (await control('mutate', { count: 40, seed: 9 })) as unknown as {
      added: Record<string, number[]>;
      changed: Record<string, number[]>;
      deleted: Record<string, number[]>;
      replaced: Record<string, number[]>;
    };
    try {
      expect(await fetch(`${twin.sandbox.baseUrl}/__sandbox/mutate`, { method: 'POST', body: JSON.stringify({ count: 40, seed: 9 }) }).then((reply) => reply.json())).toEqual(summary);
    } finally {
      await twin.close();
    }
    for (const kind of ['added', 'changed', 'deleted'] as const) expect(Object.values(summary[kind]).flat().length).toBeGreaterThan(0);
    expect(summary.replaced.files?.length).toBeGreaterThan(0);

    const applications = new Map((await list('applications')).map((application) => [application.appid as number, application]));
    const applicants = new Map((await list('applicants')).map((applicant) => [applicant.aid as number, applicant]));
    const files = new Map((await list('files')).map((file) => [file.file_id as number, file]));
    for (const appid of summary.deleted.applications ?? []) expect(applications.has(appid)).toBe(false);
    for (const aid of summary.deleted.applicants ?? []) expect(applicants.has(aid)).toBe(false);
    for (const appid of summary.added.applications ?? []) expect(applications.has(appid)).toBe(true);
    for (const aid of summary.added.applicants ?? []) expect(applicants.has(aid)).toBe(true);
    const oldApplications = new Map(before.applications.map((application) => [application.appid as number, application]));
    for (const appid of (summary.changed.applications ?? []).filter((id) => applications.has(id) && oldApplications.has(id))) {
      expect(String(applications.get(appid)?.changedate) > String(oldApplications.get(appid)?.changedate)).toBe(true);
    }
    const oldFiles = new Map(before.files.map((file) => [file.file_id as number, file]));
    const replacedFiles = (summary.replaced.files ?? []).filter((id) => files.has(id) && oldFiles.has(id));
    expect(replacedFiles.length).toBeGreaterThan(0);
    for (const fileId of replacedFiles) {
      const now = files.get(fileId) as Json;
      const then = oldFiles.get(fileId) as Json;
      expect(now.blobid).not.toBe(then.blobid);
      expect(now.sha1_hash).not.toBe(then.sha1_hash);
      const { blob } = unwrap((await api(`files/${fileId}`)).body, 'files');
      expect(sha1(decode(blob.filecontent))).toBe(now.sha1_hash);
    }
    const letters = new Map((await list('letters')).map((letter) => [letter.letterid as number, letter]));
    const oldLetters = new Map(before.letters.map((letter) => [letter.letterid as number, letter]));
    for (const letterid of (summary.replaced.letters ?? []).filter((id) => letters.has(id) && oldLetters.has(id))) {
      expect(letters.get(letterid)?.blobid).not.toBe(oldLetters.get(letterid)?.blobid);
      expect(String(letters.get(letterid)?.updated_at) > String(oldLetters.get(letterid)?.updated_at)).toBe(true);
    }
  });
});
