import { expiresFromReceipt, genericApiVerdict, noTokenQuirks, type AuthProfile } from '../kit/auth-profile.ts';

/**
 * InfoJobs (candidate side: the REST API reads the signed-in candidate's own applications and CV,
 * docs/providers/reference.md §3.1; employers' applicant data is SOAP-only): authorization code at www.infojobs.net (the token endpoint is the confusingly named
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
  // "the Callback URI you specified when registering" (reference.md §3.2): compared by rules InfoJobs does not publish.
  redirect: 'registered',
  refreshRepeatsRedirectUri: true,
  placement: 'basic_and_bearer',
  bearerAliases: ['undefined'],
  headers: { accept: 'application/json' },
  expiresAt: expiresFromReceipt,
  classifyApiReply: genericApiVerdict,
  classifyTokenReply: noTokenQuirks,
};
