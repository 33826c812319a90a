import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import { startCareerPlugEmulator, type CareerPlugEmulator } from '../../electron/sandbox/careerplug/server.ts';
import { pageCaps } from '../../electron/sandbox/strictness.ts';
import { basic, completeConsent, pkcePair } from './consent.ts';

let emulator: CareerPlugEmulator;
let token: string;

const control = (name: string, body: unknown = {}) =>
  fetch(`${emulator.baseUrl}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);

/** A urlencoded POST to the app host: /oauth/token unless another endpoint is named. */
async function postForm(body: Record<string, string>, init: RequestInit = {}, url = emulator.ready.tokenUrl): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
    body: new URLSearchParams(body).toString(),
  });
}

const api = (path: string, accessToken = token, init: RequestInit = {}) => {
  const url = new URL(path, emulator.baseUrl);
  url.searchParams.set('access_token', accessToken);
  return fetch(url, { ...init, headers: { 'accept-version': 'v1', ...init.headers } });
};

async function signInWithCode(): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const pkce = pkcePair();
  const authorize = new URL(emulator.ready.authorizeUrl);
  Object.entries({ client_id: emulator.ready.clientId, redirect_uri: 'http://127.0.0.1:49152/callback', response_type: 'code', state: 's1', code_challenge: pkce.challenge, code_challenge_method: 'S256' }).forEach(([key, value]) => authorize.searchParams.set(key, value));
  const consent = await completeConsent(authorize.toString(), { decision: 'allow' });
  const code = consent.location?.searchParams.get('code') ?? '';
  const response = await postForm({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:49152/callback', code_verifier: pkce.verifier, client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string; expires_in: number };
}

beforeAll(async () => {
  // The partner integration: the OAuth tests below ask for global_partner_api (the custom one is tested at the end).
  emulator = await startCareerPlugEmulator({ seed: 5, strictness: { integration: 'partner' } });
  const response = await postForm({ grant_type: 'client_credentials', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, scope: 'global_partner_api' });
  token = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(() => emulator.close());

describe('CareerPlug emulator: OAuth on the app host', () => {
  it('mints client-credentials tokens with created_at and a 48 h lifetime, credentials in the body, Basic or the query', async () => {
    const { clientId, clientSecret } = emulator.ready;
    const viaBody = await postForm({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'global_partner_api' });
    const viaBasic = await postForm({ grant_type: 'client_credentials', scope: 'global_partner_api' }, { headers: { authorization: basic(clientId, clientSecret) } });
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'global_partner_api' });
    const viaQuery = await fetch(`${emulator.ready.tokenUrl}?${query}`, { method: 'POST' });
    for (const response of [viaBody, viaBasic, viaQuery]) {
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 172800, scope: 'global_partner_api' });
      expect(body.refresh_token).toBeUndefined();
      expect(Math.abs((body.created_at as number) - Date.now() / 1000)).toBeLessThan(60);
    }
  });

  it('refuses any scope but global_partner_api, and bad credentials', async () => {
    const { clientId, clientSecret } = emulator.ready;
    for (const scope of ['public', 'partner_api', '']) {
      const response = await postForm({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
    }
    const wrong = await postForm({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope', scope: 'global_partner_api' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('describes a token at /oauth/token/info with a Bearer header', async () => {
    const response = await fetch(`${emulator.baseUrl}/oauth/token/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(await response.json()).toMatchObject({ resource_owner_id: null, scope: ['global_partner_api'], application: { uid: emulator.ready.clientId } });
    const bad = await fetch(`${emulator.baseUrl}/oauth/token/info`, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
  });

  it('runs the authorization-code flow with rotating refresh tokens and reuse detection', async () => {
    const first = await signInWithCode();
    expect(first.expires_in).toBe(172800);
    const info = await fetch(`${emulator.baseUrl}/oauth/token/info`, { headers: { authorization: `Bearer ${first.access_token}` } });
    expect(((await info.json()) as { resource_owner_id: number }).resource_owner_id).toBe(emulator.data.users[0]?.id);
    const refresh = (value: string) =>
      postForm({ grant_type: 'refresh_token', refresh_token: value, redirect_uri: 'http://127.0.0.1:49152/callback', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret });
    const rotated = (await (await refresh(first.refresh_token)).json()) as { access_token: string; refresh_token: string; created_at: number };
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.created_at).toBeTypeOf('number');
    expect((await api('/jobs', rotated.access_token)).status).toBe(200);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await api('/jobs', rotated.access_token)).status).toBe(401);
  });

  it('expires authorization codes after ten minutes', async () => {
    const authorize = new URL(emulator.ready.authorizeUrl);
    Object.entries({ client_id: emulator.ready.clientId, redirect_uri: 'http://127.0.0.1:50000/callback', response_type: 'code' }).forEach(([key, value]) => authorize.searchParams.set(key, value));
    const consent = await completeConsent(authorize.toString(), { decision: 'allow' });
    await control('advance-clock', { seconds: 601 });
    const response = await postForm({ grant_type: 'authorization_code', code: consent.location?.searchParams.get('code') ?? '', redirect_uri: 'http://127.0.0.1:50000/callback', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('shows the code on the page for the out-of-band redirect URI, and revokes at /oauth/revoke', async () => {
    const authorize = new URL(emulator.ready.authorizeUrl);
    Object.entries({ client_id: emulator.ready.clientId, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', response_type: 'code' }).forEach(([key, value]) => authorize.searchParams.set(key, value));
    const consent = await completeConsent(authorize.toString(), { decision: 'allow' });
    expect(consent.status).toBe(200);
    const code = /<output id="code">([^<]+)<\/output>/.exec(consent.html)?.[1] ?? '';
    const denied = await completeConsent(authorize.toString(), { decision: 'deny' });
    expect(denied.location).toBeNull();
    expect(denied.html).toContain('access_denied');
    const exchanged = await postForm({ grant_type: 'authorization_code', code, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret });
    const { access_token: accessToken } = (await exchanged.json()) as { access_token: string };
    expect((await api('/jobs', accessToken)).status).toBe(200);
    const revoked = await postForm({ token: accessToken }, { headers: { authorization: basic(emulator.ready.clientId, emulator.ready.clientSecret) } }, `${emulator.baseUrl}/oauth/revoke`);
    expect(revoked.status).toBe(200);
    expect((await api('/jobs', accessToken)).status).toBe(401);
  });

  it('answers unknown app-host paths with {"error":"not_found"}', async () => {
    const response = await fetch(`${emulator.baseUrl}/oauth/applications`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found' });
  });
});

describe('CareerPlug emulator: API host', () => {
  it('serves jobs as bare arrays, paged with page/per_page, and one job by id', async () => {
    const all = (await (await api('/jobs?per_page=100')).json()) as { id: number; prescreen_questions: unknown[]; location: Record<string, unknown> }[];
    expect(all.length).toBe(emulator.data.jobs.size);
    const page2 = (await (await api('/jobs?page=2&per_page=2')).json()) as { id: number }[];
    expect(page2.map((job) => job.id)).toEqual(all.slice(2, 4).map((job) => job.id));
    const first = all[0];
    const one = (await (await api(`/jobs/${first?.id}`)).json()) as Record<string, unknown>;
    expect(one).toMatchObject({ id: first?.id, status: expect.any(String), employment: { id: expect.any(Number) }, owner: { id: expect.any(String) } });
    expect((await api('/jobs/1')).status).toBe(404);
  });

  it('takes the token only as the access_token query parameter, and Accept-Version v1', async () => {
    const bearer = await fetch(`${emulator.baseUrl}/jobs`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toEqual({ error: 'OAuth error: WineBouncer::Errors::OAuthUnauthorizedError' });
    const unversioned = await fetch(`${emulator.baseUrl}/jobs?access_token=${token}`);
    expect(unversioned.status).toBe(200);
    expect(unversioned.headers.get('x-request-id')).toBeTruthy();
    const unknown = await api('/v1/jobs');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'Unable to find endpoint' });
  });

  it('filters apps by job and by whole days of applied_at, hired_at or last_acted_on_at', async () => {
    const apps = [...emulator.data.apps.values()];
    const all = (await (await api('/apps?per_page=100')).json()) as { id: number }[];
    expect(all.length).toBe(apps.length);
    const jobId = apps[0]?.job.id;
    const forJob = (await (await api(`/apps?job_id=${jobId}&per_page=100`)).json()) as { job: { id: number } }[];
    expect(forJob.length).toBe(apps.filter((app) => app.job.id === jobId).length);
    expect(forJob.every((app) => app.job.id === jobId)).toBe(true);
    const days = [...new Set(apps.map((app) => app.last_acted_on_at.slice(0, 10)))].sort();
    expect(days.length).toBeGreaterThan(5);
    const [start, end] = [days[1] as string, days[3] as string];
    const window = (await (await api(`/apps?date_field=last_acted_on_at&start_date=${start}&end_date=${end}&per_page=100`)).json()) as { id: number }[];
    const expected = apps.filter((app) => app.last_acted_on_at.slice(0, 10) >= start && app.last_acted_on_at.slice(0, 10) <= end).map((app) => app.id);
    expect(window.map((app) => app.id).sort()).toEqual(expected.sort());
    const hired = (await (await api(`/apps?date_field=hired_at&start_date=2000-01-01&per_page=100`)).json()) as { hiring_status: string }[];
    expect(hired.every((app) => app.hiring_status === 'hired')).toBe(true);
    const bad = await api('/apps?date_field=updated_at&start_date=2024-01-01');
    expect(bad.status).toBe(400);
    expect((await api('/apps?start_date=2024-13-45')).status).toBe(400);
    const one = apps[0];
    expect(await (await api(`/apps/${one?.id}`)).json()).toMatchObject({ id: one?.id, hiring_status: one?.hiring_status, app: { email: one?.app.email } });
  });

  it('serves locations with the "zip code" key, users, departments, employments and brands', async () => {
    const locations = (await (await api('/locations')).json()) as Record<string, unknown>[];
    expect(locations[0]).toHaveProperty(['zip code']);
    expect(typeof locations[0]?.id).toBe('string');
    expect(await (await api(`/locations/${locations[0]?.id as string}`)).json()).toMatchObject({ id: locations[0]?.id });
    const users = (await (await api('/users')).json()) as { email: string; login_url: string }[];
    expect(users[0]?.login_url).toMatch(/^https:/);
    expect(((await (await api(`/users?email=${encodeURIComponent(users[0]?.email ?? '')}`)).json()) as unknown[]).length).toBe(1);
    for (const path of ['/departments', '/employments', '/brands']) {
      const rows = (await (await api(path)).json()) as { id: number; name: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toEqual({ id: expect.any(Number), name: expect.any(String) });
    }
  });

  it('applies an applicant with POST /apps, validating the InboundApp', async () => {
    const job = [...emulator.data.jobs.values()][0];
    if (!job) throw new Error('no job');
    const answers = job.prescreen_questions.map((question) => ({ id: question.id, value: question.answers[0] }));
    const post = (body: unknown) => api('/apps', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post({ job_id: job.id, app: { email: 'ana@example.com', firstname: 'Ana', lastname: 'Ruiz', resume: { text: 'Ten years at the front desk.' } }, prescreen_answers: answers });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect(await (await api(`/apps/${id}`)).json()).toMatchObject({ id, hiring_status: 'new_app', app: { firstname: 'Ana' }, job: { id: job.id } });
    const both = await post({ job_id: job.id, app: { email: 'a@b.c', firstname: 'A', lastname: 'B', resume: { text: 'x', file: { name: 'cv.pdf', data: 'JVBERi0=', content_type: 'application/pdf' } } }, prescreen_answers: answers });
    expect(both.status).toBe(400);
    expect(((await both.json()) as { error: string }).error).toContain('mutually exclusive');
    const missing = await post({ job_id: job.id, app: { firstname: 'A' } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toMatch(/app\[email\] is missing.*prescreen_answers is missing/);
    const withFile = await post({ job_id: job.id, app: { email: 'c@d.e', firstname: 'C', lastname: 'D', resume: { file: { name: 'cv.pdf', data: 'JVBERi0xLjQK', content_type: 'application/pdf' } } }, prescreen_answers: answers });
    expect(withFile.status).toBe(201);
  });

  it('gives the WineBouncer 401 to a client-credentials token not provisioned for a resource, but not to a user token', async () => {
    await control('provision', { resources: ['apps'] });
    try {
      const jobs = await api('/jobs');
      expect(jobs.status).toBe(401);
      expect(await jobs.json()).toEqual({ error: 'OAuth error: WineBouncer::Errors::OAuthUnauthorizedError' });
      expect((await api('/apps')).status).toBe(200);
      const user = await signInWithCode();
      expect((await api('/jobs', user.access_token)).status).toBe(200);
    } finally {
      await control('provision', { resources: null });
    }
    expect((await api('/jobs')).status).toBe(200);
  });

  it('throttles with the load balancer\'s bare HTML 403 and no x-request-id', async () => {
    await control('faults', { throttle: 1 });
    const throttled = await api('/jobs');
    expect(throttled.status).toBe(403);
    expect(throttled.headers.get('server')).toBe('awselb/2.0');
    expect(throttled.headers.get('x-request-id')).toBeNull();
    expect(await throttled.text()).toContain('<h1>403 Forbidden</h1>');
    expect((await api('/jobs')).status).toBe(200);
  });

  it('applies the harness faults: 429 with Retry-After, 5xx storm, truncated body', async () => {
    await control('faults', { rateLimitEvery: 1, retryAfterSeconds: 7 });
    const limited = await api('/jobs');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    await control('faults', { rateLimitEvery: 0, errorStorm: 2, errorStatus: 503 });
    expect((await api('/jobs')).status).toBe(503);
    expect((await api('/jobs')).status).toBe(503);
    await control('faults', { truncate: 1 });
    await expect(api('/jobs').then((response) => response.text())).rejects.toThrow();
    await control('reset-faults');
    expect((await api('/jobs')).status).toBe(200);
  });

  it('honours the token-lifetime fault and revocation', async () => {
    await control('faults', { tokenLifetimeSeconds: 30 });
    const response = await postForm({ grant_type: 'client_credentials', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, scope: 'global_partner_api' });
    const short = (await response.json()) as { access_token: string; expires_in: number };
    await control('reset-faults');
    expect(short.expires_in).toBe(30);
    expect((await api('/jobs', short.access_token)).status).toBe(200);
    await control('advance-clock', { seconds: 31 });
    expect((await api('/jobs', short.access_token)).status).toBe(401);
    expect((await api('/jobs')).status).toBe(200);
    await control('revoke', { token });
    expect((await api('/jobs')).status).toBe(401);
    const again = await postForm({ grant_type: 'client_credentials', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, scope: 'global_partner_api' });
    token = ((await again.json()) as { access_token: string }).access_token;
  });

  it('mutates apps between runs so the last_acted_on_at cursor sees them', async () => {
    const today = ((await control('advance-clock', { seconds: 0 })).now as string).slice(0, 10);
    const before = (await (await api(`/apps?date_field=last_acted_on_at&start_date=${today}&per_page=100`)).json()) as { id: number }[];
    const result = (await control('mutate', { add: 2, change: 3, remove: 1 })) as { added: number[]; changed: number[]; removed: number[] };
    expect(result.added).toHaveLength(2);
    expect(result.changed).toHaveLength(3);
    expect(result.removed).toHaveLength(1);
    const after = (await (await api(`/apps?date_field=last_acted_on_at&start_date=${today}&per_page=100`)).json()) as { id: number }[];
    const ids = new Set(after.map((app) => app.id));
    for (const id of [...result.added, ...result.changed]) expect(ids.has(id)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
    expect((await api(`/apps/${result.removed[0]}`)).status).toBe(404);
  });

  it('generates the same dataset from the same seed', async () => {
    const twin = await startCareerPlugEmulator({ seed: 5 });
    const other = await startCareerPlugEmulator({ seed: 6, scale: '16' });
    try {
      expect([...twin.data.jobs.values()].map((job) => job.name)).toEqual([...emulator.data.jobs.values()].map((job) => job.name));
      expect(twin.ready.clientId).toBe(emulator.ready.clientId);
      expect(other.data.apps.size).toBe(16);
      expect(other.ready.clientId).not.toBe(emulator.ready.clientId);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });
});

describe('CareerPlug emulator: strictness profiles (README, "Strictness profiles")', () => {
  const tokenFor = async (started: { tokenUrl: string; clientId: string; clientSecret: string }, scope: string | null) =>
    fetch(started.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: started.clientId, client_secret: started.clientSecret, ...(scope === null ? {} : { scope }) }).toString(),
    });

  it('a custom integration (the default, through the factory) is granted the official request without a scope, and refuses global_partner_api', async () => {
    const started = await careerplugEmulator.start({ scale: 'small', seed: 5 });
    try {
      const plain = await tokenFor(started.ready, null);
      expect(plain.status).toBe(200);
      const body = (await plain.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 172800 });
      // Doorkeeper leaves a blank scope out, as the official example reply does.
      expect(body.scope).toBeUndefined();
      const partner = await tokenFor(started.ready, 'global_partner_api');
      expect(partner.status).toBe(400);
      expect(await partner.json()).toMatchObject({ error: 'invalid_scope' });
    } finally {
      await started.close();
    }
  });

  it('the partner integration refuses the request without a scope', async () => {
    const response = await tokenFor(emulator.ready, null);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it.each(pageCaps.map((cap) => [cap === null ? 'none' : String(cap), cap] as const))('pageCap=%s: per_page is served up to the cap, silently', async (_name, cap) => {
    const started = await startCareerPlugEmulator({ scale: '120', seed: 5, strictness: { pageCap: cap, integration: 'partner' } });
    try {
      const minted = (await (await tokenFor(started.ready, 'global_partner_api')).json()) as { access_token: string };
      const page = async (number: number) => {
        const url = new URL('/apps', started.ready.baseUrl);
        Object.entries({ access_token: minted.access_token, page: String(number), per_page: '110' }).forEach(([key, value]) => url.searchParams.set(key, value));
        return (await (await fetch(url)).json()) as { id: number }[];
      };
      expect((await page(1)).length).toBe(Math.min(110, cap ?? 110));
      // The ignore-page fault: page 2 answers page 1 again.
      await fetch(`${started.ready.baseUrl}/__sandbox/ignore-page`, { method: 'POST', body: JSON.stringify({ on: true }) });
      expect((await page(2)).map((app) => app.id)).toEqual((await page(1)).map((app) => app.id));
    } finally {
      await started.close();
    }
  });
});
