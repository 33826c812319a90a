import * as oauth from 'oauth4webapi';
import type { Dispatcher } from 'undici';
import { loopbackRedirectUri, type Account } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { ProviderDefinition } from '../providers/catalogue.ts';
import { oauthError, throttled, type AuthProfile, type ErrorReply } from '../providers/kit/auth-profile.ts';
import { assertSecureUrl, isLoopbackHttp } from '../providers/kit/urls.ts';
import type { AccountService } from '../accounts/service.ts';
import type { TokenRecord } from '../secrets/tokens.ts';
import { asNetworkError, providerFetch, tokenRequestTimeoutMs } from './http.ts';

/** Everything needed to talk OAuth with one account's provider, resolved from the account, its profile and the vault. */
export interface AuthSetup {
  readonly account: Account;
  readonly profile: AuthProfile;
  readonly label: string;
  /** The account's provider as the catalogue (or the account's manifest) describes it: where to find its settings. */
  readonly definition: Pick<ProviderDefinition, 'setupHelp' | 'redirectSetting'>;
  readonly baseUrl: URL;
  readonly as: oauth.AuthorizationServer;
  /**
   * With endpoints given by hand there is no metadata naming the issuer, so an RFC 9207 `iss` in
   * the authorization response is accepted when it names the server the account was set up with:
   * its base URL, or the origin of its authorization or token endpoint (trailing slash ignored).
   * Undefined when the endpoints were discovered: then `iss` must be the discovered issuer exactly,
   * and present when the metadata says the server sends it.
   */
  readonly configuredIssuers: readonly string[] | undefined;
  readonly client: oauth.Client;
  readonly clientSecret: string | undefined;
  readonly clientAuth: oauth.ClientAuth;
  readonly scope: string | undefined;
  readonly dispatcher: Dispatcher;
  /** Request options for the token endpoint. */
  readonly http: HttpOptions;
  /** Request options for another endpoint of the same provider (plain http only to a loopback address). */
  readonly httpTo: (url: URL) => HttpOptions;
}

type HttpOptions = oauth.HttpRequestOptions<'POST', URLSearchParams> & oauth.HttpRequestOptions<'GET'>;

/** Authorization-server metadata found by discovery, per issuer: looked up once for the life of an auth service. */
export type DiscoveryCache = Map<string, Promise<oauth.AuthorizationServer>>;

/** What resolving an account's OAuth setup reads: its client secret, and metadata discovered earlier. */
export interface SetupSources {
  readonly accounts: Pick<AccountService, 'clientSecret' | 'provider'>;
  readonly discovery: DiscoveryCache;
  readonly dispatcher: Dispatcher;
}

export async function authSetup(sources: SetupSources, account: Account): Promise<AuthSetup> {
  const { dispatcher } = sources;
  const definition = sources.accounts.provider(account);
  const { profile } = definition;
  const baseUrl = new URL(account.baseUrl);
  assertSecureUrl(baseUrl, 'base URL');
  const clientSecret = await sources.accounts.clientSecret(account.id);
  const fetcher = providerFetch(dispatcher, profile.headers, profile.tokenBody);
  const http = (url: URL): HttpOptions => ({
    [oauth.customFetch]: fetcher,
    [oauth.allowInsecureRequests]: isLoopbackHttp(url),
    signal: () => AbortSignal.timeout(tokenRequestTimeoutMs),
  });
  const defaults = profile.endpoints(baseUrl);
  const tokenUrl = account.tokenUrl ?? defaults.tokenUrl;
  const authorizeUrl = account.authorizeUrl ?? defaults.authorizeUrl;
  const needsAuthorize = account.grant === 'authorization_code';
  let as: oauth.AuthorizationServer;
  let configuredIssuers: string[] | undefined;
  // A pasted token (a manifest's API key) is used as it is: no endpoint to discover.
  if ((tokenUrl !== undefined && (authorizeUrl !== undefined || !needsAuthorize)) || (account.grant === 'token' && tokenUrl === undefined)) {
    for (const [url, what] of [[tokenUrl, 'token URL'], [authorizeUrl, 'authorization URL']] as const) if (url !== undefined) assertSecureUrl(new URL(url), what);
    // Without metadata the base URL stands for the issuer, spelled as issuers are (no trailing slash), so an ID token from it validates.
    as = { issuer: withoutTrailingSlash(baseUrl.href), token_endpoint: tokenUrl, authorization_endpoint: authorizeUrl };
    configuredIssuers = [...new Set([baseUrl.href, ...[authorizeUrl, tokenUrl].flatMap((url) => (url === undefined ? [] : [new URL(url).origin]))].map(withoutTrailingSlash))];
  } else {
    const issuer = profile.issuer === undefined ? baseUrl : new URL(profile.issuer);
    as = await discover(sources.discovery, issuer, definition.label, http(issuer));
  }
  const tokenEndpoint = new URL(as.token_endpoint ?? baseUrl.href);
  const client: oauth.Client = { client_id: account.clientId ?? '' };
  const clientAuth =
    clientSecret === undefined
      ? oauth.None()
      : profile.clientAuthentication === 'client_secret_basic'
        ? oauth.ClientSecretBasic(clientSecret)
        : oauth.ClientSecretPost(clientSecret);
  return {
    account,
    profile,
    label: definition.label,
    definition,
    baseUrl,
    as,
    configuredIssuers,
    client,
    clientSecret,
    clientAuth,
    scope: account.scope ?? profile.defaultScope(account.grant),
    dispatcher,
    http: http(tokenEndpoint),
    httpTo: http,
  };
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** RFC 8414 / OpenID Connect discovery from the account's base URL (the issuer), remembered in `discovered`. */
function discover(discovered: DiscoveryCache, issuer: URL, label: string, http: oauth.DiscoveryRequestOptions): Promise<oauth.AuthorizationServer> {
  const cached = discovered.get(issuer.href);
  if (cached !== undefined) return cached;
  const attempt = (async () => {
    let lastError: unknown;
    for (const algorithm of ['oidc', 'oauth2'] as const) {
      try {
        const response = await oauth.discoveryRequest(issuer, { ...http, algorithm });
        return await oauth.processDiscoveryResponse(issuer, response);
      } catch (error) {
        lastError = asNetworkError(error, label, 'discovery');
        if (lastError instanceof DossierError) break;
      }
    }
    if (lastError instanceof DossierError) throw lastError;
    throw new DossierError(
      'input.invalid',
      `Dossier could not find the sign-in endpoints of ${issuer.href}. Give the token URL and the authorization URL of the provider.`,
      { provider: label, endpoint: 'discovery' },
      { cause: lastError },
    );
  })();
  discovered.set(issuer.href, attempt);
  attempt.catch(() => discovered.delete(issuer.href));
  return attempt;
}

export type TokenCall = 'client_credentials' | 'refresh' | 'authorization_code';

/**
 * Runs one token-endpoint request: the library builds and sends it; a non-200 reply is read
 * here and mapped to what the user can do; a 200 reply is validated by the library.
 */
export async function tokenEndpoint(
  setup: AuthSetup,
  call: TokenCall,
  send: () => Promise<Response>,
  process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<oauth.TokenEndpointResponse> {
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    throw asNetworkError(error, setup.account.provider, 'token');
  }
  if (response.status !== 200) {
    const text = await response.text().catch(() => '');
    throw tokenReplyError(setup, call, {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text,
      json: parseJson(text),
      freshToken: false,
    });
  }
  try {
    return await process(response);
  } catch (error) {
    throw new DossierError(
      'provider.malformed_response',
      `${setup.label} answered the sign-in with something Dossier does not understand. Try again later; if it persists, the provider's API may have changed.`,
      { provider: setup.account.provider, endpoint: 'token', cause: error instanceof Error ? error.message : String(error) },
      { cause: error },
    );
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Maps a token-endpoint refusal: first the provider's own quirks, then the OAuth 2.0 error codes (RFC 6749 §5.2). */
export function tokenReplyError(setup: AuthSetup, call: TokenCall, reply: ErrorReply): DossierError {
  const provider = setup.account.provider;
  const quirk = setup.profile.classifyTokenReply(reply);
  if (quirk !== undefined) return quirk;
  const detail = { provider, endpoint: 'token', status: reply.status, error: oauthError(reply)?.error };
  if (reply.status === 429) return throttled(provider, reply, 'token');
  if (reply.status >= 500) {
    return new DossierError('provider.unavailable', `${setup.label} is not answering sign-in requests right now. Try again in a few minutes.`, detail);
  }
  const help = setup.definition.setupHelp;
  switch (oauthError(reply)?.error) {
    case 'invalid_client':
      return new DossierError(
        'auth.invalid_client',
        `${setup.label} refused the client id or secret: either one is wrong, or the API application was revoked. Copy both again (${help}) and update the account.`,
        detail,
      );
    case 'unauthorized_client':
      return new DossierError(
        'auth.revoked',
        `${setup.label} no longer lets this API application sign in this way (it may have been revoked or restricted). Check the application's settings with the provider.`,
        detail,
      );
    case 'invalid_grant': {
      if (call === 'refresh') return new DossierError('auth.revoked', `${setup.label} ended this sign-in (it was revoked or has expired). Sign in again.`, detail);
      const aboutRedirect = call === 'authorization_code' && /redirect(ion)?[\s_-]*ur[il]/i.test(`${oauthError(reply)?.description ?? ''} ${reply.text}`);
      return new DossierError(
        'auth.invalid_grant',
        `${setup.label} refused the sign-in code (it expired or was already used). Sign in again.${aboutRedirect ? ` ${redirectHint(setup)}` : ''}`,
        detail,
      );
    }
    case 'invalid_scope':
      return new DossierError(
        'input.invalid',
        setup.profile.refusedScopeAdvice?.(setup.scope) ?? `${setup.label} does not allow the scope "${setup.scope ?? ''}". Change the account's scope.`,
        { ...detail, field: 'scope' },
      );
    case 'access_denied':
      return new DossierError('auth.access_denied', `${setup.label} denied access. Sign in again and allow Dossier.`, detail);
    default:
      break;
  }
  if (reply.status === 401 || reply.status === 403) {
    return new DossierError(
      'auth.invalid_client',
      `${setup.label} refused to sign Dossier in. Check the client id and secret (${help}) and update the account.`,
      detail,
    );
  }
  return new DossierError('provider.malformed_response', `${setup.label} refused the sign-in in an unexpected way (HTTP ${reply.status}). Try again later.`, detail);
}

/**
 * What to register when the provider refused the redirect URI (it shows its own error page and
 * never sends the browser back, or refuses the code at the token endpoint): the account's exact
 * URI when its port is fixed, or how to get a fixed one when it is not.
 */
export function redirectHint(setup: Pick<AuthSetup, 'account' | 'label' | 'definition'>): string {
  const { account, label } = setup;
  const where = setup.definition.redirectSetting ?? `${label}'s settings for your API application`;
  if (account.redirectPort !== null) {
    return `If ${label} said the redirect URI is not registered, register exactly ${loopbackRedirectUri(account.redirectPort)} in ${where}, then sign in again.`;
  }
  return (
    `If ${label} said the redirect URI is not registered: Dossier uses a new port on each sign-in (${loopbackRedirectUri(null).replace('/callback', ':<port>/callback')}). ` +
    `Give the account a fixed redirect port and register that exact URI in ${where}, then sign in again.`
  );
}

/** The vault record for a token response; expiry per the provider's profile. */
export function toRecord(
  setup: AuthSetup,
  token: oauth.TokenEndpointResponse,
  previous: Pick<TokenRecord, 'refreshToken' | 'redirectUri'> | undefined,
  obtainedAt: Date = new Date(),
): TokenRecord {
  const expiresAt = setup.profile.expiresAt(token, obtainedAt);
  return {
    accessToken: token.access_token,
    // A refresh response without a new refresh token leaves the old one valid (RFC 6749 §6).
    refreshToken: token.refresh_token ?? previous?.refreshToken,
    expiresAt: expiresAt?.toISOString(),
    obtainedAt: obtainedAt.toISOString(),
    grant: setup.account.grant,
    scope: token.scope ?? setup.scope,
    redirectUri: previous?.redirectUri,
  };
}

/** Lets the library accept the provider's odd spellings of a Bearer token type. */
export function tokenResponseOptions(setup: AuthSetup): oauth.ProcessTokenResponseOptions {
  const accept = (): void => undefined;
  return { recognizedTokenTypes: Object.fromEntries(setup.profile.bearerAliases.map((alias) => [alias.toLowerCase(), accept])) };
}

export async function clientCredentialsGrant(setup: AuthSetup): Promise<TokenRecord> {
  const parameters: Record<string, string> = setup.scope === undefined ? {} : { scope: setup.scope };
  const token = await tokenEndpoint(
    setup,
    'client_credentials',
    () => oauth.clientCredentialsGrantRequest(setup.as, setup.client, setup.clientAuth, parameters, setup.http),
    (response) => oauth.processClientCredentialsResponse(setup.as, setup.client, response, tokenResponseOptions(setup)),
  );
  return toRecord(setup, token, undefined);
}

export async function refreshGrant(setup: AuthSetup, previous: TokenRecord & { refreshToken: string }): Promise<TokenRecord> {
  const additionalParameters: Record<string, string> = {};
  if (setup.profile.refreshRepeatsRedirectUri && previous.redirectUri !== undefined) additionalParameters.redirect_uri = previous.redirectUri;
  const token = await tokenEndpoint(
    setup,
    'refresh',
    () => oauth.refreshTokenGrantRequest(setup.as, setup.client, setup.clientAuth, previous.refreshToken, { ...setup.http, additionalParameters }),
    (response) => oauth.processRefreshTokenResponse(setup.as, setup.client, response, tokenResponseOptions(setup)),
  );
  return toRecord(setup, token, previous);
}
