import type { Capabilities, GrantType } from '../../../../shared/domain.ts';
import { expiresFromReceipt, genericApiVerdict, noTokenQuirks, type AuthProfile, type TokenPlacement } from '../kit/auth-profile.ts';
import type { Manifest } from './schema.ts';

/**
 * The auth profile a manifest describes, shaped like the built-in providers' (oauth2/profile.ts):
 * its endpoints, where the token goes, and the headers every request carries. The token goes only
 * to the account's API origin: the session places it, and the connector asks only that origin
 * with it (connector.ts).
 */
export function manifestAuthProfile(manifest: Manifest): AuthProfile {
  const { auth } = manifest;
  const oauth = auth.type === 'oauth2' ? auth : undefined;
  return {
    defaultBaseUrl: manifest.api.baseUrl,
    ...(oauth?.issuer === undefined ? {} : { issuer: oauth.issuer }),
    ...(oauth === undefined || Object.keys(oauth.authorizeParams).length === 0 ? {} : { authorizeParams: oauth.authorizeParams }),
    endpoints: () => ({ tokenUrl: oauth?.tokenUrl, authorizeUrl: oauth?.authorizeUrl }),
    defaultScope: () => (oauth && oauth.scopes.length > 0 ? oauth.scopes.join(' ') : undefined),
    clientAuthentication: oauth?.clientAuthentication ?? 'client_secret_basic',
    tokenBody: 'urlencoded',
    redirect: oauth?.redirect ?? 'any-loopback-port',
    refreshRepeatsRedirectUri: false,
    placement: sessionPlacement(auth.placement),
    bearerAliases: [],
    headers: { accept: 'application/json', ...Object.fromEntries(Object.entries(manifest.api.headers).map(([name, value]) => [name.toLowerCase(), value])) },
    expiresAt: expiresFromReceipt,
    classifyApiReply: genericApiVerdict,
    classifyTokenReply: noTokenQuirks,
  };
}

function sessionPlacement(placement: Manifest['auth']['placement']): TokenPlacement {
  switch (placement.in) {
    case 'header':
      return placement.name.toLowerCase() === 'authorization' && placement.prefix === 'Bearer ' ? 'bearer' : { header: placement.name, prefix: placement.prefix };
    case 'query':
      return { query: placement.name };
    case 'basic-username':
      return 'basic_username';
  }
}

/** What an account of this manifest offers: the resources it describes, signed in the way its auth says. */
export function manifestCapabilities(manifest: Manifest): Capabilities {
  const { resources, auth } = manifest;
  const grants: GrantType[] = auth.type === 'token' ? ['token'] : [auth.grant];
  return {
    jobs: resources.jobs !== undefined,
    applicants: resources.applicants !== undefined,
    applications: resources.applications !== undefined,
    letters: false,
    documents: resources.documents !== undefined,
    interviews: resources.interviews !== undefined,
    screeningTests: false,
    lookups: false,
    writes: [],
    grants,
  };
}
