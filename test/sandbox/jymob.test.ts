import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jymobEmulator } from '../../electron/sandbox/jymob/index.ts';
import { startJyMobEmulator, type JyMobEmulator } from '../../electron/sandbox/jymob/server.ts';
import { jymobForeignPostStatuses, pageCaps } from '../../electron/sandbox/strictness.ts';
import { completeConsent, pkcePair } from './consent.ts';
import { expectSeedDecidesDataset } from './seeds.ts';

let emulator: JyMobEmulator;
let token: string;

const redirectUri = 'http://127.0.0.1:45678/callback';
const control = (name: string, body: unknown = {}) =>
  fetch(`${emulator.baseUrl}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);

function v1(path: string, params: Record<string, string> = {}, accessToken: string | null = token): URL {
  const url = new URL(`${emulator.ready.baseUrl}${path}`);
  if (accessToken !== null) url.searchParams.set('access_token', accessToken);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}
const getJson = async (url: URL) => {
  const response = await fetch(url);
  return { response, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

async function signIn(): Promise<Record<string, unknown>> {
  const pkce = pkcePair();
  const url = new URL(emulator.ready.authorizeUrl);
  // The published guide puts client_secret in the authorize URL; the emulator tolerates it.
  Object.entries({ response_type: 'code', client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, redirect_uri: redirectUri, state: 'j1', code_challenge: pkce.challenge, code_challenge_method: 'S256' }).forEach(([key, value]) => url.searchParams.set(key, value));
  const consent = await completeConsent(url.toString(), { decision: 'allow' });
  expect(consent.location?.searchParams.get('state')).toBe('j1');
  const response = await fetch(emulator.ready.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: consent.location?.searchParams.get('code') ?? '', redirect_uri: redirectUri, client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, code_verifier: pkce.verifier }).toString(),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-cache, no-store, max-age=0, must-revalidate');
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  emulator = await startJyMobEmulator({ seed: 8 });
  token = (await signIn()).access_token as string;
});
afterAll(() => emulator.close());

describe('JyMob emulator', () => {
  it('issues 30-day tokens with no refresh token through the consent page', async () => {
    const body = await signIn();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 2592000 });
    expect(body.refresh_token).toBeUndefined();
  });

  it('redirects a denial with error=access_denied', async () => {
    const url = new URL(emulator.ready.authorizeUrl);
    Object.entries({ response_type: 'code', client_id: emulator.ready.clientId, redirect_uri: redirectUri }).forEach(([key, value]) => url.searchParams.set(key, value));
    const consent = await completeConsent(url.toString(), { decision: 'deny' });
    expect(consent.status).toBe(302);
    expect(consent.location?.searchParams.get('error')).toBe('access_denied');
    expect(consent.location?.searchParams.get('code')).toBeNull();
  });

  it('accepts the personal access token from the ready line, and rotates it by control', async () => {
    const personal = emulator.ready.personalAccessToken;
    expect((await fetch(v1('/job_posts.json', {}, personal))).status).toBe(200);
    const rotated = (await control('personal-token', { rotate: true })).accessToken as string;
    expect(rotated).not.toBe(personal);
    expect((await fetch(v1('/job_posts.json', {}, personal))).status).toBe(401);
    expect((await fetch(v1('/job_posts.json', {}, rotated))).status).toBe(200);
  });

  it('takes access_token as a query or body parameter and refuses calls without it', async () => {
    const missing = await getJson(v1('/job_posts.json', {}, null));
    expect(missing.response.status).toBe(401);
    expect(missing.body).toEqual({ error: { status: 401, code: 'invalid_access_token', message: expect.any(String) } });
    const viaBody = await fetch(v1('/job_applications.json', {}, null), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token }).toString(),
    });
    expect(viaBody.status).toBe(422);
  });

  it('searches and pages job posts, in JSON and XML by extension or Accept header', async () => {
    const all = await getJson(v1('/job_posts.json', { per_page: '100' }));
    expect(all.body.length).toBe(emulator.data.jobPosts.size);
    expect(all.response.headers.get('x-total-count')).toBe(String(emulator.data.jobPosts.size));
    const firstPage = await fetch(v1('/job_posts.json', { per_page: '2' }));
    expect(firstPage.headers.get('link')).toContain('rel="next"');
    const second = await getJson(v1('/job_posts.json', { per_page: '2', page: '2' }));
    expect(second.body.map((post: { id: number }) => post.id)).toEqual(all.body.slice(2, 4).map((post: { id: number }) => post.id));
    const searched = await getJson(v1('/job_posts.json', { search: 'Java Software Engineer' }));
    expect(searched.body.length).toBeGreaterThan(0);
    expect(searched.body.every((post: { title: string; description: string; skills: string[] }) => `${post.title} ${post.description} ${post.skills.join(' ')}`.toLowerCase().includes('java'))).toBe(true);
    const xml = await fetch(v1('/job_posts.xml', { per_page: '1' }));
    expect(xml.headers.get('content-type')).toContain('application/xml');
    const text = await xml.text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<job_posts type="array">\n {2}<job_post>\n {4}<id type="integer">\d+<\/id>/);
    const byAccept = await fetch(v1('/job_posts/' + all.body[0].id), { headers: { accept: 'application/xml' } });
    expect(await byAccept.text()).toContain('<job_post>');
    const one = await getJson(v1(`/job_posts/${all.body[0].id}.json`));
    expect(one.body).toMatchObject({ id: all.body[0].id, title: expect.any(String) });
  });

  it('lists applications to an owned post, your own applications, and shows one', async () => {
    const owned = [...emulator.data.jobPosts.values()].find((post) => post.user_id === emulator.data.appUser.id && [...emulator.data.applications.values()].some((item) => item.job_post_id === post.id));
    const forPost = await getJson(v1('/job_applications.json', { job_post_id: String(owned?.id), per_page: '100' }));
    expect(forPost.body.length).toBe([...emulator.data.applications.values()].filter((item) => item.job_post_id === owned?.id).length);
    expect(forPost.body[0]).toMatchObject({ id: expect.any(Number), job_post_id: owned?.id, cover_letter: expect.anything(), applicant: { name: expect.any(String) } });
    const mine = await getJson(v1('/job_applications.json'));
    expect(mine.body.length).toBeGreaterThan(0);
    expect(mine.body.every((item: { user_id: number }) => item.user_id === emulator.data.appUser.id)).toBe(true);
    const foreign = [...emulator.data.jobPosts.values()].find((post) => post.user_id !== emulator.data.appUser.id);
    expect((await fetch(v1('/job_applications.json', { job_post_id: String(foreign?.id) }))).status).toBe(403);
    const shown = await getJson(v1(`/job_applications/${forPost.body[0].id}.json`));
    expect(shown.body).toMatchObject({ id: forPost.body[0].id, job_post_id: owned?.id });
    const xml = await (await fetch(v1(`/job_applications.xml`, { job_post_id: String(owned?.id), per_page: '1' }))).text();
    expect(xml).toContain('<job_applications type="array">');
  });

  it('creates an application, validating the required parameters', async () => {
    const open = [...emulator.data.jobPosts.values()].find((post) => post.status === 'open' && post.user_id !== emulator.data.appUser.id && ![...emulator.data.applications.values()].some((item) => item.job_post_id === post.id && item.user_id === emulator.data.appUser.id));
    const resume = [...emulator.data.resumes.values()].find((item) => item.user_id === emulator.data.appUser.id);
    const post = (params: Record<string, string>) =>
      fetch(v1('/job_applications.json'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    const missing = await post({ cover_letter: 'hi' });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ error: { code: 'missing_parameter', message: expect.stringContaining('job_post_id, resume_id') } });
    if (!open || !resume) throw new Error('the dataset should hold an open foreign post and a resume of the app user');
    const created = await post({ job_post_id: String(open.id), resume_id: String(resume.id), cover_letter: 'Hello' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ job_post_id: open.id, resume_id: resume.id, cover_letter: 'Hello', user_id: emulator.data.appUser.id });
    const twice = await post({ job_post_id: String(open.id), resume_id: String(resume.id) });
    expect(twice.status).toBe(422);
    expect(((await twice.json()) as { error: { code: string } }).error.code).toBe('already_applied');
    const xml = await fetch(v1('/job_applications.xml'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'resume_id=1' });
    expect(await xml.text()).toMatch(/<error>\n {2}<status type="integer">422<\/status>\n {2}<code>missing_parameter<\/code>/);
  });

  it('lists screening tests in the documented structure', async () => {
    const owned = [...emulator.data.screeningTests.values()].find((test) => emulator.data.jobPosts.get(test.source_id)?.user_id === emulator.data.appUser.id);
    const forPost = await getJson(v1('/screening_tests.json', { job_post_id: String(owned?.source_id), per_page: '100' }));
    const test = forPost.body[0];
    expect(test).toMatchObject({ id: expect.any(Number), status: expect.stringMatching(/^(ongoing|submitted|verified|expired)$/), start_time: expect.stringMatching(/Z$/), last_saved_time: expect.any(String), source_id: owned?.source_id, job_application_id: expect.any(Number) });
    expect(test.problems[0]).toMatchObject({ uuid: expect.any(String), type: expect.stringMatching(/^(FindTheBug|MultipleChoiceProblem|ProgrammingProblem|Puzzle|SimpleProblem)$/), statement: expect.any(String), difficulty_level: expect.stringMatching(/^\d: /) });
    const mine = await getJson(v1('/screening_tests.json'));
    expect(mine.body.every((item: { user_id: number }) => item.user_id === emulator.data.appUser.id)).toBe(true);
    const xml = await (await fetch(v1('/screening_tests.xml', { job_post_id: String(owned?.source_id), per_page: '1' }))).text();
    expect(xml).toContain('<problems type="array">');
    expect(xml).toContain('<problem>');
  });

  it('applies the harness faults and its own throttling reply', async () => {
    await control('faults', { throttle: 1, errorStorm: 1, malformed: 1 });
    const throttled = await getJson(v1('/job_posts.json'));
    expect(throttled.response.status).toBe(429);
    expect(throttled.body.error.code).toBe('rate_limited');
    expect((await fetch(v1('/job_posts.json'))).status).toBe(503);
    expect((await fetch(v1('/job_posts.json'))).headers.get('content-type')).toContain('text/html');
    expect((await fetch(v1('/job_posts.json'))).status).toBe(200);
  });

  it('expires and revokes tokens', async () => {
    await control('faults', { tokenLifetimeSeconds: 3 });
    const short = (await signIn()).access_token as string;
    await control('reset-faults');
    await control('advance-clock', { seconds: 4 });
    const expired = await getJson(v1('/job_posts.json', {}, short));
    expect(expired.body.error.code).toBe('expired_access_token');
    await control('revoke', { token });
    expect((await getJson(v1('/job_posts.json'))).body.error.code).toBe('revoked_access_token');
    token = (await signIn()).access_token as string;
  });

  it('mutates applications between runs', async () => {
    const result = (await control('mutate', { add: 2, change: 2, remove: 1, posts: 1 })) as { added: number[]; changed: number[]; removed: number[]; addedPosts: number[] };
    expect((await fetch(v1(`/job_applications/${result.added[0]}.json`))).status).toBe(200);
    expect((await getJson(v1(`/job_applications/${result.changed[0]}.json`))).body.status).toMatch(/reviewed|shortlisted/);
    expect((await fetch(v1(`/job_applications/${result.removed[0]}.json`))).status).toBe(404);
    expect((await fetch(v1(`/job_posts/${result.addedPosts[0]}.json`))).status).toBe(200);
  });
  it('generates the same dataset and credentials from the same seed, another from another seed', () =>
    expectSeedDecidesDataset(startJyMobEmulator, (emulator) => [...emulator.data.jobPosts.values()].map((item) => item.title)));
});

describe('JyMob emulator: strictness profiles', () => {
  /** Runs `check` against an emulator started through its factory, as `dossier sandbox --strictness` does. */
  async function withProfile(strictness: Parameters<typeof jymobEmulator.start>[0]['strictness'], check: (started: JyMobEmulator) => Promise<void>): Promise<void> {
    const started = await jymobEmulator.start({ scale: 'small', seed: 8, strictness });
    try {
      await check(started.sandbox as JyMobEmulator);
    } finally {
      await started.close();
    }
  }
  const ask = (started: JyMobEmulator, path: string, params: Record<string, string>) => {
    const url = new URL(`${started.ready.baseUrl}${path}`);
    url.searchParams.set('access_token', started.ready.personalAccessToken);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return fetch(url);
  };
  const postOf = (started: JyMobEmulator, mine: boolean) =>
    [...started.data.jobPosts.values()].find((post) => (post.user_id === started.data.appUser.id) === mine && [...started.data.screeningTests.values()].some((test) => test.source_id === post.id)) ??
    [...started.data.jobPosts.values()].find((post) => (post.user_id === started.data.appUser.id) === mine);

  it.each(pageCaps)('pageCap %s: serves at most the cap per page, whatever per_page asks, and says so in X-Per-Page', async (pageCap) =>
    withProfile({ pageCap }, async (started) => {
      const response = await ask(started, '/job_posts.json', { per_page: '500' });
      const served = (await response.json()) as unknown[];
      const expected = Math.min(started.data.jobPosts.size, pageCap ?? 500);
      expect(served.length).toBe(expected);
      expect(response.headers.get('x-per-page')).toBe(String(pageCap ?? 500));
      expect(response.headers.get('x-total-count')).toBe(String(started.data.jobPosts.size));
    }),
  );

  it('without a profile, caps per_page at 100 and defaults to 25 (the invented defaults)', async () => {
    const capped = await fetch(v1('/job_posts.json', { per_page: '500' }));
    expect(capped.headers.get('x-per-page')).toBe('100');
    expect((await fetch(v1('/job_posts.json'))).headers.get('x-per-page')).toBe('25');
  });

  it.each(jymobForeignPostStatuses)('foreignPost %s: refuses another employer’s post with that status on both per-post lists', async (foreignPost) =>
    withProfile({ foreignPost }, async (started) => {
      const foreign = postOf(started, false);
      for (const list of ['/job_applications.json', '/screening_tests.json']) expect((await ask(started, list, { job_post_id: String(foreign?.id) })).status).toBe(foreignPost);
      // The account's own post still answers, and the token still works elsewhere.
      expect((await ask(started, '/job_applications.json', { job_post_id: String(postOf(started, true)?.id) })).status).toBe(200);
    }),
  );

  it('screeningTests ownOnly: ignores job_post_id and lists the caller’s own tests, as the guide documents', async () =>
    withProfile({ screeningTests: 'ownOnly' }, async (started) => {
      const response = await ask(started, '/screening_tests.json', { job_post_id: String(postOf(started, true)?.id), per_page: '100' });
      const listed = (await response.json()) as { user_id: number }[];
      expect(listed.length).toBe([...started.data.screeningTests.values()].filter((test) => test.user_id === started.data.appUser.id).length);
      expect(listed.every((test) => test.user_id === started.data.appUser.id)).toBe(true);
    }),
  );

  it('screeningTests absent: answers 404 to the per-post list, while the documented own list still answers', async () =>
    withProfile({ screeningTests: 'absent' }, async (started) => {
      expect((await ask(started, '/screening_tests.json', { job_post_id: String(postOf(started, true)?.id) })).status).toBe(404);
      expect((await ask(started, '/screening_tests.json', {})).status).toBe(200);
    }),
  );
});
