import type { GrantType } from '../../../../shared/domain.ts';
import { DossierError } from '../../base/errors.ts';

/** How a provider wants the access token on an API request. */
export type TokenPlacement =
  /** `Authorization: Bearer <token>`. */
  | 'bearer'
  /** An `access_token` parameter: a form field on a form POST, otherwise in the query string. */
  | 'access_token'
  /** InfoJobs: `Authorization: Basic b64(client_id:client_secret),Bearer <token>`. */
  | 'basic_and_bearer'
  /** HTTP Basic with the token as the user name and an empty password (API keys of Greenhouse Harvest, Lever). */
  | 'basic_username'
  /** A provider manifest's own header: `<header>: <prefix><token>`. */
  | { readonly header: string; readonly prefix: string }
  /** A provider manifest's own query parameter: `?<query>=<token>`. */
  | { readonly query: string };

/** What a provider's token endpoint answered, as far as expiry is concerned. */
export interface TokenTiming {
  readonly expires_in?: number;
  readonly created_at?: unknown;
}

/** An error reply from a provider, read in full (error bodies are small). */
export interface ErrorReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
  /** True when this reply came to a request made with a token obtained just before it. */
  readonly freshToken: boolean;
}

/** What a reply to an API request means for the session. */
export type ApiVerdict = 'token_rejected' | DossierError | undefined;

/**
 * One provider's auth profile (its grants are in its capabilities): where its endpoints are by default, how
 * its tokens travel and expire, and what its error replies mean for the user.
 */
export interface AuthProfile {
  /** The API base URL used when the account gives none. */
  readonly defaultBaseUrl: string | undefined;
  /** Parameters the provider requires on its authorization request besides the protocol's own (Lever's `audience`). */
  readonly authorizeParams?: Readonly<Record<string, string>>;
  /** Where endpoints the profile and account do not name are discovered (RFC 8414 / OpenID); the account's base URL when absent. */
  readonly issuer?: string;
  /** Default endpoints, derived from the account's base URL (self-hosted boards, sandboxes). */
  endpoints(baseUrl: URL): { tokenUrl: string | undefined; authorizeUrl: string | undefined };
  /** The scope asked for when the account names none. */
  readonly defaultScope: (grant: GrantType) => string | undefined;
  /** Which scope to try instead, when the token endpoint refuses the one asked for (undefined = none was asked). */
  readonly refusedScopeAdvice?: (refused: string | undefined) => string;
  /** How the client authenticates at the token endpoint when it has a secret. */
  readonly clientAuthentication: 'client_secret_post' | 'client_secret_basic';
  /** Form encoding of token requests; The Job Space documents multipart/form-data. */
  readonly tokenBody: 'urlencoded' | 'multipart';
  /**
   * The redirect URI of a browser sign-in: `registered` — the provider's app registration names
   * one, and its server may compare it exactly, so each account keeps one fixed loopback port;
   * `any-loopback-port` — the server accepts any port on a registered loopback URI (RFC 8252 §7.3),
   * or the provider has no browser sign-in. For a generic OAuth 2.0 account the user chooses.
   */
  readonly redirect: 'registered' | 'any-loopback-port';
  /** Extra parameters on refresh requests (CareerPlug and InfoJobs repeat the redirect_uri). */
  readonly refreshRepeatsRedirectUri: boolean;
  readonly placement: TokenPlacement;
  /** `token_type` values the provider sends that mean Bearer (InfoJobs' token responses say "undefined"). */
  readonly bearerAliases: readonly string[];
  /** Headers on every request to the provider, token endpoint included. */
  readonly headers: Readonly<Record<string, string>>;
  /** When the token expires, or undefined when the provider does not say. */
  expiresAt(token: TokenTiming, obtainedAt: Date): Date | undefined;
  /** Provider-specific meaning of an API error reply; `undefined` hands the reply back to the caller. */
  classifyApiReply(reply: ErrorReply): ApiVerdict;
  /** Provider-specific meaning of a token-endpoint error reply, before the generic OAuth mapping. */
  classifyTokenReply(reply: ErrorReply): DossierError | undefined;
}

/** `expires_in` counted from when we received the token. */
export function expiresFromReceipt(token: TokenTiming, obtainedAt: Date): Date | undefined {
  return typeof token.expires_in === 'number' && Number.isFinite(token.expires_in)
    ? new Date(obtainedAt.getTime() + token.expires_in * 1000)
    : undefined;
}

/**
 * `expires_in` counted from the server's `created_at` (epoch seconds, Doorkeeper) when sent, so a
 * token cached for a while is not believed to be fresh; falls back to the receipt time.
 */
export function expiresFromCreation(token: TokenTiming, obtainedAt: Date): Date | undefined {
  const created = typeof token.created_at === 'number' ? token.created_at : Number(token.created_at);
  if (typeof token.expires_in !== 'number' || !Number.isFinite(created) || created <= 0) return expiresFromReceipt(token, obtainedAt);
  return new Date((created + token.expires_in) * 1000);
}

export function headerValue(reply: Pick<ErrorReply, 'headers'>, name: string): string | undefined {
  const value = reply.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function isHtml(reply: Pick<ErrorReply, 'headers' | 'text'>): boolean {
  return (headerValue(reply, 'content-type') ?? '').includes('text/html') || /^\s*<(!doctype|html)/i.test(reply.text);
}

/** The fields of an OAuth-style `{error, error_description}` body, when the reply has one. */
export function oauthError(reply: Pick<ErrorReply, 'json'>): { error: string; description: string | undefined } | undefined {
  const body = reply.json as { error?: unknown; error_description?: unknown } | null | undefined;
  if (body === null || typeof body !== 'object' || typeof body.error !== 'string') return undefined;
  return { error: body.error, description: typeof body.error_description === 'string' ? body.error_description : undefined };
}

export function throttled(provider: string, reply: Pick<ErrorReply, 'status' | 'headers'>, endpoint?: string): DossierError {
  const retryAfter = headerValue(reply, 'retry-after');
  return new DossierError(
    'provider.throttled',
    'The provider is limiting how fast Dossier may ask. Dossier will slow down and try again; nothing was lost.',
    { provider, endpoint, status: reply.status, retryAfter },
  );
}

/** The generic reading of an API error reply, shared by every profile: a 401 means the token was refused. */
export function genericApiVerdict(reply: ErrorReply): ApiVerdict {
  if (reply.status === 401) return 'token_rejected';
  return undefined;
}

/** The fallback profile behaviour for providers with nothing special to say about a token-endpoint reply. */
export function noTokenQuirks(): DossierError | undefined {
  return undefined;
}
