import { DossierError } from '../../base/errors.ts';
import { expiresFromCreation, genericApiVerdict, headerValue, isHtml, throttled, type AuthProfile, type ErrorReply } from '../kit/auth-profile.ts';

/** A bare HTML 403 from the AWS load balancer is CareerPlug's throttle (docs/providers/reference.md §2.5). */
function isLoadBalancerThrottle(reply: ErrorReply): boolean {
  return reply.status === 403 && (isHtml(reply) || (headerValue(reply, 'server') ?? '').startsWith('awselb'));
}

/** The one scope a global-partner app may ask for (docs/providers/reference.md §2.2, from the unofficial SDK). */
export const partnerScope = 'global_partner_api';

/**
 * CareerPlug: OAuth on app.careerplug.com (Doorkeeper), API on api.careerplug.com (Grape +
 * WineBouncer). Client credentials (48 h, no refresh: mint again) asked as the official page
 * does, with no scope — a customer's own custom integration; a partner app sets the account's
 * scope to global_partner_api — or authorization code with rotating refresh tokens. The token
 * travels as `?access_token=`; expiry counts from the server's `created_at`.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: 'https://api.careerplug.com/',
  endpoints(baseUrl) {
    const oauthOrigin = baseUrl.hostname === 'api.careerplug.com' ? 'https://app.careerplug.com' : baseUrl.origin;
    return { tokenUrl: `${oauthOrigin}/oauth/token`, authorizeUrl: `${oauthOrigin}/oauth/authorize` };
  },
  defaultScope: () => undefined,
  refusedScopeAdvice: (refused) =>
    refused === undefined || refused === ''
      ? `CareerPlug refused a sign-in without a scope, which a partner app does not allow. If this is a partner integration, set the account's scope to ${partnerScope}.`
      : refused === partnerScope
        ? `CareerPlug refused the scope ${partnerScope}: only partner apps hold it. For your own custom integration, leave the account's scope empty.`
        : `CareerPlug refused the scope "${refused}". Leave the account's scope empty for your own custom integration, or use ${partnerScope} for a partner app.`,
  clientAuthentication: 'client_secret_post',
  tokenBody: 'urlencoded',
  // An application requires a name and a callback URL (reference.md §2.2): a registered URI, compared by rules CareerPlug does not publish.
  redirect: 'registered',
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
