import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLeverPracticeServer, type LeverPracticeServer } from '../../electron/sandbox/lever/server.ts';
import { completeConsent } from './consent.ts';

let server: LeverPracticeServer;
const redirectUri = 'http://127.0.0.1:53682/callback';

const control = (name: string, body: unknown = {}) =>
  fetch(`${new URL(server.baseUrl).origin}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);
const basicKey = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const api = (path: string, authorization = basicKey(server.ready.token)) => fetch(`${server.ready.baseUrl}/${path}`, { headers: { authorization } });

interface Page {
  data: { id: string; updatedAt: number; applications: unknown[] }[];
  hasNext: boolean;
  next?: string;
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(server.ready.authorizeUrl);
  for (const [key, value] of Object.entries({ client_id: server.ready.clientId, redirect_uri: redirectUri, response_type: 'code', state: 'st', ...params })) url.searchParams.set(key, value);
  return url.toString();
}

async function signIn(scope: string): Promise<{ access_token: string; refresh_token?: string; expires_in: number; scope: string }> {
  const consent = await completeConsent(authorizeUrl({ scope, audience: server.ready.audience }), { decision: 'allow' });
  const code = consent.location?.searchParams.get('code') ?? '';
  const response = await fetch(server.ready.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: server.ready.clientId, client_secret: server.ready.clientSecret, code, redirect_uri: redirectUri }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token?: string; expires_in: number; scope: string };
}

beforeAll(async () => {
  server = await startLeverPracticeServer({ seed: 7 });
  await control('register-redirect', { uri: redirectUri });
});
afterAll(() => server.close());

describe('Lever practice server: authentication', () => {
  it('accepts the API key as the Basic user name with an empty password, and refuses a wrong or missing one', async () => {
    expect((await api('postings')).status).toBe(200);
    const wrong = await api('postings', basicKey('not-the-key'));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'UnauthorizedError' });
    expect((await fetch(`${server.ready.baseUrl}/postings`)).status).toBe(401);
  });

  it('signs in with the authorization code, exact redirect, audience and scopes; refresh tokens only with offline_access', async () => {
    const offline = await signIn('offline_access postings:read:admin');
    expect(offline).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'offline_access postings:read:admin' });
    expect(offline.refresh_token).toBeTypeOf('string');
    expect((await api('postings', `Bearer ${offline.access_token}`)).status).toBe(200);
    // A scope not granted is refused with 403.
    const forbidden = await api('opportunities', `Bearer ${offline.access_token}`);
    expect(forbidden.status).toBe(403);
    const online = await signIn('opportunities:read:admin');
    expect(online.refresh_token).toBeUndefined();
    expect((await api('opportunities', `Bearer ${online.access_token}`)).status).toBe(200);
  });

  it('refuses a link without audience, and a redirect URI that differs from the registered one by its port', async () => {
    const noAudience = await fetch(authorizeUrl({ scope: 'postings:read:admin' }), { redirect: 'manual' });
    expect(noAudience.status).toBe(302);
    const location = new URL(noAudience.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('audience');
    const otherPort = await fetch(authorizeUrl({ scope: 'postings:read:admin', audience: server.ready.audience, redirect_uri: 'http://127.0.0.1:53683/callback' }), { redirect: 'manual' });
    expect(otherPort.status).toBe(400);
  });

  it('expires access tokens after an hour', async () => {
    const token = await signIn('postings:read:admin');
    await control('advance-clock', { seconds: 3601 });
    expect((await api('postings', `Bearer ${token.access_token}`)).status).toBe(401);
  });
});

describe('Lever practice server: lists', () => {
  it('pages opportunities with offset tokens, hasNext and next, and refuses a limit over 100 or an offset it never issued', async () => {
    const seen: string[] = [];
    let offset: string | undefined;
    let pages = 0;
    do {
      const response = await api(`opportunities?limit=7${offset ? `&offset=${encodeURIComponent(offset)}` : ''}`);
      const page = (await response.json()) as Page;
      seen.push(...page.data.map((item) => item.id));
      expect(page.hasNext).toBe(page.next !== undefined);
      offset = page.next;
      pages += 1;
    } while (offset !== undefined);
    expect(pages).toBe(Math.ceil(server.data.candidacies.size / 7));
    expect(new Set(seen).size).toBe(server.data.candidacies.size);
    expect((await api('opportunities?limit=101')).status).toBe(400);
    expect((await api('opportunities?offset=0.123.made-up')).status).toBe(400);
  });

  it('filters by updated_at_start in epoch milliseconds and expands applications', async () => {
    const { changed } = (await control('mutate', { change: 2 })) as { changed: string[] };
    const since = Date.now() - 60_000;
    const page = (await (await api(`opportunities?updated_at_start=${since}&expand=applications`)).json()) as Page;
    expect(page.data.map((item) => item.id).sort()).toEqual([...changed].sort());
    expect(page.data[0]?.applications[0]).toMatchObject({ type: 'posting', opportunityId: page.data[0]?.id });
    expect((await api('opportunities?updated_at_start=yesterday')).status).toBe(400);
  });

  it('lists resumes and downloads the file from the API origin with the credentials', async () => {
    const candidacy = [...server.data.candidacies.values()].find((entry) => entry.resumes.length > 0);
    if (!candidacy) throw new Error('the seeded data has no resume');
    const list = (await (await api(`opportunities/${candidacy.opportunity.id}/resumes`)).json()) as { data: { id: string; file: { size: number } }[] };
    const resume = list.data[0];
    if (!resume) throw new Error('no resume listed');
    const path = `opportunities/${candidacy.opportunity.id}/resumes/${resume.id}/download`;
    const download = await api(path);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(resume.file.size);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await fetch(`${server.ready.baseUrl}/${path}`)).status).toBe(401);
  });
});

describe('Lever practice server: faults and stats', () => {
  it('answers the shared faults: 429 with Retry-After, the throttle 429, a 503 storm, and counts requests', async () => {
    await control('faults', { rateLimitEvery: 1, retryAfterSeconds: 2 });
    const limited = await api('postings');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    await control('reset-faults');
    await control('faults', { throttle: 1, errorStorm: 1 });
    const throttled = await api('postings');
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toMatchObject({ code: 'TooManyRequests' });
    expect((await api('postings')).status).toBe(503);
    expect((await api('postings')).status).toBe(200);
    const stats = (await (await fetch(`${new URL(server.baseUrl).origin}/__sandbox/stats`)).json()) as Record<string, number>;
    expect(stats['GET /v1/postings']).toBe(3);
  });
});
