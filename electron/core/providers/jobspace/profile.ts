import { expiresFromReceipt, genericApiVerdict, noTokenQuirks, type AuthProfile } from '../kit/auth-profile.ts';

/**
 * The Job Space: one site per job board, so the base URL is the board's own address and the
 * token endpoint is `<board>/oauth/token`, posted as multipart/form-data. Client credentials
 * (the May 2017 documentation; the later password grant is not used: RFC 9700 forbids it).
 * Every request asks for the API version with `Accept: application/vnd.jb.v1+json`.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: 'https://www.thejobspace.com/',
  endpoints: (baseUrl) => ({ tokenUrl: new URL('oauth/token', ensureDirectory(baseUrl)).href, authorizeUrl: undefined }),
  defaultScope: () => undefined,
  clientAuthentication: 'client_secret_post',
  tokenBody: 'multipart',
  // No browser sign-in.
  redirect: 'any-loopback-port',
  refreshRepeatsRedirectUri: false,
  placement: 'bearer',
  bearerAliases: [],
  headers: { accept: 'application/vnd.jb.v1+json' },
  expiresAt: expiresFromReceipt,
  classifyApiReply: genericApiVerdict,
  classifyTokenReply: noTokenQuirks,
};

function ensureDirectory(url: URL): URL {
  const copy = new URL(url.href);
  copy.pathname = copy.pathname.replace(/\/api\/?$/, '/').replace(/([^/])$/, '$1/');
  return copy;
}
