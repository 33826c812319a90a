import { expiresFromReceipt, genericApiVerdict, noTokenQuirks, type AuthProfile } from '../kit/auth-profile.ts';

/**
 * Any standards-compliant OAuth 2.0 server. Endpoints the account does not name are discovered
 * from the base URL (RFC 8414 / OpenID Connect discovery); tokens travel as Bearer headers.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: undefined,
  endpoints: () => ({ tokenUrl: undefined, authorizeUrl: undefined }),
  defaultScope: () => undefined,
  clientAuthentication: 'client_secret_basic',
  tokenBody: 'urlencoded',
  // RFC 8252 §7.3 by default; the account may fix a port instead.
  redirect: 'any-loopback-port',
  refreshRepeatsRedirectUri: false,
  placement: 'bearer',
  bearerAliases: [],
  headers: { accept: 'application/json' },
  expiresAt: expiresFromReceipt,
  classifyApiReply: genericApiVerdict,
  classifyTokenReply: noTokenQuirks,
};
