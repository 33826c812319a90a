import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsHandlers } from '../../electron/core/api/handlers/accounts.ts';
import { testCore, type TestCore } from './helpers.ts';

/** A minimal authorization server on 127.0.0.1 whose token endpoint the test can hold back. */
interface TokenServer {
  readonly url: string;
  readonly requests: URLSearchParams[];
  hold(): () => void;
  /** Every later token request is refused with HTTP 400 and this OAuth error body. */
  refuseWith(body: { error: string; error_description: string }): void;
  close(): Promise<void>;
}

async function startTokenServer(): Promise<TokenServer> {
  const requests: URLSearchParams[] = [];
  let gate: Promise<void> = Promise.resolve();
  let refusal: { error: string; error_description: string } | undefined;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(new URLSearchParams(Buffer.concat(chunks).toString()));
      void gate.then(() => {
        if (refusal !== undefined) {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify(refusal));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: `at-${requests.length}`, refresh_token: `rt-${requests.length}`, token_type: 'Bearer', expires_in: 3600 }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    refuseWith(body) {
      refusal = body;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let core: TestCore;
let tokenServer: TokenServer;
let accountId: number;

beforeEach(async () => {
  core = await testCore();
  tokenServer = await startTokenServer();
  const account = await core.core.services.accounts.add({
    provider: 'oauth2',
    name: 'Loopback test',
    baseUrl: tokenServer.url,
    tokenUrl: `${tokenServer.url}/token`,
    authorizeUrl: `${tokenServer.url}/authorize`,
    clientId: 'native-app',
    grant: 'authorization_code',
  });
  accountId = account.id;
});
afterEach(async () => {
  await core.close();
  await tokenServer.close();
});

/** Starts a sign-in and returns its authorize URL (as the system browser would receive it) and the pending outcome. */
async function startSignIn(timeoutMs = 60_000): Promise<{ authorize: URL; redirect: URL; outcome: Promise<unknown> }> {
  const opened = core.nextOpened();
  const outcome = core.core.services.auth.signIn(accountId, { timeoutMs });
  outcome.catch(() => undefined);
  const authorize = new URL(await opened);
  return { authorize, redirect: new URL(authorize.searchParams.get('redirect_uri') ?? ''), outcome };
}

function callbackUrl(redirect: URL, params: Record<string, string>): string {
  const url = new URL(redirect);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

async function visit(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, text: await response.body.text() };
}

/** How a TCP connection attempt ends: 'connected', or the error code (ECONNREFUSED when nothing listens there). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
  });
}

async function refusesConnections(host: string, port: number): Promise<boolean> {
  return (await tryConnect(host, port)) === 'ECONNREFUSED';
}

describe('loopback redirect listener', () => {
  it('accepts the callback with PKCE S256, shows a success page, saves the tokens and closes', async () => {
    const { authorize, redirect, outcome } = await startSignIn();
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toBe('/callback');
    expect(Number(redirect.port)).toBeGreaterThan(0);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const page = await visit(callbackUrl(redirect, { code: 'the-code', state: authorize.searchParams.get('state') ?? '' }));
    expect(page.status).toBe(200);
    expect(page.text).toContain('You can close this tab');
    await expect(outcome).resolves.toMatchObject({ state: 'signed_in' });
    const sent = tokenServer.requests[0];
    expect(sent?.get('code')).toBe('the-code');
    expect(sent?.get('redirect_uri')).toBe(redirect.href);
    const verifier = sent?.get('code_verifier') ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize.searchParams.get('code_challenge'));
    expect((await core.core.services.accounts.readTokens(accountId))?.refreshToken).toBe('rt-1');
    expect(await refusesConnections('127.0.0.1', Number(redirect.port))).toBe(true);
  });

  it('uses a fresh state and PKCE verifier on every attempt', async () => {
    const first = await startSignIn();
    await visit(callbackUrl(first.redirect, { code: 'c1', state: first.authorize.searchParams.get('state') ?? '' }));
    await first.outcome;
    const second = await startSignIn();
    await visit(callbackUrl(second.redirect, { code: 'c2', state: second.authorize.searchParams.get('state') ?? '' }));
    await second.outcome;
    expect(second.authorize.searchParams.get('state')).not.toBe(first.authorize.searchParams.get('state'));
    expect(second.authorize.searchParams.get('code_challenge')).not.toBe(first.authorize.searchParams.get('code_challenge'));
    expect(tokenServer.requests[1]?.get('code_verifier')).not.toBe(tokenServer.requests[0]?.get('code_verifier'));
  });

  it.each([
    ['with another state', { code: 'stolen', state: 'not-the-state' }],
    ['without a state', { code: 'no-state' }],
    ['without a code or a state', {}],
    ['with an error and another state', { error: 'access_denied', state: 'not-the-state' }],
  ])('refuses a forged callback %s, keeps waiting, and the real one still signs in', async (_what, forged: Record<string, string>) => {
    const { authorize, redirect, outcome } = await startSignIn();
    let ended = false;
    void outcome.finally(() => (ended = true));
    const page = await visit(callbackUrl(redirect, forged));
    expect(page.status).toBe(400);
    expect(page.text).toContain('does not belong to the sign-in Dossier started');
    expect(page.text).toContain('still waiting');
    // The forged answer reached no token endpoint and did not end the sign-in.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ended).toBe(false);
    expect(tokenServer.requests).toHaveLength(0);
    const real = await visit(callbackUrl(redirect, { code: 'the-code', state: authorize.searchParams.get('state') ?? '' }));
    expect(real.status).toBe(200);
    await expect(outcome).resolves.toMatchObject({ state: 'signed_in' });
    expect(tokenServer.requests.map((sent) => sent.get('code'))).toEqual(['the-code']);
  });

  it('keeps refusing forged callbacks until the timeout, which then ends the sign-in', async () => {
    const { redirect, outcome } = await startSignIn(600);
    for (const state of ['one', 'two', 'three']) expect((await visit(callbackUrl(redirect, { code: 'x', state }))).status).toBe(400);
    await expect(outcome).rejects.toMatchObject({ code: 'auth.timeout' });
    expect(tokenServer.requests).toHaveLength(0);
  });

  it('with a fixed port: listens there, and a token endpoint refusing the redirect_uri says what to register', async () => {
    const fixed = await core.core.services.accounts.update({ id: accountId, redirectPort: 'auto' });
    expect(fixed.redirectPort).toEqual(expect.any(Number));
    tokenServer.refuseWith({ error: 'invalid_grant', error_description: 'redirect_uri does not match the registered one' });
    const { authorize, redirect, outcome } = await startSignIn();
    expect(redirect.href).toBe(fixed.redirectUri);
    const page = await visit(callbackUrl(redirect, { code: 'the-code', state: authorize.searchParams.get('state') ?? '' }));
    expect(page.status).toBe(400);
    const hint = `If Other OAuth 2.0 provider said the redirect URI is not registered, register exactly ${fixed.redirectUri ?? ''} in your provider's registration of this client`;
    expect(page.text).toContain(hint.replace("'", '&#39;'));
    await expect(outcome).rejects.toMatchObject({ code: 'auth.invalid_grant', message: expect.stringContaining(hint) });
  });

  it('with a fixed port: a timeout says what to register, since a provider refusing the redirect never sends the browser back', async () => {
    const fixed = await core.core.services.accounts.update({ id: accountId, redirectPort: 'auto' });
    const { outcome } = await startSignIn(300);
    await expect(outcome).rejects.toMatchObject({ code: 'auth.timeout', message: expect.stringContaining(`register exactly ${fixed.redirectUri ?? ''}`) });
  });

  it('reports error=access_denied clearly in the page and the app', async () => {
    const { authorize, redirect, outcome } = await startSignIn();
    const page = await visit(callbackUrl(redirect, { error: 'access_denied', state: authorize.searchParams.get('state') ?? '' }));
    expect(page.status).toBe(400);
    expect(page.text).toContain('Access was not granted');
    await expect(outcome).rejects.toMatchObject({ code: 'auth.access_denied' });
  });

  it('refuses a callback without a code', async () => {
    const { authorize, redirect, outcome } = await startSignIn();
    const page = await visit(callbackUrl(redirect, { state: authorize.searchParams.get('state') ?? '' }));
    expect(page.status).toBe(400);
    expect(page.text).toContain('without a sign-in code');
    await expect(outcome).rejects.toMatchObject({ code: 'provider.malformed_response' });
  });

  it('accepts one callback only: a second one gets a refusal page', async () => {
    const { authorize, redirect, outcome } = await startSignIn();
    const release = tokenServer.hold();
    const state = authorize.searchParams.get('state') ?? '';
    const first = visit(callbackUrl(redirect, { code: 'first', state }));
    await expect.poll(() => tokenServer.requests.length).toBe(1);
    const second = await visit(callbackUrl(redirect, { code: 'second', state }));
    expect(second.status).toBe(409);
    expect(second.text).toContain('already used');
    release();
    expect((await first).status).toBe(200);
    await outcome;
    expect(tokenServer.requests.map((request) => request.get('code'))).toEqual(['first']);
  });

  it('refuses other paths and other host names without ending the attempt', async () => {
    const { authorize, redirect, outcome } = await startSignIn();
    const other = await visit(new URL('/favicon.ico', redirect).href);
    expect(other.status).toBe(404);
    expect(other.text).toContain('only used to finish a Dossier sign-in');
    const rebound = await visit(callbackUrl(redirect, { code: 'x', state: authorize.searchParams.get('state') ?? '' }), { host: `attacker.example:${redirect.port}` });
    expect(rebound.status).toBe(400);
    const page = await visit(callbackUrl(redirect, { code: 'good', state: authorize.searchParams.get('state') ?? '' }));
    expect(page.status).toBe(200);
    await expect(outcome).resolves.toMatchObject({ state: 'signed_in' });
  });

  it('gives up after the timeout and closes the listener', async () => {
    const { redirect, outcome } = await startSignIn(300);
    await expect(outcome).rejects.toMatchObject({ code: 'auth.timeout' });
    expect(await refusesConnections('127.0.0.1', Number(redirect.port))).toBe(true);
  });

  it('is cancelled through auth.cancel', async () => {
    const handlers = accountsHandlers(core.core.services);
    const { redirect, outcome } = await startSignIn();
    expect(await handlers['auth.cancel']({ id: accountId })).toEqual({ cancelled: true });
    await expect(outcome).rejects.toMatchObject({ code: 'auth.cancelled' });
    expect(await handlers['auth.cancel']({ id: accountId })).toEqual({ cancelled: false });
    expect(await refusesConnections('127.0.0.1', Number(redirect.port))).toBe(true);
  });

  it('cannot be reached on any non-loopback address of this machine', async () => {
    const { redirect, outcome } = await startSignIn();
    const port = Number(redirect.port);
    const external = Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
      (addresses ?? [])
        .filter((address) => !address.internal)
        .map((address) => (address.family === 'IPv6' && address.scopeid ? `${address.address}%${name}` : address.address)),
    );
    // Whether or not this machine has another interface, the listener is bound to the IPv4 loopback literal.
    expect(redirect.hostname).toBe('127.0.0.1');
    for (const address of external) expect(await tryConnect(address, port), address).toBe('ECONNREFUSED');
    expect(await refusesConnections('::1', port)).toBe(true);
    expect(await refusesConnections('127.0.0.1', port)).toBe(false);
    await accountsHandlers(core.core.services)['auth.cancel']({ id: accountId });
    await expect(outcome).rejects.toMatchObject({ code: 'auth.cancelled' });
  });
});
