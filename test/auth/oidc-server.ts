import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import type { NewAccount } from '../../electron/core/accounts/service.ts';
import { newPage, type TestCore } from './helpers.ts';

export interface TestAuthorizationServer {
  readonly issuer: string;
  /** A public native client (no secret). */
  readonly clientId: string;
  /** A confidential native client, authenticating with HTTP Basic. */
  readonly confidentialClient: { readonly id: string; readonly secret: string };
  /** A public web client whose redirect URIs match exactly, port included (only with `exactRedirectUris`). */
  readonly exactClientId: string;
  readonly provider: Provider;
  /** Token-endpoint requests per grant_type. */
  readonly tokenRequests: Map<string, number>;
  /** The path of every request the server received, in order. */
  readonly requestPaths: string[];
  close(): Promise<void>;
}

export interface AuthorizationServerOptions {
  /**
   * false: the server does not implement RFC 9207 — its authorization responses carry no `iss` and
   * its metadata does not claim `authorization_response_iss_parameter_supported`. oidc-provider
   * always sends `iss`, so the test takes it out on the way (the only change made to the server).
   */
  readonly issParameter?: boolean;
  /**
   * Redirect URIs of a client registered as `application_type: web`, which oidc-provider matches
   * exactly — port included — instead of the native client's any-loopback-port rule.
   */
  readonly exactRedirectUris?: readonly string[];
}

/**
 * oidc-provider (a certified OpenID Provider) on 127.0.0.1 with one native public client, as a
 * desktop app registers itself: loopback redirect, no client secret, PKCE, refresh tokens
 * (offline_access) rotated on every use, reuse of a consumed one revoking the whole grant.
 */
export async function startAuthorizationServer(options: AuthorizationServerOptions = {}): Promise<TestAuthorizationServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'dossier-native';
  const confidentialClient = { id: 'dossier-confidential', secret: 'oidc-client-secret-4f1e9a2c7b' };
  const native = {
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  const exactClientId = 'dossier-exact-redirect';
  const exact = options.exactRedirectUris === undefined ? [] : [{
    application_type: 'web',
    client_id: exactClientId,
    token_endpoint_auth_method: 'none',
    redirect_uris: [...options.exactRedirectUris],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }];
  const provider = new Provider(issuer, {
    clients: [
      { ...native, client_id: clientId, token_endpoint_auth_method: 'none' },
      { ...native, client_id: confidentialClient.id, client_secret: confidentialClient.secret, token_endpoint_auth_method: 'client_secret_basic' },
      ...exact,
    ],
    ttl: { AccessToken: 3600, AuthorizationCode: 600, Grant: 86400, IdToken: 3600, Interaction: 600, RefreshToken: 86400, Session: 86400 },
    scopes: ['openid', 'offline_access'],
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    cookies: { keys: ['test-only-cookie-key'] },
  });
  const tokenRequests = new Map<string, number>();
  const count = (ctx: { oidc: { params?: Record<string, unknown> } }) => {
    const grant = String(ctx.oidc.params?.grant_type ?? 'none');
    tokenRequests.set(grant, (tokenRequests.get(grant) ?? 0) + 1);
  };
  provider.on('grant.success', count);
  provider.on('grant.error', count);
  const requestPaths: string[] = [];
  server.on('request', (request: IncomingMessage) => requestPaths.push(new URL(request.url ?? '/', issuer).pathname));
  const callback = provider.callback();
  server.on('request', options.issParameter === false ? (request: IncomingMessage, response: ServerResponse) => callback(request, withoutIssParameter(request, response)) : callback);
  return {
    issuer,
    clientId,
    confidentialClient,
    exactClientId,
    provider,
    tokenRequests,
    requestPaths,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The response with RFC 9207 taken out: no `iss` on redirects, no claim of it in the metadata. */
function withoutIssParameter(request: IncomingMessage, response: ServerResponse): ServerResponse {
  const setHeader = response.setHeader.bind(response);
  response.setHeader = (name: string, value: number | string | readonly string[]) => {
    if (name.toLowerCase() !== 'location' || typeof value !== 'string' || !URL.canParse(value)) return setHeader(name, value);
    const location = new URL(value);
    location.searchParams.delete('iss');
    return setHeader(name, location.href);
  };
  if ((request.url ?? '').startsWith('/.well-known/')) {
    const end = response.end.bind(response) as (body?: string | Buffer) => ServerResponse;
    response.end = ((body?: string | Buffer) => {
      if (body === undefined) return end();
      const metadata = JSON.parse(body.toString()) as Record<string, unknown>;
      delete metadata.authorization_response_iss_parameter_supported;
      const text = JSON.stringify(metadata);
      response.setHeader('content-length', Buffer.byteLength(text));
      return end(text);
    }) as ServerResponse['end'];
  }
  return response;
}

/**
 * Completes oidc-provider's development login and consent pages in Chromium, as a user would,
 * and returns the loopback page Dossier showed and the callback URL the browser was sent to.
 */
export async function approveOnOidcProvider(browser: Browser, authorizeUrl: string): Promise<{ text: string; callbackUrl: string }> {
  const page = await newPage(browser);
  try {
    await page.goto(authorizeUrl);
    await page.fill('input[name=login]', 'reviewer@example.edu');
    await page.fill('input[name=password]', 'any password');
    await page.click('button[type=submit]');
    await page.waitForSelector('button:has-text("Continue")');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/);
    return { text: await page.locator('body').innerText(), callbackUrl: page.url() };
  } finally {
    await page.close();
  }
}

/**
 * Adds a generic OAuth 2.0 account for `server` (a native public client asking for a refresh
 * token) and signs it in through the real loopback path, consenting in Chromium. Returns the
 * account and what the browser showed once the callback was answered.
 */
export async function signInAtOidcProvider(
  browser: Browser,
  core: TestCore,
  server: TestAuthorizationServer,
  settings: Partial<Pick<NewAccount, 'tokenUrl' | 'authorizeUrl' | 'clientId' | 'redirectPort'>> = {},
): Promise<{ accountId: number; callbackText: string }> {
  const account = await core.core.services.accounts.add({
    provider: 'oauth2',
    name: 'Test IdP',
    baseUrl: server.issuer,
    clientId: server.clientId,
    grant: 'authorization_code',
    scope: 'openid offline_access',
    ...settings,
  });
  const opened = core.nextOpened();
  const signingIn = core.core.services.auth.signIn(account.id);
  const { text } = await approveOnOidcProvider(browser, await opened);
  await signingIn;
  return { accountId: account.id, callbackText: text };
}
