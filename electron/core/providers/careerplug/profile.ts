import { DossierError } from '../../base/errors.ts';
import { expiresFromCreation, genericApiVerdict, headerValue, isHtml, throttled, type AuthProfile, type ErrorReply } from '../kit/auth-profile.ts';

/** A bare HTML 403 from the AWS load balancer is CareerPlug's throttle (docs/providers/reference.md §2.5). */
function isLoadBalancerThrottle(reply: ErrorReply): boolean {
  return reply.status === 403 && (isHtml(reply) || (headerValue(reply, 'server') ?? '').startsWith('awselb'));
}

/**
 * CareerPlug: OAuth on app.careerplug.com (Doorkeeper), API on api.careerplug.com (Grape +
 * WineBouncer). Client credentials with scope global_partner_api (48 h, no refresh: mint again)
 * or authorization code with rotating refresh tokens. The token travels as `?access_token=`;
 * expiry counts from the server's `created_at`.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: 'https://api.careerplug.com/',
  endpoints(baseUrl) {
    const oauthOrigin = baseUrl.hostname === 'api.careerplug.com' ? 'https://app.careerplug.com' : baseUrl.origin;
    return { tokenUrl: `${oauthOrigin}/oauth/token`, authorizeUrl: `${oauthOrigin}/oauth/authorize` };
  },
  defaultScope: (grant) => (grant === 'client_credentials' ? 'global_partner_api' : undefined),
  clientAuthentication: 'client_secret_post',
  tokenBody: 'urlencoded',
  refreshRepeatsRedirectUri: true,
  placement: 'access_token',
  bearerAliases: [],
  headers: { accept: 'application/json', 'accept-version': 'v1' },
  expiresAt: expiresFromCreation,
  classifyApiReply(reply) {
    if (isLoadBalancerThrottle(reply)) return throttled('careerplug', reply);
    if (reply.status === 401 && reply.text.includes('WineBouncer') && reply.freshToken) {
      return new DossierError(
        'auth.not_provisioned',
        'CareerPlug accepted the sign-in but does not let this app read this data with a client-credentials token. ' +
          'Change the account to the authorization-code grant (sign in as a CareerPlug user), or ask CareerPlug to provision the app.',
        { provider: 'careerplug', status: reply.status },
      );
    }
    return genericApiVerdict(reply);
  },
  classifyTokenReply: (reply) => (isLoadBalancerThrottle(reply) ? throttled('careerplug', reply) : undefined),
};
