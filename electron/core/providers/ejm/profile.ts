import { DossierError } from '../../base/errors.ts';
import { expiresFromReceipt, genericApiVerdict, oauthError, type AuthProfile, type ErrorReply } from '../kit/auth-profile.ts';

const setupPage = 'backend.econjobmarket.org, page "Configure your api connection details"';

function ipNotAllowed(reply: ErrorReply): DossierError {
  return new DossierError(
    'auth.ip_not_allowed',
    'EconJobMarket refused this computer\'s IP address: its API answers only the addresses listed for your account. ' +
      'Dossier cannot know which public IP address EconJobMarket sees (ask your network administrator, or use a "what is my IP" page), ' +
      `then add it on ${setupPage} and try again.`,
    { provider: 'ejm', status: reply.status, error: oauthError(reply)?.error },
  );
}

/** `{"error":"unauthorized request"}`: how the official client names a refusal that is not about the token (docs/providers/reference.md §1.6). */
function isIpRefusal(reply: ErrorReply): boolean {
  const error = oauthError(reply);
  return error?.error === 'unauthorized request' || /ip address|not allowed|allow.?list/i.test(error?.description ?? '');
}

/**
 * EconJobMarket: client credentials at `/token/` (trailing slash), a one-hour RS256 JWT, no
 * refresh token (mint again), or the token pasted from the setup page. Requests carry a Bearer
 * header; the expired-token reply is `{"error":"invalid request","error_description":"Missing or expired token."}`.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: 'https://backend.econjobmarket.org/api/',
  endpoints: (baseUrl) => ({ tokenUrl: new URL('/token/', baseUrl.origin).href, authorizeUrl: undefined }),
  defaultScope: () => undefined,
  clientAuthentication: 'client_secret_post',
  tokenBody: 'urlencoded',
  // No browser sign-in.
  redirect: 'any-loopback-port',
  refreshRepeatsRedirectUri: false,
  placement: 'bearer',
  bearerAliases: [],
  headers: { accept: 'application/json' },
  expiresAt: expiresFromReceipt,
  classifyApiReply(reply) {
    const error = oauthError(reply);
    if (error?.error === 'invalid request' && /missing or expired token|invalid token/i.test(error.description ?? '')) return 'token_rejected';
    if (isIpRefusal(reply)) return ipNotAllowed(reply);
    return genericApiVerdict(reply);
  },
  classifyTokenReply: (reply) => (isIpRefusal(reply) ? ipNotAllowed(reply) : undefined),
};
