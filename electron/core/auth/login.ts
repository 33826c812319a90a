import * as oauth from 'oauth4webapi';
import type { Dispatcher } from 'undici';
import type { Account } from '../../../shared/domain.ts';
import type { CoreDeps } from '../api/deps.ts';
import { getAccount, setAccountState } from '../accounts/store.ts';
import type { CoreContext } from '../context.ts';
import { DossierError } from '../errors.ts';
import { defaultDispatcher, tokenRequestTimeoutMs } from './http.ts';
import { startLoopback } from './loopback.ts';
import { authSetup, clientCredentialsGrant, tokenEndpoint, tokenResponseOptions, toRecord, type AuthSetup } from './oauth.ts';
import { recordAuthFailure } from './token-source.ts';
import { jwtExpiry, tokensKey, writeTokens, type TokenRecord } from './tokens.ts';

export interface SignInOptions {
  /** A pasted personal access token, for accounts with the `token` grant. */
  readonly token?: string;
  /** How long the browser sign-in may take (default five minutes). */
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

/** Sign-ins waiting for the browser, per core, so `auth.cancel` can end one. */
const attempts = new WeakMap<CoreContext, Map<number, AbortController>>();

function attemptsOf(context: CoreContext): Map<number, AbortController> {
  let map = attempts.get(context);
  if (map === undefined) {
    map = new Map();
    attempts.set(context, map);
  }
  return map;
}

/** Cancels a sign-in waiting for the browser; false when none is waiting. */
export function cancelSignIn(context: CoreContext, accountId: number): boolean {
  const controller = attemptsOf(context).get(accountId);
  controller?.abort();
  return controller !== undefined;
}

/** Signs the account in with its grant and saves the tokens in the vault; the account's state says how it went. */
export async function signIn(deps: CoreDeps, accountId: number, options: SignInOptions = {}): Promise<Account> {
  const account = getAccount(deps.context.db, accountId);
  const setup = await authSetup(deps, account, options.dispatcher ?? defaultDispatcher());
  try {
    const record = await obtainBySignIn(deps, setup, options);
    await writeTokens(deps.vault, accountId, record);
    deps.context.log.info('auth.signed_in', { accountId, provider: account.provider, grant: account.grant });
    return setAccountState(deps, accountId, 'signed_in', null);
  } catch (error) {
    await recordAuthFailure(deps, accountId, error);
    throw error;
  }
}

/** Forgets the account's tokens (the client secret stays, so signing in again needs no re-entry). */
export async function signOut(deps: CoreDeps, accountId: number): Promise<Account> {
  getAccount(deps.context.db, accountId);
  await deps.vault.delete(tokensKey(accountId));
  return setAccountState(deps, accountId, 'signed_out', null);
}

async function obtainBySignIn(deps: CoreDeps, setup: AuthSetup, options: SignInOptions): Promise<TokenRecord> {
  switch (setup.account.grant) {
    case 'token':
      return pastedToken(setup, options.token);
    case 'client_credentials':
      return clientCredentialsGrant(setup);
    case 'authorization_code':
      return authorizationCode(deps, setup, options.timeoutMs ?? 5 * 60_000);
  }
}

function pastedToken(setup: AuthSetup, token: string | undefined): TokenRecord {
  const trimmed = token?.trim();
  if (trimmed === undefined || trimmed.length === 0) {
    throw new DossierError('input.invalid', `Paste the ${setup.label} access token (DOSSIER_TOKEN or standard input).`, { field: 'token' });
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
 * Authorization code with PKCE (S256) and a fresh `state`, redirected to a one-shot loopback
 * listener, the authorize URL opened in the system browser (RFC 8252).
 */
async function authorizationCode(deps: CoreDeps, setup: AuthSetup, timeoutMs: number): Promise<TokenRecord> {
  const { as, client } = setup;
  if (as.authorization_endpoint === undefined) {
    throw new DossierError('input.invalid', `Give the authorization URL of ${setup.label} to sign in through the browser.`, { field: 'authorizeUrl' });
  }
  const controller = new AbortController();
  const waiting = attemptsOf(deps.context);
  waiting.get(setup.account.id)?.abort();
  waiting.set(setup.account.id, controller);
  const listener = await startLoopback({ providerLabel: setup.label, timeoutMs, signal: controller.signal });
  try {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizeUrl = new URL(as.authorization_endpoint);
    authorizeUrl.searchParams.set('client_id', client.client_id);
    authorizeUrl.searchParams.set('redirect_uri', listener.redirectUri);
    authorizeUrl.searchParams.set('response_type', 'code');
    if (setup.scope !== undefined) authorizeUrl.searchParams.set('scope', setup.scope);
    authorizeUrl.searchParams.set('state', state);
    authorizeUrl.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    authorizeUrl.searchParams.set('code_challenge_method', 'S256');
    if (setup.scope?.split(/[\s,]+/).includes('offline_access') === true) authorizeUrl.searchParams.set('prompt', 'consent');
    await deps.openExternal(authorizeUrl.href);
    const callbackUrl = await listener.callback;
    try {
      const parameters = callbackParameters(setup, callbackUrl, state);
      const token = await tokenEndpoint(
        setup,
        'authorization_code',
        () => oauth.authorizationCodeGrantRequest(as, client, setup.clientAuth, parameters, listener.redirectUri, codeVerifier, {
          ...setup.http,
          signal: () => AbortSignal.any([controller.signal, AbortSignal.timeout(tokenRequestTimeoutMs)]),
        }),
        (response) => oauth.processAuthorizationCodeResponse(as, client, response, tokenResponseOptions(setup)),
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
    if (waiting.get(setup.account.id) === controller) waiting.delete(setup.account.id);
  }
}

/** Checks the redirect the browser brought back: issuer, state, error, code; each refusal says what happened. */
function callbackParameters(setup: AuthSetup, callbackUrl: URL, expectedState: string): URLSearchParams {
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(setup.as, setup.client, callbackUrl, expectedState);
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
      `This answer does not belong to the sign-in Dossier started (its state or issuer does not match), so it was refused. Start the sign-in again from Dossier.`,
      { provider: setup.account.provider },
      { cause: error },
    );
  }
  if (!parameters.get('code')) {
    throw new DossierError('provider.malformed_response', `${setup.label} sent the browser back without a sign-in code. Start the sign-in again.`, {
      provider: setup.account.provider,
    });
  }
  return parameters;
}
