import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infojobsScopes, startInfoJobsEmulator, type InfoJobsEmulator } from '../../electron/sandbox/infojobs/server.ts';
import { basic, completeConsent, pkcePair } from './consent.ts';
import { expectSeedDecidesDataset } from './seeds.ts';
import { pageCaps } from '../../electron/sandbox/strictness.ts';

let emulator: InfoJobsEmulator;
let clientAuth: string;
let tokens: { access_token: string; refresh_token: string };

const redirectUri = 'http://127.0.0.1:41234/callback';
const control = (name: string, body: unknown = {}) =>
  fetch(`${emulator.baseUrl}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);

async function authorize(scope: string, state = 'st-1'): Promise<{ code: string; verifier: string }> {
  const pkce = pkcePair();
  const url = new URL(emulator.ready.authorizeUrl);
  Object.entries({ scope, client_id: emulator.ready.clientId, redirect_uri: redirectUri, response_type: 'code', state, code_challenge: pkce.challenge, code_challenge_method: 'S256' }).forEach(([key, value]) => url.searchParams.set(key, value));
  const consent = await completeConsent(url.toString(), { decision: 'allow' });
  expect(consent.location?.searchParams.get('state')).toBe(state);
  return { code: consent.location?.searchParams.get('code') ?? '', verifier: pkce.verifier };
}

/** Most public clients send the token request's parameters in the query string of a POST. */
async function tokenRequest(params: Record<string, string>, inBody = false): Promise<Response> {
  const all = new URLSearchParams({ client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, redirect_uri: redirectUri, ...params });
  return inBody
    ? fetch(emulator.ready.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: all.toString() })
    : fetch(`${emulator.ready.tokenUrl}?${all}`, { method: 'POST' });
}

const call = (path: string, authorization = `${clientAuth},Bearer ${tokens.access_token}`, init: RequestInit = {}) =>
  fetch(`${emulator.baseUrl}${path}`, { ...init, headers: { authorization, ...init.headers } });
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

beforeAll(async () => {
  emulator = await startInfoJobsEmulator({ seed: 3 });
  clientAuth = basic(emulator.ready.clientId, emulator.ready.clientSecret);
  const { code, verifier } = await authorize(infojobsScopes.join(','));
  const response = await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier });
  tokens = (await response.json()) as typeof tokens;
});
afterAll(() => emulator.close());

describe('InfoJobs emulator: user OAuth', () => {
  it('issues 12-hour tokens at POST /oauth/authorize, parameters in the query string or the body', async () => {
    const { code, verifier } = await authorize('MY_APPLICATIONS,CV');
    const response = await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier }, true);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ expires_in: 43199, scope: 'MY_APPLICATIONS,CV', token_type: 'undefined' });
    expect(body.access_token).toMatch(/^[0-9a-f-]{36}$/);
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: body.refresh_token as string });
    expect(refreshed.status).toBe(200);
    expect((await json(refreshed)).refresh_token).not.toBe(body.refresh_token);
    const replay = await tokenRequest({ grant_type: 'refresh_token', refresh_token: body.refresh_token as string }, true);
    expect(replay.status).toBe(400);
    expect(await json(replay)).toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts lower-case scope names and refuses unknown ones on the authorize page', async () => {
    const { code, verifier } = await authorize('my_applications');
    const body = await json(await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier }));
    expect(body.scope).toBe('MY_APPLICATIONS');
    const url = new URL(emulator.ready.authorizeUrl);
    Object.entries({ scope: 'EVERYTHING', client_id: emulator.ready.clientId, redirect_uri: redirectUri, response_type: 'code', state: 'x' }).forEach(([key, value]) => url.searchParams.set(key, value));
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('x');
  });
});

describe('InfoJobs emulator: API operations', () => {
  it('requires the client Basic header on every call, with the documented 401', async () => {
    const response = await fetch(`${emulator.baseUrl}/api/9/offer`);
    expect(response.status).toBe(401);
    expect(response.statusText).toBe('No Autorizado');
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="InfoJobs-API"');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect((await call('/api/9/offer', basic(emulator.ready.clientId, 'wrong'))).status).toBe(401);
  });

  it('takes the user token as "Basic …,Bearer …" with or without a space', async () => {
    for (const authorization of [`${clientAuth},Bearer ${tokens.access_token}`, `${clientAuth}, Bearer ${tokens.access_token}`]) {
      expect((await call('/api/6/candidate', authorization)).status).toBe(200);
    }
    const noUser = await call('/api/5/application', clientAuth);
    expect(noUser.status).toBe(401);
    const body = await json(noUser);
    expect(body).toMatchObject({ error: '101', error_description: 'The user has not been authenticated' });
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('checks the scope of each operation', async () => {
    const { code, verifier } = await authorize('MY_APPLICATIONS');
    const narrow = await json(await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier }));
    const auth = `${clientAuth},Bearer ${narrow.access_token as string}`;
    expect((await call('/api/5/application', auth)).status).toBe(200);
    const denied = await call('/api/2/curriculum', auth);
    expect(denied.status).toBe(403);
    expect((await json(denied)).error).toBe('102');
  });

  it('lists and searches offers with paging, order and sinceDate', async () => {
    const all = await json(await call('/api/9/offer?maxResults=50', clientAuth));
    expect(all).toMatchObject({ totalResults: emulator.data.offers.size, currentPage: 1, pageSize: 50, sortBy: 'updated-desc', sinceDate: 'ANY' });
    const offers = all.offers as { id: string; title: string; updated: string; author: { name: string }; published: string }[];
    expect(offers[0]?.updated).toMatch(/\.\d{3}\+0000$/);
    expect(offers[0]?.author.name).toBeTruthy();
    const updatedTimes = offers.map((offer) => offer.updated);
    expect([...updatedTimes].sort().reverse()).toEqual(updatedTimes);
    const page2 = await json(await call('/api/9/offer?maxResults=5&page=2&order=title', clientAuth));
    expect(page2).toMatchObject({ currentPage: 2, currentResults: 5, totalPages: Math.ceil(emulator.data.offers.size / 5) });
    const word = offers[0]?.title.split(' ')[0] ?? '';
    const found = await json(await call(`/api/9/offer?q=${encodeURIComponent(word)}&maxResults=50`, clientAuth));
    expect((found.offers as { title: string; id: string }[]).every((offer) => offer.title.includes(word) || emulator.data.offers.get(offer.id)?.description.includes(word))).toBe(true);
    const recent = await json(await call('/api/9/offer?sinceDate=_24_HOURS&maxResults=50', clientAuth));
    const cutoff = Date.now() - 86_400_000 - 5_000;
    expect((recent.offers as { updated: string }[]).every((offer) => Date.parse(offer.updated.replace('+0000', 'Z')) >= cutoff)).toBe(true);
    expect(recent.totalResults as number).toBeLessThan(all.totalResults as number);
    expect((await call('/api/9/offer?sinceDate=YESTERDAY', clientAuth)).status).toBe(400);
  });

  it('serves the v7 offer detail in its own shape', async () => {
    const id = [...emulator.data.offers.keys()][0];
    const detail = await json(await call(`/api/7/offer/${id}`, clientAuth));
    expect(detail).toMatchObject({ id, profile: { name: expect.any(String) }, minPay: { amountValue: expect.any(Number) }, skillsList: expect.any(Array) });
    expect(detail.author).toBeUndefined();
    expect(detail.creationDate).toMatch(/\+0000$/);
    expect((await call('/api/7/offer/nope', clientAuth)).status).toBe(404);
  });

  it('lists applications with pageSize 10|20|30, both orders and hideRejected', async () => {
    const list = await json(await call('/api/5/application?pageSize=30'));
    expect(list.totalFound).toBe(emulator.data.applications.size);
    const applications = list.applications as { code: string; date: string; lastEvent: { date: string }; rejected: boolean; eventsReadPending: number; jobOffer: { title: string } }[];
    expect(applications[0]).toMatchObject({ code: expect.any(String), eventsReadPending: expect.any(Number), cvReceivedEvent: { tipoId: 1 }, jobOffer: { title: expect.any(String) } });
    const dates = applications.map((item) => item.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const byEvent = (await json(await call('/api/5/application?pageSize=30&order=last-event'))).applications as { lastEvent: { date: string } }[];
    const eventDates = byEvent.map((item) => item.lastEvent.date);
    expect([...eventDates].sort().reverse()).toEqual(eventDates);
    const visible = await json(await call('/api/5/application?pageSize=30&hideRejected=true'));
    expect(visible.totalFound).toBe([...emulator.data.applications.values()].filter((item) => !item.rejected).length);
    const bad = await call('/api/5/application?pageSize=25');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toBe('310');
    const page = await json(await call('/api/5/application?pageSize=10&page=2'));
    expect((page.applications as unknown[]).length).toBe(Math.min(10, Math.max(0, emulator.data.applications.size - 10)));
  });

  it('serves one application and its timeline', async () => {
    const code = [...emulator.data.applications.keys()][0] ?? '';
    const detail = await json(await call(`/api/1/application/${code}`));
    expect(detail).toMatchObject({ code, eventsReadpending: expect.any(Number), cv: { code: expect.any(String) }, hasCoverLetter: expect.any(Boolean) });
    const timeline = await json(await call(`/api/3/application/${code}/timeline?pageSize=10`));
    expect((timeline.events as { description: string }[]).at(-1)?.description).toBe('CV recibido');
    expect((await call('/api/1/application/unknown')).status).toBe(404);
  });

  it('serves the candidate and every curriculum section', async () => {
    const candidate = await json(await call('/api/6/candidate'));
    expect(candidate).toMatchObject({ email: emulator.data.candidate.email, key: expect.any(String), fullName: expect.any(String), province: { id: expect.any(Number) } });
    const curricula = (await (await call('/api/2/curriculum')).json()) as { code: string; principal: boolean }[];
    expect(curricula.filter((item) => item.principal)).toHaveLength(1);
    const id = curricula[0]?.code ?? '';
    expect(await json(await call(`/api/1/curriculum/${id}`))).toMatchObject({ code: id });
    expect((await json(await call(`/api/1/curriculum/${id}/cvtext`))).cvtext).toEqual(expect.any(String));
    const experience = (await json(await call(`/api/2/curriculum/${id}/experience`))).experience as { onCourse: boolean; finishingDate?: string }[];
    expect(experience.find((item) => item.onCourse)?.finishingDate).toBeUndefined();
    expect((await json(await call(`/api/1/curriculum/${id}/education`))).education).toEqual(expect.any(Array));
    expect(await json(await call(`/api/2/curriculum/${id}/personaldata`))).toHaveProperty('mobilePhone');
    expect(await json(await call(`/api/4/curriculum/${id}/futurejob`))).toHaveProperty('preferredPosition');
    expect(await json(await call(`/api/2/curriculum/${id}/skill`))).toHaveProperty('expertise');
    const missing = await call('/api/1/curriculum/not-mine');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toBe('361');
    const short = await call(`/api/1/curriculum/${id}/cvtext`, undefined, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cvtext: 'too short' }) });
    expect(short.status).toBe(400);
    expect((await json(short)).error).toBe('731');
    const absent = await call(`/api/1/curriculum/${id}/cvtext`, undefined, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({}) });
    expect((await json(absent)).error).toBe('202');
    const text = 'Experiencia en atención al cliente, gestión de equipos y herramientas ofimáticas; disponibilidad inmediata y carnet B. '.repeat(2);
    const saved = await call(`/api/1/curriculum/${id}/cvtext`, undefined, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cvtext: text }) });
    expect(saved.status).toBe(200);
    expect((await json(await call(`/api/1/curriculum/${id}/cvtext`))).cvtext).toBe(text);
  });

  it('answers unknown operations with error 1, and a 500 storm with a requestId', async () => {
    const unknown = await call('/api/1/nothing', clientAuth);
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error).toBe('1');
    const xml = await call('/api/1/nothing', clientAuth, { headers: { accept: 'application/xml' } });
    expect(await xml.text()).toMatch(/<exception><error>1<\/error><error_description>API operation does not exist<\/error_description><timestamp>[^<]+\+0000<\/timestamp><\/exception>/);
    await control('faults', { errorStorm: 1, errorStatus: 500 });
    const failed = await call('/api/9/offer', clientAuth);
    expect(failed.status).toBe(500);
    expect(await json(failed)).toMatchObject({ error_description: 'Error processing API call', status: 500, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await control('faults', { throttle: 1, malformed: 1 });
    expect((await call('/api/9/offer', clientAuth)).status).toBe(429);
    const malformed = await call('/api/9/offer', clientAuth);
    expect(malformed.headers.get('content-type')).toContain('text/html');
    await control('reset-faults');
  });

  it('expires tokens per the lifetime fault and revokes them by control', async () => {
    await control('faults', { tokenLifetimeSeconds: 5 });
    const { code, verifier } = await authorize('MY_APPLICATIONS');
    const short = await json(await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier }));
    await control('reset-faults');
    expect(short.expires_in).toBe(5);
    await control('advance-clock', { seconds: 6 });
    const expired = await call('/api/5/application', `${clientAuth},Bearer ${short.access_token as string}`);
    expect(expired.status).toBe(401);
    expect((await json(expired)).error_description).toContain('expired');
    const refreshed = await json(await tokenRequest({ grant_type: 'refresh_token', refresh_token: short.refresh_token as string }));
    expect((await call('/api/5/application', `${clientAuth},Bearer ${refreshed.access_token as string}`)).status).toBe(200);
    await control('revoke', { token: refreshed.refresh_token });
    expect((await call('/api/5/application', `${clientAuth},Bearer ${refreshed.access_token as string}`)).status).toBe(401);
  });

  it('mutates applications and offers between runs', async () => {
    const before = emulator.data.applications.size;
    const result = (await control('mutate', { add: 2, change: 2, remove: 1, offers: 3 })) as { added: string[]; changed: string[]; removed: string[]; addedOffers: string[] };
    expect(emulator.data.applications.size).toBe(before + 1);
    const newest = await json(await call('/api/5/application?pageSize=10&order=last-event'));
    const codes = (newest.applications as { code: string }[]).map((item) => item.code);
    for (const code of [...result.added, ...result.changed]) expect(codes).toContain(code);
    const recent = await json(await call('/api/9/offer?sinceDate=_24_HOURS&maxResults=50', clientAuth));
    const ids = (recent.offers as { id: string }[]).map((offer) => offer.id);
    for (const id of result.addedOffers) expect(ids).toContain(id);
    expect((await call(`/api/1/application/${result.removed[0]}`)).status).toBe(404);
  });
  it('generates the same dataset and credentials from the same seed, another from another seed', () =>
    expectSeedDecidesDataset(startInfoJobsEmulator, (emulator) => [...emulator.data.offers.values()].map((item) => item.title)));
});

describe('InfoJobs emulator: strictness profiles', () => {
  it.each(pageCaps)('pageCap %s: caps the offer list’s maxResults (undocumented), never the documented application pageSize', async (pageCap) => {
    const started = await startInfoJobsEmulator({ seed: 3, scale: '40', strictness: { pageCap } });
    try {
      const offers = await json(await fetch(`${started.baseUrl}/api/9/offer?maxResults=500`, { headers: { authorization: basic(started.ready.clientId, started.ready.clientSecret) } }));
      expect(offers.pageSize).toBe(pageCap ?? 500);
      expect((offers.offers as unknown[]).length).toBe(Math.min(started.data.offers.size, pageCap ?? 500));
    } finally {
      await started.close();
    }
  });

  it('without a profile, caps maxResults at 50 (the invented default)', async () => {
    expect(await json(await call('/api/9/offer?maxResults=500', clientAuth))).toMatchObject({ pageSize: 50 });
  });
});
