import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGreenhousePracticeServer, type GreenhousePracticeServer } from '../../electron/sandbox/greenhouse/server.ts';

/** The Greenhouse Harvest v1 practice server against what the public documentation states (docs/providers/published/greenhouse-harvest.md). */

let server: GreenhousePracticeServer;
let auth: string;

const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const api = (path: string, authorization: string | null = auth) => fetch(`${server.ready.baseUrl}${path}`, { headers: authorization === null ? {} : { authorization } });
const control = (origin: string, name: string, body: unknown = {}) => fetch(`${origin}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);

interface Link {
  readonly url: string;
  readonly rel: string;
}
function links(response: Response): Link[] {
  const header = response.headers.get('link');
  if (header === null) return [];
  return header.split(/,\s*(?=<)/).map((part) => {
    const match = /^<([^>]+)>;\s*rel="([a-z]+)"$/.exec(part.trim());
    if (!match) throw new Error(`not an RFC 8288 link: ${part}`);
    return { url: match[1] as string, rel: match[2] as string };
  });
}
const rel = (response: Response, name: string) => links(response).find((link) => link.rel === name)?.url;

/** Every page of a list, by its Link header, from `path`. */
async function walk(path: string): Promise<{ items: { id: number }[]; pages: number }> {
  const items: { id: number }[] = [];
  let url: string | undefined = `${server.ready.baseUrl}${path}`;
  let pages = 0;
  while (url !== undefined) {
    const response = await fetch(url, { headers: { authorization: auth } });
    expect(response.status).toBe(200);
    items.push(...((await response.json()) as { id: number }[]));
    pages += 1;
    url = rel(response, 'next');
  }
  return { items, pages };
}

beforeAll(async () => {
  server = await startGreenhousePracticeServer({ seed: 11 });
  auth = basic(server.ready.token);
  // The documented limit (50 per 10 s) is tested on its own below; the other tests may make more requests.
  await control(server.baseUrl, 'rate-limit', { limit: 10_000 });
});
afterAll(() => server.close());

describe('Greenhouse practice server: authentication', () => {
  it('takes the API key as the Basic user name with a blank password, and refuses everything else with 401', async () => {
    expect((await api('/candidates')).status).toBe(200);
    for (const authorization of [null, basic('not-the-key'), basic(server.ready.token, 'password'), `Bearer ${server.ready.token}`, `Basic ${server.ready.token}`]) {
      const response = await api('/candidates', authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Invalid Basic Auth credentials' });
    }
  });

  it('has a ready line for an oauth2 account with the bundled manifest, its storage host on another origin', () => {
    expect(server.ready).toMatchObject({ provider: 'oauth2', manifest: 'greenhouse-harvest', token: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(server.ready.baseUrl).toBe(`${server.baseUrl}/v1`);
    expect(server.ready.downloadHosts).toEqual([new URL(server.storage.baseUrl).host]);
    expect(new URL(server.storage.baseUrl).origin).not.toBe(new URL(server.baseUrl).origin);
  });

  it('runs as `dossier sandbox greenhouse`: one JSON ready line, a key that works, stopped by SIGTERM', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/dossier.js'), 'sandbox', 'greenhouse', '--seed', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('sandbox exited before its ready line')));
    });
    const ready = JSON.parse(line) as { provider: string; manifest: string; baseUrl: string; token: string; downloadHosts: string[] };
    expect(Object.keys(ready)).toEqual(['provider', 'manifest', 'baseUrl', 'token', 'downloadHosts']);
    expect(ready).toMatchObject({ provider: 'oauth2', manifest: 'greenhouse-harvest' });
    expect((await fetch(`${ready.baseUrl}/jobs`, { headers: { authorization: basic(ready.token) } })).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('Greenhouse practice server: paging', () => {
  it('walks a list by its Link header (next, prev, last) to every record once, in id order', async () => {
    const { items, pages } = await walk('/candidates?per_page=7');
    expect(pages).toBe(Math.ceil(server.data.candidates.size / 7));
    expect(items.map((item) => item.id)).toEqual([...server.data.candidates.keys()]);
    const first = await api('/candidates?per_page=7');
    expect(links(first).map((link) => link.rel)).toEqual(['next', 'last']);
    expect(new URL(rel(first, 'next') as string).searchParams.get('page')).toBe('2');
    expect(new URL(rel(first, 'last') as string).searchParams.get('page')).toBe(String(pages));
    const last = await fetch(rel(first, 'last') as string, { headers: { authorization: auth } });
    expect(links(last).map((link) => link.rel)).toEqual(['prev', 'last']);
  });

  it('sends no Link header when there is one page, drops last with skip_count, and defaults to 100 per page', async () => {
    const all = await api('/candidates');
    expect(all.headers.get('link')).toBe(null);
    expect(((await all.json()) as unknown[]).length).toBe(Math.min(100, server.data.candidates.size));
    const skipped = await api('/applications?per_page=5&skip_count=true');
    expect(links(skipped).map((link) => link.rel)).toEqual(['next']);
  });

  it('refuses per_page outside 1..500 and a bad page with the documented validation error', async () => {
    for (const [query, field] of [['per_page=501', 'per_page'], ['per_page=0', 'per_page'], ['page=-1', 'page'], ['page=two', 'page']] as const) {
      const response = await api(`/jobs?${query}`);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ message: 'Validation error', errors: [{ field }] });
    }
    expect((await api('/jobs?per_page=500')).status).toBe(200);
  });

  it('keeps the filters in the links it gives', async () => {
    const response = await api('/candidates?per_page=3&created_after=2000-01-01T00:00:00Z');
    expect(new URL(rel(response, 'next') as string).searchParams.get('created_after')).toBe('2000-01-01T00:00:00Z');
  });
});

describe('Greenhouse practice server: changed-since filters and mutations', () => {
  it('answers updated_after with the candidates changed at or after it, and last_activity_after with their applications', async () => {
    const mutated = await control(server.baseUrl, 'mutate', { add: 1, change: 2 });
    const since = encodeURIComponent(mutated.at as string);
    const candidates = (await (await api(`/candidates?updated_after=${since}`)).json()) as { id: number; updated_at: string }[];
    expect(candidates.map((candidate) => candidate.id).sort()).toEqual([...(mutated.added as number[]), ...(mutated.changed as number[])].sort());
    const applications = (await (await api(`/applications?last_activity_after=${since}`)).json()) as { candidate_id: number }[];
    expect(new Set(applications.map((application) => application.candidate_id))).toEqual(new Set([...(mutated.added as number[]), ...(mutated.changed as number[])]));
    const invalid = await api('/candidates?updated_after=yesterday');
    expect(invalid.status).toBe(422);
  });

  it('removes a candidate with its applications', async () => {
    const [id] = [...server.data.candidates.keys()];
    const applicationIds = ((await (await api(`/candidates/${id}`)).json()) as { application_ids: number[] }).application_ids;
    expect(applicationIds.length).toBeGreaterThan(0);
    await control(server.baseUrl, 'mutate', { removeIds: [id] });
    expect((await api(`/candidates/${id}`)).status).toBe(404);
    for (const applicationId of applicationIds) expect((await api(`/applications/${applicationId}`)).status).toBe(404);
  });

  it('lists scheduled interviews, also per application', async () => {
    const interviews = (await (await api('/scheduled_interviews?per_page=500')).json()) as { id: number; application_id: number; start: { date_time: string } }[];
    expect(interviews.length).toBe(server.data.interviews.size);
    const first = interviews[0];
    if (first === undefined) throw new Error('the seeded data has no interviews');
    const forApplication = (await (await api(`/applications/${first.application_id}/scheduled_interviews`)).json()) as { id: number }[];
    expect(forApplication.map((interview) => interview.id)).toContain(first.id);
    expect((await api('/applications/1/scheduled_interviews')).status).toBe(404);
  });
});

describe('Greenhouse practice server: attachments on the signed storage host', () => {
  async function firstAttachment(): Promise<{ url: string; type: string; filename: string }> {
    const [candidate] = (await (await api('/candidates?per_page=1')).json()) as { attachments: { url: string; type: string; filename: string; created_at: string }[] }[];
    const attachment = candidate?.attachments[0];
    if (attachment === undefined) throw new Error('the first candidate has no attachment');
    return attachment;
  }

  it('serves a PDF at the signed URL with no credentials, and refuses any Authorization header', async () => {
    const attachment = await firstAttachment();
    expect(attachment.type).toBe('resume');
    const url = new URL(attachment.url);
    expect(url.origin).toBe(server.storage.baseUrl);
    expect([...url.searchParams.keys()].sort()).toEqual(['AWSAccessKeyId', 'Expires', 'Signature']);
    const download = await fetch(attachment.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const withKey = await fetch(attachment.url, { headers: { authorization: auth } });
    expect(withKey.status).toBe(400);
    expect(await withKey.text()).toContain('<Code>InvalidArgument</Code>');
    expect(server.storageAuthorizations).toContain(auth);
  });

  it('lets a URL live seven days, refuses it after, and refuses a changed signature', async () => {
    const attachment = await firstAttachment();
    const tampered = new URL(attachment.url);
    tampered.searchParams.set('Signature', 'AAAA' + (tampered.searchParams.get('Signature') ?? '').slice(4));
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    await control(server.baseUrl, 'advance-clock', { seconds: 7 * 86_400 - 60 });
    expect((await fetch(attachment.url)).status).toBe(200);
    await control(server.baseUrl, 'advance-clock', { seconds: 120 });
    const expired = await fetch(attachment.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    // A new listing signs a new URL, which works again.
    expect((await fetch((await firstAttachment()).url)).status).toBe(200);
  });
});

describe('Greenhouse practice server: rate limit and faults', () => {
  it('counts the documented X-RateLimit headers down and answers 429 without them past the limit', async () => {
    await control(server.baseUrl, 'rate-limit', { limit: 2 });
    try {
      const first = await api('/jobs');
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect((await api('/jobs')).headers.get('x-ratelimit-remaining')).toBe('0');
      const limited = await api('/jobs');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-limit')).toBe(null);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe(null);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await control(server.baseUrl, 'rate-limit', { limit: 10_000 });
    }
  });

  it('applies the shared faults to the API and, separately, to the storage host', async () => {
    await control(server.baseUrl, 'faults', { errorStorm: 1, errorStatus: 503 });
    expect((await api('/jobs')).status).toBe(503);
    expect((await api('/jobs')).status).toBe(200);
    await control(server.baseUrl, 'faults', { malformed: 1 });
    const html = await api('/jobs');
    expect(html.headers.get('content-type')).toBe('text/html');
    const attachmentUrl = ((await (await api('/candidates?per_page=1')).json()) as { attachments: { url: string }[] }[])[0]?.attachments[0]?.url as string;
    await control(server.storage.baseUrl, 'faults', { throttle: 1 });
    const slowDown = await fetch(attachmentUrl);
    expect(slowDown.status).toBe(503);
    expect(await slowDown.text()).toContain('<Code>SlowDown</Code>');
    expect((await fetch(attachmentUrl)).status).toBe(200);
    await control(server.baseUrl, 'reset-faults');
    await control(server.storage.baseUrl, 'reset-faults');
  });
});
