import * as oauth from 'oauth4webapi';
import { DossierError } from '../base/errors.ts';
import { jwtExpiry, type TokenRecord } from '../secrets/tokens.ts';
import { tokenRequestTimeoutMs } from './http.ts';
import { startLoopback } from './loopback.ts';
import { clientCredentialsGrant, redirectHint, tokenEndpoint, tokenResponseOptions, toRecord, withoutTrailingSlash, type AuthSetup } from './oauth.ts';

/** How a browser sign-in reaches the user and how it can be ended early. */
export interface BrowserSignIn {
  /** Opens the authorize URL in the system browser (or prints it, in the command line). */
  readonly openExternal: (url: string) => Promise<void>;
  readonly timeoutMs: number;
  /** Aborted by `auth.cancel`. */
  readonly signal: AbortSignal;
}

/** Obtains the account's first tokens with its grant: a pasted token, client credentials, or the browser. */
export function obtainBySignIn(setup: AuthSetup, token: string | undefined, browser: BrowserSignIn): Promise<TokenRecord> {
  switch (setup.account.grant) {
    case 'token':
      return Promise.resolve(pastedToken(setup, token));
    case 'client_credentials':
      return clientCredentialsGrant(setup);
    case 'authorization_code':
      return authorizationCode(setup, browser);
  }
}

function pastedToken(setup: AuthSetup, token: string | undefined): TokenRecord {
  const trimmed = token?.trim();
  if (trimmed === undefined || trimmed.length === 0) {
    throw new DossierError('input.invalid', `Paste the ${setup.label} access token to sign in.`, { field: 'token' });
  }
  return {
    accessToken: trimmed,
    refreshToken: undefined,
    expiresAt: jwtExpiry(trimmed)?.toISOString(),
    obtainedAt: new Date().toISOString(),
    grant: 'token',
    scope: setup.scope,
    redirectUri: undefined,
  };
}

/**
 * Authorization code with PKCE (S256) and a fresh `state`, redirected to a loopback listener (on
 * the account's fixed port when it has one) that waits for the callback carrying that state, the
 * authorize URL opened in the system browser (RFC 8252).
 */
async function authorizationCode(setup: AuthSetup, browser: BrowserSignIn): Promise<TokenRecord> {
  const { as, client } = setup;
  if (as.authorization_endpoint === undefined) {
    throw new DossierError('input.invalid', `Give the authorization URL of ${setup.label} to sign in through the browser.`, { field: 'authorizeUrl' });
  }
  const state = oauth.generateRandomState();
  const listener = await startLoopback({
    providerLabel: setup.label,
    state,
    port: setup.account.redirectPort ?? undefined,
    timeoutMs: browser.timeoutMs,
    // A provider that refuses the redirect URI shows its own page and never sends the browser back.
    whenNoAnswer: setup.account.redirectPort === null ? undefined : redirectHint(setup),
    signal: browser.signal,
  });
  try {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const authorizeUrl = new URL(as.authorization_endpoint);
    for (const [name, value] of Object.entries(setup.profile.authorizeParams ?? {})) authorizeUrl.searchParams.set(name, value);
    authorizeUrl.searchParams.set('client_id', client.client_id);
    authorizeUrl.searchParams.set('redirect_uri', listener.redirectUri);
    authorizeUrl.searchParams.set('response_type', 'code');
    if (setup.scope !== undefined) authorizeUrl.searchParams.set('scope', setup.scope);
    authorizeUrl.searchParams.set('state', state);
    authorizeUrl.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    authorizeUrl.searchParams.set('code_challenge_method', 'S256');
    if (setup.scope?.split(/[\s,]+/).includes('offline_access') === true) authorizeUrl.searchParams.set('prompt', 'consent');
    await browser.openExternal(authorizeUrl.href);
    const callbackUrl = await listener.callback;
    try {
      const answer = callbackParameters(setup, callbackUrl, state);
      const token = await tokenEndpoint(
        setup,
        'authorization_code',
        () => oauth.authorizationCodeGrantRequest(answer.as, client, setup.clientAuth, answer.parameters, listener.redirectUri, codeVerifier, {
          ...setup.http,
          signal: () => AbortSignal.any([browser.signal, AbortSignal.timeout(tokenRequestTimeoutMs)]),
        }),
        (response) => oauth.processAuthorizationCodeResponse(answer.as, client, response, tokenResponseOptions(setup)),
      );
      const record = toRecord(setup, token, { refreshToken: undefined, redirectUri: listener.redirectUri });
      listener.finish({ ok: true });
      return record;
    } catch (error) {
      const value = error instanceof DossierError ? error : new DossierError('internal', 'The sign-in failed inside Dossier; the details are in the log file.', undefined, { cause: error });
      listener.finish({ ok: false, message: value.message });
      throw value;
    }
  } finally {
    listener.close();
  }
}

/**
 * Checks the redirect the browser brought back (its state already matched, see startLoopback):
 * issuer, error, code; each refusal says what happened. Returns the parameters and the server
 * as identified by its answer (the `iss` it gave, when the endpoints were configured by hand).
 */
function callbackParameters(setup: AuthSetup, callbackUrl: URL, expectedState: string): { parameters: URLSearchParams; as: oauth.AuthorizationServer } {
  let parameters: URLSearchParams;
  const iss = callbackUrl.searchParams.get('iss');
  const as = iss !== null && setup.configuredIssuers?.includes(withoutTrailingSlash(iss)) === true ? { ...setup.as, issuer: iss } : setup.as;
  try {
    parameters = oauth.validateAuthResponse(as, setup.client, callbackUrl, expectedState);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      const denied = error.error === 'access_denied';
      throw new DossierError(
        denied ? 'auth.access_denied' : 'auth.invalid_grant',
        denied
          ? `Access was not granted on the ${setup.label} page, so Dossier is not signed in. Sign in again and choose to allow access.`
          : `${setup.label} refused the sign-in (${error.error}). Try again; if it persists, check the account's client id and scope.`,
        { provider: setup.account.provider, error: error.error },
      );
    }
    throw new DossierError(
      'auth.state_mismatch',
      iss === null
        ? `${setup.label} sent the browser back without saying who it is (no "iss"), although its metadata says it always does, so the answer was refused. Start the sign-in again from Dossier.`
        : `The answer says it comes from "${iss}", not from ${setup.label} at ${setup.as.issuer}, so it was refused. Start the sign-in again from Dossier; ` +
            `if "${iss}" is your provider's issuer, make it the account's base URL.`,
      { provider: setup.account.provider, iss },
      { cause: error },
    );
  }
  if (!parameters.get('code')) {
    throw new DossierError('provider.malformed_response', `${setup.label} sent the browser back without a sign-in code. Start the sign-in again.`, {
      provider: setup.account.provider,
    });
  }
  return { parameters, as };
}
