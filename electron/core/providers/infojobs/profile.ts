import { expiresFromReceipt, genericApiVerdict, noTokenQuirks, type AuthProfile } from '../kit/auth-profile.ts';

/**
 * InfoJobs: authorization code at www.infojobs.net (the token endpoint is the confusingly named
 * POST /oauth/authorize), refresh tokens, comma-separated scopes, and every API call signed by
 * the app too: `Authorization: Basic b64(client_id:client_secret),Bearer <token>`.
 */
export const profile: AuthProfile = {
  defaultBaseUrl: 'https://api.infojobs.net/api/',
  endpoints(baseUrl) {
    const oauthOrigin = baseUrl.hostname === 'api.infojobs.net' ? 'https://www.infojobs.net' : baseUrl.origin;
    return { tokenUrl: `${oauthOrigin}/oauth/authorize`, authorizeUrl: `${oauthOrigin}/api/oauth/user-authorize/index.xhtml` };
  },
  defaultScope: () => 'MY_APPLICATIONS,CANDIDATE_PROFILE_WITH_EMAIL,CV',
  clientAuthentication: 'client_secret_post',
  tokenBody: 'urlencoded',
  refreshRepeatsRedirectUri: true,
  placement: 'basic_and_bearer',
  bearerAliases: ['undefined'],
  headers: { accept: 'application/json' },
  expiresAt: expiresFromReceipt,
  classifyApiReply: genericApiVerdict,
  classifyTokenReply: noTokenQuirks,
};
