import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSwitch } from '../../electron/sandbox/faults.ts';
import {
  AuthorizationServer,
  SandboxClock,
  basicCredentials,
  codeOrRefreshGrant,
  isFailure,
  redirectUriMatches,
  requestClient,
  tokenRequestParams,
} from '../../electron/sandbox/oauth.ts';
import { sendJson, startSandbox, type RunningSandbox } from '../../electron/sandbox/server.ts';
import { basic, completeConsent, consentPage, pkcePair } from './consent.ts';

/**
 * The shared authorization-server pieces, behind a minimal provider: the consent page at
 * /authorize, a standard token endpoint at /token, and /check that reports a token's state.
 */
const client = { id: 'client-1', secret: 's3cret', name: 'Test App', redirectUris: ['http://127.0.0.1/callback', 'https://app.example/cb'] };
const clock = new SandboxClock();
const harness: { faults?: FaultSwitch } = {};
const server = new AuthorizationServer({
  productName: 'Example',
  clients: [client],
  users: [{ id: '7', login: 'pat@example.com', password: 'pw', displayName: 'Pat' }],
  scopes: { known: ['read', 'write'], separator: ' ', defaults: ['read'] },
  codeLifetimeSeconds: 60,
  accessTokenLifetimeSeconds: 3600,
  issueRefreshTokens: true,
  faults: () => harness.faults,
  clock,
});
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    provider: 'example',
    async handle(request, response, context) {
      if (context.url.pathname === '/authorize') return server.handleAuthorize(request, response, context);
      if (context.url.pathname === '/check') {
        const check = server.verify(context.url.searchParams.get('token'));
        return sendJson(response, context, 200, check.ok ? { ok: true, scope: check.token.scope, userId: check.token.userId } : check);
      }
      const params = await tokenRequestParams(request, context);
      const caller = requestClient(server, request, params);
      if (!caller) return sendJson(response, context, 401, { error: 'invalid_client' });
      const result = codeOrRefreshGrant(server, caller, params);
      if (isFailure(result)) return sendJson(response, context, 400, { error: result.error, error_description: result.description });
      return sendJson(response, context, 200, { access_token: result.value, refresh_token: result.refreshToken, expires_in: result.expiresIn });
    },
  });
  harness.faults = sandbox.faults;
});
afterAll(() => sandbox.close());

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL('/authorize', sandbox.baseUrl);
  for (const [key, value] of Object.entries({ client_id: client.id, response_type: 'code', redirect_uri: 'http://127.0.0.1:9999/callback', ...params })) url.searchParams.set(key, value);
  return url.toString();
}

async function token(params: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(new URL('/token', sandbox.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.id, client.secret) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function codeFor(params: Record<string, string> = {}): Promise<string> {
  const consent = await completeConsent(authorizeUrl(params), { decision: 'allow' });
  const code = consent.location?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${consent.status} ${consent.html}`);
  return code;
}

const check = async (value: string) => (await (await fetch(new URL(`/check?token=${value}`, sandbox.baseUrl))).json()) as { ok: boolean; reason?: string };

describe('redirect URI matching (RFC 8252 §7.3, §8.3)', () => {
  it.each([
    ['http://127.0.0.1:5555/callback', true],
    ['http://127.0.0.1/callback', true],
    ['http://[::1]:61000/callback', true],
    ['http://localhost:5555/callback', false],
    ['http://127.0.0.1:5555/other', false],
    ['https://127.0.0.1:5555/callback', false],
    ['http://127.0.0.1:5555/callback?next=x', false],
    ['http://evil.example/callback', false],
  ])('%s against the loopback registration → %s', (requested, expected) => {
    expect(redirectUriMatches('http://127.0.0.1/callback', requested)).toBe(expected);
  });

  it('matches any other registration exactly', () => {
    expect(redirectUriMatches('https://app.example/cb', 'https://app.example/cb')).toBe(true);
    expect(redirectUriMatches('https://app.example/cb', 'https://app.example:444/cb')).toBe(false);
    expect(redirectUriMatches('https://app.example/cb', 'https://app.example/cb/')).toBe(false);
  });
});

describe('the login/consent page', () => {
  it('is a plain labelled form that works without JavaScript', async () => {
    const page = await consentPage(authorizeUrl({ state: 'abc', scope: 'read write' }));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="username">Email</label>');
    expect(page.html).toContain('<label for="password">Password</label>');
    expect(page.html).toMatch(/<button type="submit" name="decision" value="allow">Allow<\/button>/);
    expect(page.html).toMatch(/<button type="submit" name="decision" value="deny" formnovalidate>Deny<\/button>/);
    expect(page.html).not.toContain('<script');
    expect(page.html).toContain('<li>read</li><li>write</li>');
    expect(page.fields.get('state')).toBe('abc');
  });

  it('never redirects to an unregistered redirect URI, an unknown client or a missing one', async () => {
    for (const url of [
      authorizeUrl({ redirect_uri: 'http://evil.example/callback' }),
      authorizeUrl({ redirect_uri: 'http://localhost:9999/callback' }),
      authorizeUrl({ client_id: 'nobody' }),
      authorizeUrl({ redirect_uri: '' }),
    ]) {
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('role="alert"');
    }
  });

  it('refuses a redirect URI swapped into the submitted form', async () => {
    const result = await completeConsent(authorizeUrl({}), { decision: 'allow', tamper: { redirect_uri: 'http://evil.example/callback' } });
    expect(result.status).toBe(400);
    expect(result.location).toBeNull();
  });

  it('accepts the [::1] loopback on any port', async () => {
    const result = await completeConsent(authorizeUrl({ redirect_uri: 'http://[::1]:40001/callback', state: 'v6' }), { decision: 'allow' });
    expect(result.location?.host).toBe('[::1]:40001');
    expect(result.location?.searchParams.get('state')).toBe('v6');
  });

  it('redirects a denial with error=access_denied and the state', async () => {
    const result = await completeConsent(authorizeUrl({ state: 'st' }), { decision: 'deny', password: '' });
    expect(result.status).toBe(302);
    expect(result.location?.origin + (result.location?.pathname ?? '')).toBe('http://127.0.0.1:9999/callback');
    expect(result.location?.searchParams.get('error')).toBe('access_denied');
    expect(result.location?.searchParams.get('state')).toBe('st');
  });

  it('shows the page again, with an alert, for a wrong password', async () => {
    const result = await completeConsent(authorizeUrl({}), { decision: 'allow', password: 'wrong' });
    expect(result.status).toBe(401);
    expect(result.location).toBeNull();
    expect(result.html).toContain('role="alert"');
  });

  it('refuses unknown scopes, other response types and non-S256 PKCE by redirect', async () => {
    for (const [params, error] of [
      [{ scope: 'admin' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge: pkcePair().challenge, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: pkcePair().challenge }, 'invalid_request'],
    ] as const) {
      const response = await fetch(authorizeUrl({ ...params, state: 'q' }), { redirect: 'manual' });
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('q');
    }
  });
});

describe('codes and tokens', () => {
  const redirect = 'http://127.0.0.1:9999/callback';

  it('verifies PKCE S256: a missing or wrong verifier is refused', async () => {
    const pkce = pkcePair();
    const missing = await token({ grant_type: 'authorization_code', code: await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }), redirect_uri: redirect });
    expect(missing.body.error).toBe('invalid_grant');
    const wrong = await token({ grant_type: 'authorization_code', code: await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }), redirect_uri: redirect, code_verifier: pkcePair().verifier });
    expect(wrong.body.error).toBe('invalid_grant');
    const right = await token({ grant_type: 'authorization_code', code: await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }), redirect_uri: redirect, code_verifier: pkce.verifier });
    expect(right.status).toBe(200);
    const unasked = await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect, code_verifier: pkce.verifier });
    expect(unasked.body.error).toBe('invalid_grant');
  });

  it('uses a code once; a replay revokes the tokens it bought', async () => {
    const code = await codeFor();
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: redirect });
    expect((await check(first.body.access_token ?? '')).ok).toBe(true);
    const replay = await token({ grant_type: 'authorization_code', code, redirect_uri: redirect });
    expect(replay.body.error).toBe('invalid_grant');
    expect(await check(first.body.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' });
  });

  it('requires the same redirect URI at the token endpoint, port included', async () => {
    const result = await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: 'http://127.0.0.1:9998/callback' });
    expect(result.body.error).toBe('invalid_grant');
  });

  it('expires codes after their lifetime', async () => {
    const code = await codeFor();
    clock.advance(61);
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: redirect })).body.error).toBe('invalid_grant');
  });

  it('rotates refresh tokens and revokes the whole grant when a used one comes back', async () => {
    const first = (await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect })).body;
    const second = (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' })).body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await check(first.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' });
    expect((await check(second.access_token ?? '')).ok).toBe(true);
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' });
    expect(reuse.body.error).toBe('invalid_grant');
    expect(await check(second.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token ?? '' })).body.error).toBe('invalid_grant');
  });

  it('takes the token lifetime from the fault switch and expires tokens on the emulator clock', async () => {
    sandbox.faults.set({ tokenLifetimeSeconds: 2 });
    const short = (await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect })).body;
    sandbox.faults.clear();
    expect(short.expires_in).toBe(2);
    clock.advance(3);
    expect(await check(short.access_token ?? '')).toEqual({ ok: false, reason: 'expired' });
  });

  it('revokes one token or every grant', async () => {
    const a = (await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect })).body;
    const b = (await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: redirect })).body;
    expect(server.revoke(a.access_token ?? '')).toBe(true);
    expect(await check(a.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' });
    expect((await check(b.access_token ?? '')).ok).toBe(true);
    server.revokeControl({});
    expect(await check(b.access_token ?? '')).toEqual({ ok: false, reason: 'revoked' });
    expect(server.revoke('unknown')).toBe(false);
  });

  it('refuses bad client credentials', async () => {
    const response = await fetch(new URL('/token', sandbox.baseUrl), { method: 'POST', headers: { authorization: basic(client.id, 'nope') }, body: '' });
    expect(response.status).toBe(401);
  });

  it('reads Basic credentials, also when a Bearer token follows', () => {
    expect(basicCredentials(basic('id', 'se:cret'))).toEqual({ id: 'id', secret: 'se:cret' });
    expect(basicCredentials(`${basic('id', 'x')},Bearer abc`)).toEqual({ id: 'id', secret: 'x' });
    expect(basicCredentials('Bearer abc')).toBeUndefined();
  });
});
