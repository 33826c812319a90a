import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAccount } from '../../electron/core/accounts/service.ts';
import { openOtherProcessCore, testCore, type TestCore } from './helpers.ts';
import { formFields, startScriptedServer, type ScriptedServer } from './scripted-server.ts';

let core: TestCore;
let server: ScriptedServer;

beforeEach(async () => {
  core = await testCore();
  server = await startScriptedServer();
});
afterEach(async () => {
  await core.close();
  await server.close();
});

const hourFromNow = () => new Date(Date.now() + 3600_000).toISOString();

async function accountWithToken(input: Omit<NewAccount, 'name'>, accessToken = 'stored-token', expiresAt: string | undefined = hourFromNow()): Promise<number> {
  const account = await core.core.services.accounts.add({ name: `${input.provider} test`, clientId: 'the-client', ...input });
  await core.core.services.accounts.writeTokens(account.id, { accessToken, refreshToken: undefined, expiresAt, obtainedAt: new Date().toISOString(), grant: account.grant, scope: undefined, redirectUri: undefined });
  return account.id;
}

describe('token placement per provider', () => {
  beforeEach(() => {
    server.answer = () => ({ body: { ok: true } });
  });

  it('EconJobMarket: Bearer header and Accept: application/json, paths relative to the base URL', async () => {
    const id = await accountWithToken({ provider: 'ejm', baseUrl: `${server.url}/api/`, clientSecret: 'the-secret', grant: 'client_credentials' });
    const session = await core.core.services.auth.openSession(id);
    const response = await session.request({ method: 'GET', url: 'applicants/' });
    expect(await response.body.json()).toEqual({ ok: true });
    const [seen] = server.seen;
    expect(seen?.url.pathname).toBe('/api/applicants/');
    expect(seen?.headers.authorization).toBe('Bearer stored-token');
    expect(seen?.headers.accept).toBe('application/json');
  });

  it('CareerPlug: ?access_token= and Accept-Version: v1, also on a JSON POST', async () => {
    const id = await accountWithToken({ provider: 'careerplug', baseUrl: server.url, clientSecret: 'the-secret', grant: 'client_credentials' });
    const session = await core.core.services.auth.openSession(id);
    await (await session.request({ method: 'GET', url: '/jobs', query: { page: '2' } })).body.dump();
    await (await session.request({ method: 'POST', url: '/apps', json: { job_id: 1 } })).body.dump();
    const [get, post] = server.seen;
    expect(get?.url.searchParams.get('access_token')).toBe('stored-token');
    expect(get?.url.searchParams.get('page')).toBe('2');
    expect(get?.headers['accept-version']).toBe('v1');
    expect(get?.headers.authorization).toBeUndefined();
    expect(post?.url.searchParams.get('access_token')).toBe('stored-token');
    expect(JSON.parse(post?.body.toString() ?? '')).toEqual({ job_id: 1 });
  });

  it('InfoJobs: Authorization: Basic b64(client_id:client_secret),Bearer <token>', async () => {
    const id = await accountWithToken({ provider: 'infojobs', baseUrl: `${server.url}/api/`, clientSecret: 'the-secret', grant: 'authorization_code' });
    const session = await core.core.services.auth.openSession(id);
    await (await session.request({ method: 'GET', url: '5/application' })).body.dump();
    const basic = Buffer.from('the-client:the-secret').toString('base64');
    expect(server.seen[0]?.headers.authorization).toBe(`Basic ${basic},Bearer stored-token`);
    expect(server.seen[0]?.url.pathname).toBe('/api/5/application');
  });

  it('The Job Space: Bearer header and Accept: application/vnd.jb.v1+json', async () => {
    const id = await accountWithToken({ provider: 'jobspace', baseUrl: server.url, clientSecret: 'the-secret', grant: 'client_credentials' });
    const session = await core.core.services.auth.openSession(id);
    await (await session.request({ method: 'GET', url: 'api/job', query: { 'page[number]': '1' } })).body.dump();
    expect(server.seen[0]?.headers.authorization).toBe('Bearer stored-token');
    expect(server.seen[0]?.headers.accept).toBe('application/vnd.jb.v1+json');
    expect(server.seen[0]?.url.searchParams.get('page[number]')).toBe('1');
  });

  it('JyMob: access_token as a query parameter, or a form field on a form POST', async () => {
    const id = await accountWithToken({ provider: 'jymob', baseUrl: `${server.url}/v1/`, grant: 'token' });
    const session = await core.core.services.auth.openSession(id);
    await (await session.request({ method: 'GET', url: 'job_applications.json', query: { job_post_id: '42' } })).body.dump();
    await (await session.request({ method: 'POST', url: 'job_applications.json', form: { job_post_id: '42', resume_id: '7' } })).body.dump();
    const [get, post] = server.seen;
    expect(get?.url.searchParams.get('access_token')).toBe('stored-token');
    expect(post?.url.searchParams.get('access_token')).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(post?.body.toString()))).toEqual({ job_post_id: '42', resume_id: '7', access_token: 'stored-token' });
  });
});

describe('obtaining and renewing tokens', () => {
  it('EconJobMarket: mints with client credentials, re-mints on "Missing or expired token." and retries once', async () => {
    let minted = 0;
    server.answer = async (request) => {
      if (request.url.pathname === '/token/') {
        minted += 1;
        return { body: { access_token: `jwt-${minted}`, expires_in: 3600, token_type: 'bearer', scope: 'basic' } };
      }
      if (request.headers.authorization === 'Bearer jwt-2') return { body: [{ appid: 1 }] };
      return { status: 400, body: { error: 'invalid request', error_description: 'Missing or expired token.' } };
    };
    const account = await core.core.services.accounts.add({ provider: 'ejm', name: 'EJM', baseUrl: `${server.url}/api/`, clientId: 'the-client', clientSecret: 'the-secret' });
    await core.core.services.auth.signIn(account.id);
    const mint = await formFields(server.seen[0] ?? expect.fail('no token request'));
    expect(mint).toEqual({ grant_type: 'client_credentials', client_id: 'the-client', client_secret: 'the-secret' });
    const session = await core.core.services.auth.openSession(account.id);
    const response = await session.request({ method: 'GET', url: 'applications/' });
    expect(await response.body.json()).toEqual([{ appid: 1 }]);
    expect(minted).toBe(2);
    const record = await core.core.services.accounts.readTokens(account.id);
    expect(record?.accessToken).toBe('jwt-2');
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(3600_000);
  });

  it('concurrent requests with an expired token cause exactly one token request', async () => {
    let minted = 0;
    server.answer = async (request) => {
      if (request.url.pathname === '/token/') {
        minted += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { body: { access_token: `jwt-${minted}`, expires_in: 3600, token_type: 'bearer' } };
      }
      return { body: { token: request.headers.authorization } };
    };
    const id = await accountWithToken({ provider: 'ejm', baseUrl: `${server.url}/api/`, clientSecret: 'the-secret', grant: 'client_credentials' }, 'old', new Date(Date.now() - 1000).toISOString());
    const session = await core.core.services.auth.openSession(id);
    const bodies = await Promise.all(Array.from({ length: 8 }, async () => (await session.request({ method: 'GET', url: 'files/' })).body.json()));
    expect(minted).toBe(1);
    expect(new Set(bodies.map((body) => JSON.stringify(body)))).toEqual(new Set([JSON.stringify({ token: 'Bearer jwt-1' })]));
  });

  it('two processes on one profile (two cores, two vault instances) still make one refresh: the rotated token is not replayed', async () => {
    let refreshes = 0;
    server.answer = async (request) => {
      if (request.url.pathname !== '/oauth/token') return { body: { token: request.url.searchParams.get('access_token') } };
      const fields = await formFields(request);
      if (fields.refresh_token !== 'rt-1') return { status: 400, body: { error: 'invalid_grant' } };
      refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { body: { access_token: 'at-2', refresh_token: 'rt-2', token_type: 'Bearer', expires_in: 7200, created_at: Math.floor(Date.now() / 1000) } };
    };
    const account = await core.core.services.accounts.add({ provider: 'careerplug', name: 'CP', baseUrl: server.url, clientId: 'the-client', clientSecret: 'the-secret', grant: 'authorization_code' });
    await core.core.services.accounts.writeTokens(account.id, { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: new Date(0).toISOString(), obtainedAt: new Date(0).toISOString(), grant: 'authorization_code', scope: undefined, redirectUri: 'http://127.0.0.1:5555/callback' });
    const other = await openOtherProcessCore(core);
    try {
      const sessions = [await core.core.services.auth.openSession(account.id), await other.services.auth.openSession(account.id)];
      const bodies = await Promise.all(sessions.map(async (session) => (await session.request({ method: 'GET', url: '/jobs' })).body.json()));
      expect(bodies).toEqual([{ token: 'at-2' }, { token: 'at-2' }]);
      expect(refreshes).toBe(1);
      expect(await formFields(server.seen.find((seen) => seen.url.pathname === '/oauth/token') ?? expect.fail('no refresh'))).toMatchObject({ redirect_uri: 'http://127.0.0.1:5555/callback' });
    } finally {
      await other.close();
    }
  });

  it('CareerPlug: expiry counts from created_at; a persistent WineBouncer 401 means the app is not provisioned', async () => {
    const createdAt = Math.floor(Date.now() / 1000) - 3600;
    server.answer = (request) =>
      request.url.pathname === '/oauth/token'
        ? { body: { access_token: `cp-${server.seen.length}`, token_type: 'Bearer', expires_in: 172800, scope: 'global_partner_api', created_at: createdAt } }
        : { status: 401, body: { error: 'OAuth error: WineBouncer::Errors::OAuthUnauthorizedError' } };
    const account = await core.core.services.accounts.add({ provider: 'careerplug', name: 'CP', baseUrl: server.url, clientId: 'the-client', clientSecret: 'the-secret' });
    await core.core.services.auth.signIn(account.id);
    // The official page's request: no scope (a partner app sets global_partner_api on the account).
    const fields = await formFields(server.seen[0] ?? expect.fail('no token request'));
    expect(fields).toMatchObject({ grant_type: 'client_credentials' });
    expect(fields).not.toHaveProperty('scope');
    const record = await core.core.services.accounts.readTokens(account.id);
    expect(record?.expiresAt).toBe(new Date((createdAt + 172800) * 1000).toISOString());
    const session = await core.core.services.auth.openSession(account.id);
    const failure = session.request({ method: 'GET', url: '/jobs' });
    await expect(failure).rejects.toMatchObject({ code: 'auth.not_provisioned', message: expect.stringMatching(/authorization-code grant/) });
    const after = core.core.services.accounts.get(account.id);
    expect(after.state).toBe('error');
    expect(after.stateMessage).toMatch(/authorization-code/);
  });

  it('CareerPlug: the load balancer\'s bare HTML 403 is throttling', async () => {
    server.answer = () => ({ status: 403, headers: { server: 'awselb/2.0' }, body: '<html><body><h1>403 Forbidden</h1></body></html>' });
    const id = await accountWithToken({ provider: 'careerplug', baseUrl: server.url, clientSecret: 'the-secret', grant: 'client_credentials' });
    const session = await core.core.services.auth.openSession(id);
    await expect(session.request({ method: 'GET', url: '/apps' })).rejects.toMatchObject({ code: 'provider.throttled' });
  });

  it('EconJobMarket: a refusal of this computer\'s IP says where to register it', async () => {
    server.answer = () => ({ status: 401, body: { error: 'unauthorized request', error_description: 'Your ip address is not authorized' } });
    const account = await core.core.services.accounts.add({ provider: 'ejm', name: 'EJM', baseUrl: `${server.url}/api/`, clientId: 'the-client', clientSecret: 'the-secret' });
    const failure = core.core.services.auth.signIn(account.id);
    await expect(failure).rejects.toMatchObject({ code: 'auth.ip_not_allowed' });
    const message = (await failure.catch((error: Error) => error.message)) as string;
    expect(message).toContain('cannot know which public IP');
    expect(message).toContain('Configure your api connection details');
    expect(core.core.services.accounts.get(account.id).state).toBe('error');
  });

  it('a wrong client secret is auth.invalid_client, shown on the account', async () => {
    server.answer = () => ({ status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } });
    const account = await core.core.services.accounts.add({ provider: 'jobspace', name: 'Board', baseUrl: server.url, clientId: 'the-client', clientSecret: 'wrong' });
    await expect(core.core.services.auth.signIn(account.id)).rejects.toMatchObject({ code: 'auth.invalid_client' });
    expect(core.core.services.accounts.get(account.id)).toMatchObject({ state: 'error', stateMessage: expect.stringContaining('revoked') });
    expect(core.states.at(-1)?.state).toBe('error');
  });

  it('The Job Space: the token request is multipart/form-data with the versioned Accept header', async () => {
    server.answer = () => ({ body: { token_type: 'Bearer', expires_in: 86400, access_token: 'a_random_token' } });
    const account = await core.core.services.accounts.add({ provider: 'jobspace', name: 'Board', baseUrl: server.url, clientId: 'the-client', clientSecret: 'the-secret' });
    await core.core.services.auth.signIn(account.id);
    const [seen] = server.seen;
    expect(seen?.url.pathname).toBe('/oauth/token');
    expect(String(seen?.headers['content-type'])).toMatch(/^multipart\/form-data/);
    expect(seen?.headers.accept).toBe('application/vnd.jb.v1+json');
    expect(await formFields(seen ?? expect.fail('no request'))).toEqual({ grant_type: 'client_credentials', client_id: 'the-client', client_secret: 'the-secret' });
  });

  it('throttling and server errors from the API reach the caller untouched, for its own backoff', async () => {
    server.answer = () => ({ status: 429, headers: { 'retry-after': '3' }, body: { error: 'slow down' } });
    const id = await accountWithToken({ provider: 'jobspace', baseUrl: server.url, clientSecret: 'the-secret', grant: 'client_credentials' });
    const session = await core.core.services.auth.openSession(id);
    const response = await session.request({ method: 'GET', url: 'api/job' });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(await response.body.json()).toEqual({ error: 'slow down' });
  });

  it('a connection failure reaches the caller as undici reports it, for its own retry policy', async () => {
    const id = await accountWithToken({ provider: 'jobspace', baseUrl: server.url, clientSecret: 'the-secret', grant: 'client_credentials' });
    const session = await core.core.services.auth.openSession(id);
    await server.close();
    await expect(session.request({ method: 'GET', url: 'api/job' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a 400 that is not about the token is handed back with its body readable', async () => {
    server.answer = () => ({ status: 400, body: { error: '202', error_description: 'Missing required parameter' } });
    const id = await accountWithToken({ provider: 'infojobs', baseUrl: `${server.url}/api/`, clientSecret: 'the-secret', grant: 'authorization_code' });
    const session = await core.core.services.auth.openSession(id);
    const response = await session.request({ method: 'GET', url: '5/application' });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toEqual({ error: '202', error_description: 'Missing required parameter' });
    expect(server.seen).toHaveLength(1);
  });

  it('a pasted token: a JWT keeps its exp as expiry; once refused, the account asks for a new one', async () => {
    const exp = Math.floor(Date.now() / 1000) + 1800;
    const jwt = `${Buffer.from('{"typ":"JWT","alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
    server.answer = () => ({ status: 401, body: { error: 'invalid request', error_description: 'Missing or expired token.' } });
    const account = await core.core.services.accounts.add({ provider: 'ejm', name: 'EJM pasted', baseUrl: `${server.url}/api/`, grant: 'token' });
    await core.core.services.auth.signIn(account.id, { token: jwt });
    expect((await core.core.services.accounts.readTokens(account.id))?.expiresAt).toBe(new Date(exp * 1000).toISOString());
    const session = await core.core.services.auth.openSession(account.id);
    await expect(session.request({ method: 'GET', url: 'applications/' })).rejects.toMatchObject({ code: 'auth.needs_login', message: expect.stringContaining('paste a new access token') });
    expect(server.seen).toHaveLength(1);
    expect(core.core.services.accounts.get(account.id).state).toBe('signed_out');
    expect(await core.core.services.accounts.readTokens(account.id)).toBeUndefined();
  });
});
