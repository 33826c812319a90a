import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSwitch } from './faults.ts';
import type { RequestContext } from './server.ts';
import type { RedirectMatching } from './strictness.ts';

/**
 * The authorization-server half shared by the authorization-code emulators (CareerPlug, InfoJobs,
 * JyMob): a login/consent page that works without JavaScript, single-use authorization codes,
 * PKCE S256, redirect matching (RFC 8252 loopback leniency, or exact), refresh-token rotation with reuse detection and
 * revocation. Each emulator keeps its own token-endpoint wire format and error bodies; this module
 * returns values and `OAuthFailure`s for it to render.
 */

export interface RegisteredClient {
  readonly id: string;
  readonly secret: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
}

export interface SandboxUser {
  readonly id: string;
  readonly login: string;
  readonly password: string;
  readonly displayName: string;
}

export interface ScopePolicy {
  /** Scopes a user may grant on the consent page; anything else is refused with invalid_scope. */
  readonly known: readonly string[];
  /** How the authorize request lists scopes (InfoJobs: commas; RFC 6749: spaces). */
  readonly separator: ',' | ' ';
  /** Granted when the request names no scope. */
  readonly defaults: readonly string[];
}

export interface AuthorizationServerOptions {
  readonly productName: string;
  readonly clients: readonly RegisteredClient[];
  readonly users: readonly SandboxUser[];
  readonly scopes: ScopePolicy;
  readonly codeLifetimeSeconds: number;
  /** The documented access-token lifetime; the `tokenLifetimeSeconds` fault overrides it. */
  readonly accessTokenLifetimeSeconds: number;
  readonly issueRefreshTokens: boolean;
  /** The harness's fault switch (created by startSandbox after this server, hence a getter). */
  readonly faults: () => FaultSwitch | undefined;
  readonly clock: SandboxClock;
  /** The provider's token look (UUIDs for InfoJobs, long hex for Doorkeeper, …). */
  readonly tokenValue?: () => string;
  /** How a requested redirect URI is compared with the registered ones (strictness.ts); `loopback` when absent. */
  readonly redirectMatching?: RedirectMatching | undefined;
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'access_denied';

export interface OAuthFailure {
  readonly ok: false;
  readonly error: OAuthErrorCode;
  readonly description: string;
}

export interface AccessToken {
  readonly value: string;
  readonly clientId: string;
  /** Null for client-credentials tokens (no resource owner). */
  readonly userId: string | null;
  readonly scope: readonly string[];
  readonly grantId: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  readonly expiresIn: number;
  readonly refreshToken: string | null;
}

export type TokenCheck =
  | { readonly ok: true; readonly token: AccessToken }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' };

/** Emulator time: real time plus an offset a control can advance, so expiry is testable without waiting. */
export class SandboxClock {
  #offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }
}

interface AuthorizationCode {
  readonly clientId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly scope: readonly string[];
  readonly codeChallenge: string | null;
  readonly expiresAt: number;
  used: boolean;
  grantId: string | null;
}

interface Grant {
  readonly clientId: string;
  readonly userId: string | null;
  readonly scope: readonly string[];
  revoked: boolean;
  readonly accessTokens: Set<string>;
  readonly refreshTokens: Set<string>;
}

interface RefreshToken {
  readonly grantId: string;
  consumed: boolean;
}

const failure = (error: OAuthErrorCode, description: string): OAuthFailure => ({ ok: false, error, description });

export const loopbackHosts: readonly string[] = ['127.0.0.1', '[::1]'];

/** The "show the code on the page" redirect URI some providers (CareerPlug) register for testing. */
const outOfBand = 'urn:ietf:wg:oauth:2.0:oob';

/**
 * `loopback` (RFC 8252 §7.3): a loopback redirect matches the registered one on any port (the app
 * picks an ephemeral port at run time); every other redirect URI must match exactly. `localhost` is
 * not a loopback literal (RFC 8252 §8.3) and gets no port leniency. `exact`: character for
 * character, port and path included, as a server that never read RFC 8252 compares.
 */
export function redirectUriMatches(registered: string, requested: string, matching: RedirectMatching = 'loopback'): boolean {
  if (registered === requested) return true;
  if (matching === 'exact') return false;
  let want: URL;
  let got: URL;
  try {
    want = new URL(registered);
    got = new URL(requested);
  } catch {
    return false;
  }
  return (
    want.protocol === 'http:' &&
    got.protocol === 'http:' &&
    loopbackHosts.includes(want.hostname) &&
    loopbackHosts.includes(got.hostname) &&
    want.pathname === got.pathname &&
    want.search === got.search &&
    got.hash === '' &&
    got.username === '' &&
    got.password === ''
  );
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Reads `Authorization: Basic …` client credentials; undefined when absent or not Basic. */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*(?:,|$)/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1 form-encodes both parts first; a stray "%" is taken literally.
  const unescape = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

/** The urlencoded request body (empty for any other content type). */
export async function formBody(request: IncomingMessage, context: RequestContext): Promise<URLSearchParams> {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams((await context.body()).toString('utf8'));
}

/** Query parameters overlaid with body parameters (the body wins), as Rails and Spring read them. */
export function mergedParams(query: URLSearchParams, body: URLSearchParams): URLSearchParams {
  const merged = new URLSearchParams(query);
  for (const [key, value] of body) merged.set(key, value);
  return merged;
}

function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/** The parameters of an authorization request that the consent form carries through. */
const carriedParameters = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

export class AuthorizationServer {
  readonly #options: AuthorizationServerOptions;
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #grants = new Map<string, Grant>();
  readonly #accessTokens = new Map<string, AccessToken>();
  readonly #refreshTokens = new Map<string, RefreshToken>();
  readonly #revokedAccessTokens = new Set<string>();
  /** Redirect URIs added at run time (the `register-redirect` control), per client id. */
  readonly #addedRedirectUris = new Map<string, string[]>();

  constructor(options: AuthorizationServerOptions) {
    this.#options = options;
  }

  /**
   * Adds a redirect URI to a client's registration, as the developer does on the provider's app
   * page (the `register-redirect` control, so a test registers what Dossier told the user to).
   */
  registerRedirectUri(uri: string, clientId?: string): { clientId: string; redirectUris: readonly string[] } {
    const client = clientId === undefined ? this.#options.clients[0] : this.client(clientId);
    if (!client) throw new Error(`no registered client ${clientId ?? ''}`);
    const parsed = URL.canParse(uri) ? new URL(uri) : undefined;
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hash !== '') throw new Error(`not a redirect URI: "${uri}"`);
    const added = this.#addedRedirectUris.get(client.id) ?? [];
    if (!added.includes(uri)) added.push(uri);
    this.#addedRedirectUris.set(client.id, added);
    return { clientId: client.id, redirectUris: this.#redirectUris(client) };
  }

  #redirectUris(client: RegisteredClient): readonly string[] {
    return [...client.redirectUris, ...(this.#addedRedirectUris.get(client.id) ?? [])];
  }

  client(id: string | null | undefined): RegisteredClient | undefined {
    return this.#options.clients.find((client) => client.id === id);
  }

  /** The client when the id and secret match a registration. */
  authenticateClient(id: string | null | undefined, secret: string | null | undefined): RegisteredClient | undefined {
    const client = this.client(id);
    return client && secret != null && secretsEqual(client.secret, secret) ? client : undefined;
  }

  /**
   * GET renders the login/consent page; POST (the form) signs the user in and redirects with a code
   * or `error=access_denied`. A request whose client or redirect URI is not registered gets an
   * error page and never a redirect (RFC 6749 §4.1.2.1).
   */
  async handleAuthorize(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const params = context.method === 'POST' ? await formBody(request, context) : context.url.searchParams;
    const client = this.client(params.get('client_id'));
    const redirectUri = params.get('redirect_uri');
    if (!client) return this.#errorPage(response, 400, 'Unknown application', 'The client_id in this link is not registered.');
    if (!redirectUri) return this.#errorPage(response, 400, 'Missing redirect URI', 'This link has no redirect_uri parameter.');
    if (!this.#redirectUris(client).some((registered) => redirectUriMatches(registered, redirectUri, this.#options.redirectMatching))) {
      return this.#errorPage(response, 400, 'Redirect URI not registered', `The redirect_uri "${redirectUri}" is not registered for ${client.name}.`);
    }
    const redirectWithError = (error: OAuthErrorCode, description: string) =>
      this.#redirect(response, redirectUri, { error, error_description: description, state: params.get('state') });
    if (params.get('response_type') !== 'code') return redirectWithError('unsupported_response_type', 'response_type must be "code".');
    const challenge = params.get('code_challenge');
    if (challenge !== null && params.get('code_challenge_method') !== 'S256') {
      return redirectWithError('invalid_request', 'Only code_challenge_method=S256 is supported.');
    }
    if (challenge !== null && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return redirectWithError('invalid_request', 'code_challenge must be a base64url SHA-256 digest.');
    const scope = this.#requestedScope(params.get('scope'));
    if (!scope.ok) return redirectWithError('invalid_scope', scope.description);

    if (context.method !== 'POST') return this.#consentPage(response, context.url.pathname, client, params, scope.value, null);
    if (params.get('decision') === 'deny') return redirectWithError('access_denied', 'The user denied the request.');
    const user = this.authenticateUser(params.get('username'), params.get('password'));
    if (!user) {
      return this.#consentPage(response, context.url.pathname, client, params, scope.value, 'That email and password do not match a sandbox user.');
    }
    const code = randomBytes(24).toString('base64url');
    this.#codes.set(code, {
      clientId: client.id,
      userId: user.id,
      redirectUri,
      scope: scope.value,
      codeChallenge: challenge,
      expiresAt: this.#options.clock.nowMs() + this.#options.codeLifetimeSeconds * 1000,
      used: false,
      grantId: null,
    });
    if (redirectUri === outOfBand) return this.#showCode(response, code);
    return this.#redirect(response, redirectUri, { code, state: params.get('state') });
  }

  /** authorization_code grant: single use, unexpired, same client and redirect URI, PKCE verified. */
  exchangeCode(input: { client: RegisteredClient; code: string | null; redirectUri: string | null; codeVerifier: string | null }): AccessToken | OAuthFailure {
    const code = input.code ? this.#codes.get(input.code) : undefined;
    if (!code || code.clientId !== input.client.id) return failure('invalid_grant', 'The authorization code is invalid.');
    if (code.used) {
      // RFC 6749 §4.1.2: a replayed code revokes what it already bought.
      if (code.grantId) this.#revokeGrant(code.grantId);
      return failure('invalid_grant', 'The authorization code has already been used.');
    }
    if (this.#options.clock.nowMs() >= code.expiresAt) return failure('invalid_grant', 'The authorization code has expired.');
    if (input.redirectUri !== code.redirectUri) return failure('invalid_grant', 'redirect_uri does not match the one used to authorize.');
    if (code.codeChallenge === null && input.codeVerifier) return failure('invalid_grant', 'code_verifier sent but no code_challenge was.');
    if (code.codeChallenge !== null && (!input.codeVerifier || !secretsEqual(pkceChallenge(input.codeVerifier), code.codeChallenge))) {
      return failure('invalid_grant', 'The PKCE code_verifier is missing or does not match.');
    }
    code.used = true;
    const grantId = this.#newGrant(input.client.id, code.userId, code.scope);
    code.grantId = grantId;
    return this.#mint(grantId, this.#options.issueRefreshTokens);
  }

  /** refresh_token grant with rotation; replaying a consumed refresh token revokes the whole grant. */
  refresh(input: { client: RegisteredClient; refreshToken: string | null }): AccessToken | OAuthFailure {
    const refresh = input.refreshToken ? this.#refreshTokens.get(input.refreshToken) : undefined;
    const grant = refresh ? this.#grants.get(refresh.grantId) : undefined;
    if (!refresh || !grant || grant.clientId !== input.client.id) return failure('invalid_grant', 'The refresh token is invalid.');
    if (grant.revoked) return failure('invalid_grant', 'The refresh token has been revoked.');
    if (refresh.consumed) {
      this.#revokeGrant(refresh.grantId);
      return failure('invalid_grant', 'The refresh token was already used; every token of this grant is now revoked.');
    }
    refresh.consumed = true;
    for (const token of grant.accessTokens) this.#revokedAccessTokens.add(token);
    return this.#mint(refresh.grantId, true);
  }

  clientCredentials(client: RegisteredClient, scope: readonly string[]): AccessToken {
    return this.#mint(this.#newGrant(client.id, null, scope), false);
  }

  /** A token for a user without the browser dance (JyMob's own-account token, The Job Space's password grant). */
  issueForUser(client: RegisteredClient, userId: string, scope: readonly string[], options: { refresh: boolean } = { refresh: false }): AccessToken {
    return this.#mint(this.#newGrant(client.id, userId, scope), options.refresh);
  }

  /** The user whose login and password match (resource-owner password grant). */
  authenticateUser(login: string | null, password: string | null): SandboxUser | undefined {
    const user = this.#options.users.find((candidate) => candidate.login === login);
    return user && password !== null && secretsEqual(user.password, password) ? user : undefined;
  }

  verify(value: string | null | undefined): TokenCheck {
    const token = value ? this.#accessTokens.get(value) : undefined;
    if (!token) return { ok: false, reason: 'unknown' };
    if (this.#revokedAccessTokens.has(token.value) || this.#grants.get(token.grantId)?.revoked) return { ok: false, reason: 'revoked' };
    if (this.#options.clock.nowSeconds() >= token.createdAt + token.expiresIn) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  /** Revokes one token (an access token, or a refresh token and its whole grant); true when known. */
  revoke(value: string): boolean {
    const refresh = this.#refreshTokens.get(value);
    if (refresh) {
      this.#revokeGrant(refresh.grantId);
      return true;
    }
    if (!this.#accessTokens.has(value)) return false;
    this.#revokedAccessTokens.add(value);
    return true;
  }

  /** Revokes every grant (an administrator pulling the app's access). */
  revokeAll(): number {
    for (const grantId of this.#grants.keys()) this.#revokeGrant(grantId);
    return this.#grants.size;
  }

  /** The control action shared by every emulator: `{token}` revokes one, `{}` revokes all. */
  revokeControl(body: Record<string, unknown>): { revoked: number } {
    if (typeof body.token === 'string') return { revoked: this.revoke(body.token) ? 1 : 0 };
    return { revoked: this.revokeAll() };
  }

  #requestedScope(raw: string | null): { ok: true; value: readonly string[] } | OAuthFailure {
    const { known, separator, defaults } = this.#options.scopes;
    const requested = (raw ?? '').split(separator).map((scope) => scope.trim()).filter(Boolean);
    if (requested.length === 0) return { ok: true, value: defaults };
    const normalized = requested.map((scope) => known.find((candidate) => candidate.toLowerCase() === scope.toLowerCase()));
    const unknown = requested.filter((_, index) => normalized[index] === undefined);
    if (unknown.length > 0) return failure('invalid_scope', `Unknown scope: ${unknown.join(', ')}.`);
    return { ok: true, value: [...new Set(normalized as string[])] };
  }

  #newGrant(clientId: string, userId: string | null, scope: readonly string[]): string {
    const grantId = randomBytes(9).toString('base64url');
    this.#grants.set(grantId, { clientId, userId, scope, revoked: false, accessTokens: new Set(), refreshTokens: new Set() });
    return grantId;
  }

  #mint(grantId: string, withRefresh: boolean): AccessToken {
    const grant = this.#grants.get(grantId);
    if (!grant) throw new Error(`no grant ${grantId}`);
    const tokenValue = this.#options.tokenValue ?? (() => randomBytes(32).toString('hex'));
    const refreshToken = withRefresh ? tokenValue() : null;
    const token: AccessToken = {
      value: tokenValue(),
      clientId: grant.clientId,
      userId: grant.userId,
      scope: grant.scope,
      grantId,
      createdAt: this.#options.clock.nowSeconds(),
      expiresIn: this.#options.faults()?.settings.tokenLifetimeSeconds ?? this.#options.accessTokenLifetimeSeconds,
      refreshToken,
    };
    this.#accessTokens.set(token.value, token);
    grant.accessTokens.add(token.value);
    if (refreshToken) {
      this.#refreshTokens.set(refreshToken, { grantId, consumed: false });
      grant.refreshTokens.add(refreshToken);
    }
    return token;
  }

  #revokeGrant(grantId: string): void {
    const grant = this.#grants.get(grantId);
    if (grant) grant.revoked = true;
  }

  #redirect(response: ServerResponse, redirectUri: string, params: Record<string, string | null>): void {
    if (redirectUri === outOfBand) {
      return this.#errorPage(response, 400, 'Authorization not granted', `${params.error ?? 'error'}: ${params.error_description ?? ''}`);
    }
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) if (value !== null) target.searchParams.set(key, value);
    response.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
    response.end();
  }

  #errorPage(response: ServerResponse, status: number, title: string, message: string): void {
    this.#page(response, status, title, `<p role="alert">${escapeHtml(message)}</p><p>Close this window and check the application's settings.</p>`);
  }

  #showCode(response: ServerResponse, code: string): void {
    this.#page(response, 200, 'Authorization code', `<p>Copy this code into the application:</p><p><output id="code">${escapeHtml(code)}</output></p>`);
  }

  #consentPage(
    response: ServerResponse,
    action: string,
    client: RegisteredClient,
    params: URLSearchParams,
    scope: readonly string[],
    problem: string | null,
  ): void {
    const hidden = carriedParameters
      .flatMap((name) => {
        const value = params.get(name);
        return value === null ? [] : [`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`];
      })
      .join('\n      ');
    const user = this.#options.users[0];
    const scopes = scope.length > 0 ? `<ul>${scope.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '<p>Basic access to your account.</p>';
    this.#page(
      response,
      problem ? 401 : 200,
      `Sign in to ${this.#options.productName}`,
      `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
    <p><strong>${escapeHtml(client.name)}</strong> asks for access to your ${escapeHtml(this.#options.productName)} account:</p>
    ${scopes}
    <form method="post" action="${escapeHtml(action)}">
      ${hidden}
      <p><label for="username">Email</label><br><input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(params.get('username') ?? user?.login ?? '')}" required></p>
      <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
      <p class="hint">Sandbox sign-in: ${escapeHtml(user?.login ?? '')} / ${escapeHtml(user?.password ?? '')}</p>
      <p><button type="submit" name="decision" value="allow">Allow</button>
         <button type="submit" name="decision" value="deny" formnovalidate>Deny</button></p>
    </form>`,
    );
  }

  #page(response: ServerResponse, status: number, title: string, content: string): void {
    const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
  <main>
    <h1>${escapeHtml(title)}</h1>
    ${content}
  </main>
</body>
</html>`;
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    response.end(html);
  }
}

/** A deterministic credential string (client ids and secrets printed in the ready line). */
export function sandboxCredential(random: { int(min: number, max: number): number }, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  return Array.from({ length }, () => alphabet[random.int(0, alphabet.length - 1)]).join('');
}

/** The token-endpoint request parameters: query string, then a urlencoded or JSON body on top. */
export async function tokenRequestParams(request: IncomingMessage, context: RequestContext): Promise<URLSearchParams> {
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/json')) return mergedParams(context.url.searchParams, await formBody(request, context));
  let json: unknown;
  try {
    json = JSON.parse((await context.body()).toString('utf8'));
  } catch {
    json = {};
  }
  const body = new URLSearchParams();
  if (json !== null && typeof json === 'object') {
    for (const [key, value] of Object.entries(json)) if (typeof value === 'string' || typeof value === 'number') body.set(key, String(value));
  }
  return mergedParams(context.url.searchParams, body);
}

/** Client authentication by HTTP Basic or by client_id/client_secret parameters (RFC 6749 §2.3.1). */
export function requestClient(server: AuthorizationServer, request: IncomingMessage, params: URLSearchParams): RegisteredClient | undefined {
  const basic = basicCredentials(request.headers.authorization);
  return basic ? server.authenticateClient(basic.id, basic.secret) : server.authenticateClient(params.get('client_id'), params.get('client_secret'));
}

/** The authorization_code and refresh_token grants, read from standard token-request parameters. */
export function codeOrRefreshGrant(server: AuthorizationServer, client: RegisteredClient, params: URLSearchParams): AccessToken | OAuthFailure {
  switch (params.get('grant_type')) {
    case 'authorization_code':
      return server.exchangeCode({ client, code: params.get('code'), redirectUri: params.get('redirect_uri'), codeVerifier: params.get('code_verifier') });
    case 'refresh_token':
      return server.refresh({ client, refreshToken: params.get('refresh_token') });
    case null:
      return failure('invalid_request', 'grant_type is required.');
    default:
      return failure('unsupported_grant_type', `grant_type "${params.get('grant_type')}" is not supported.`);
  }
}

export function isFailure(value: unknown): value is OAuthFailure {
  return value !== null && typeof value === 'object' && (value as { ok?: unknown }).ok === false;
}
