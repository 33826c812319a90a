import { expiresFromReceipt, genericApiVerdict, noTokenQuirks, type AuthProfile } from '../kit/auth-profile.ts';

/**
 * JyMob: authorization code (authorize at jymob.com/oauth/authorize, token at
 * jymob.com/oauth/access_token) or the app user's own token pasted from Settings; the token
 * travels as an `access_token` parameter. No refresh token is documented: sign in again on expiry.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: 'https://api.jymob.com/v1/',
  endpoints(baseUrl) {
    const oauthOrigin = baseUrl.hostname === 'api.jymob.com' ? 'https://jymob.com' : baseUrl.origin;
    return { tokenUrl: `${oauthOrigin}/oauth/access_token`, authorizeUrl: `${oauthOrigin}/oauth/authorize` };
  },
  defaultScope: () => undefined,
  clientAuthentication: 'client_secret_post',
  tokenBody: 'urlencoded',
  // "An Optional Redirect URI" on the OAuth client application (reference.md §5.2): compared by rules JyMob does not publish.
  redirect: 'registered',
  refreshRepeatsRedirectUri: false,
  placement: 'access_token',
  bearerAliases: [],
  headers: { accept: 'application/json' },
  expiresAt: expiresFromReceipt,
  classifyApiReply: genericApiVerdict,
  classifyTokenReply: noTokenQuirks,
};
