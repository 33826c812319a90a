import * as oauth from 'oauth4webapi';
import type { RevocationOutcome } from '../../../shared/api/accounts.ts';
import { DossierError } from '../base/errors.ts';
import { assertSecureUrl } from '../providers/kit/urls.ts';
import type { TokenRecord } from '../secrets/tokens.ts';
import { asNetworkError } from './http.ts';
import type { AuthSetup } from './oauth.ts';

/** What asking the provider to revoke an account's tokens came to, in words the user can act on. */
export interface Revocation {
  readonly outcome: RevocationOutcome;
  readonly message: string;
}

export function notSignedIn(): Revocation {
  return { outcome: 'not_signed_in', message: 'The account was not signed in, so there was nothing to revoke.' };
}

export function notRevoked(label: string, why: string): Revocation {
  return {
    outcome: 'not_revoked',
    message: `Dossier could not revoke the sign-in at ${label} (${why}). Its tokens were deleted from this computer but may stay valid at ${label} until they expire; to end them now, remove Dossier's access in your ${label} account settings.`,
  };
}

/**
 * RFC 7009 revocation of the account's refresh token, then its access token, at the revocation
 * endpoint the provider advertises (discovery metadata). Providers whose documentation names no
 * such endpoint get `no_endpoint`: their tokens lapse on their own.
 */
export async function revokeTokens(setup: AuthSetup, record: TokenRecord): Promise<Revocation> {
  const endpoint = setup.as.revocation_endpoint;
  if (endpoint === undefined) {
    return {
      outcome: 'no_endpoint',
      message: `${setup.label} offers no way for Dossier to revoke its tokens. They were deleted from this computer and stay valid at ${setup.label} until they expire; to end them now, remove Dossier's access in your ${setup.label} account settings.`,
    };
  }
  const url = new URL(endpoint);
  try {
    assertSecureUrl(url, 'revocation endpoint');
    const tokens: [string, 'refresh_token' | 'access_token'][] = [[record.accessToken, 'access_token']];
    if (record.refreshToken !== undefined) tokens.unshift([record.refreshToken, 'refresh_token']);
    for (const [token, hint] of tokens) {
      const response = await oauth.revocationRequest(setup.as, setup.client, setup.clientAuth, token, { ...setup.httpTo(url), additionalParameters: { token_type_hint: hint } });
      await oauth.processRevocationResponse(response);
    }
  } catch (error) {
    return notRevoked(setup.label, whyNotRevoked(asNetworkError(error, setup.account.provider, 'revocation')));
  }
  return { outcome: 'revoked', message: `${setup.label} revoked the account's sign-in: its tokens no longer work anywhere.` };
}

/** The reason, in a few words, that a revocation could not be asked for or was refused. */
export function whyNotRevoked(error: unknown): string {
  if (error instanceof DossierError && error.code === 'network.unreachable') return 'it could not be reached';
  if (error instanceof oauth.ResponseBodyError) return `it answered ${error.error}`;
  if (error instanceof DossierError) return error.message.replace(/\.$/, '');
  return 'its answer was not the one RFC 7009 describes';
}
