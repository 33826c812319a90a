import type { Capabilities, ProviderId } from '../../../shared/domain.ts';
import { capabilities as careerplug } from './careerplug/capabilities.ts';
import { profile as careerplugProfile } from './careerplug/profile.ts';
import { capabilities as ejm } from './ejm/capabilities.ts';
import { profile as ejmProfile } from './ejm/profile.ts';
import { capabilities as infojobs } from './infojobs/capabilities.ts';
import { profile as infojobsProfile } from './infojobs/profile.ts';
import { capabilities as jobspace } from './jobspace/capabilities.ts';
import { profile as jobspaceProfile } from './jobspace/profile.ts';
import { capabilities as jymob } from './jymob/capabilities.ts';
import { profile as jymobProfile } from './jymob/profile.ts';
import { capabilities as oauth2 } from './oauth2/capabilities.ts';
import { profile as oauth2Profile } from './oauth2/profile.ts';
import type { AuthProfile } from './kit/auth-profile.ts';
import { manifestAuthProfile, manifestCapabilities, type Manifest } from './manifest/index.ts';

/**
 * What Dossier knows about each provider without loading its connector: the label, where the user
 * finds the values an account needs, what its API offers and how it signs in. Accounts, auth and
 * the UI read this; only the sync loads the connectors (./connectors.ts).
 *
 * A provider is one folder `providers/<id>/` with the same files everywhere:
 *   capabilities.ts  what the provider's API offers
 *   profile.ts       the auth profile: grants, endpoints, token placement, expiry computation
 *   client.ts        the connector: paths, pagination, incremental cursor, rate-limit handling
 *   mapping.ts       provider JSON → domain records, every documented shape variant, precise errors
 * and an emulator in electron/sandbox/<id>/. Adding one means that folder, an entry here and one in connectors.ts.
 */
export interface ProviderDefinition {
  readonly id: ProviderId;
  readonly label: string;
  /** Where the user finds the values an account needs, shown in onboarding and `accounts add --help`. */
  readonly setupHelp: string;
  /**
   * Whose records the account brings, when they are not the applicants to the account's own jobs
   * (InfoJobs' public API is candidate-side): shown wherever the provider's rows appear as applicants.
   */
  readonly dataSide?: string;
  /** Where the user registers the redirect URI of a browser sign-in (said with the URI to register); absent without one. */
  readonly redirectSetting?: string;
  readonly capabilities: Capabilities;
  readonly profile: AuthProfile;
}

export const providers: Record<ProviderId, ProviderDefinition> = {
  ejm: {
    id: 'ejm',
    label: 'EconJobMarket',
    setupHelp:
      'Sign in at backend.econjobmarket.org as a recruiter and open "Configure your api connection details": it shows the client key and secret. ' +
      'EconJobMarket answers only from IP addresses you list on that page, so add the public IP of this computer there first.',
    capabilities: ejm,
    profile: ejmProfile,
  },
  careerplug: {
    id: 'careerplug',
    label: 'CareerPlug',
    setupHelp:
      'In CareerPlug open Settings → Toolkit → Integrations → API → Create API Application. Copy the "Application" (client id) and "Secret" by pasting, not typing (I/l/1 and 0/O look alike). ' +
      'Leave the scope empty for your own custom integration; partner apps use the scope global_partner_api.',
    redirectSetting: 'the callback URL of your CareerPlug API application (Settings → Toolkit → Integrations → API)',
    capabilities: careerplug,
    profile: careerplugProfile,
  },
  infojobs: {
    id: 'infojobs',
    label: 'InfoJobs',
    setupHelp:
      'Register an application at developer.infojobs.net to get a client id and secret; Dossier signs you in through your browser. ' +
      "InfoJobs' public API is the candidate side: Dossier reads the applications you sent as a candidate, with your candidate profile. " +
      'It cannot list the applicants to an employer account\'s offers: InfoJobs gives employers those only through its SOAP services and per-offer webhooks, which Dossier does not use.',
    dataSide: 'Your own applications as a candidate, not applicants to your offers',
    redirectSetting: 'the Callback URI of your application at developer.infojobs.net',
    capabilities: infojobs,
    profile: infojobsProfile,
  },
  jobspace: {
    id: 'jobspace',
    label: 'The Job Space',
    setupHelp: 'API keys come by e-mail from api@thejobspace.com. Each job board runs its own site, so enter your board\'s address as the base URL.',
    capabilities: jobspace,
    profile: jobspaceProfile,
  },
  jymob: {
    id: 'jymob',
    label: 'JyMob',
    setupHelp: 'In JyMob open Settings → "OAuth Client Application" for the client id and secret, or paste an access token for your own account.',
    redirectSetting: 'the Redirect URI of your JyMob OAuth Client Application (Settings → OAuth Client Application)',
    capabilities: jymob,
    profile: jymobProfile,
  },
  oauth2: {
    id: 'oauth2',
    label: 'Other OAuth 2.0 provider',
    setupHelp: 'Enter the authorization and token endpoints and the client id your provider issued for a native (desktop) app.',
    redirectSetting: "your provider's registration of this client (its redirect URIs)",
    capabilities: oauth2,
    profile: oauth2Profile,
  },
};

/**
 * What Dossier knows about one account's provider: the catalogue's entry, or, for a generic OAuth 2.0
 * account that syncs by a manifest, that entry with the manifest's name, capabilities and auth profile.
 */
export function accountProvider(provider: ProviderId, manifest: Manifest | undefined): ProviderDefinition {
  const definition = providers[provider];
  if (manifest === undefined || provider !== 'oauth2') return definition;
  const documented = manifest.documentation === undefined ? '' : ` ${manifest.name} documents its API at ${manifest.documentation}.`;
  return {
    ...definition,
    label: manifest.name,
    setupHelp: `${definition.setupHelp}${documented}`,
    capabilities: manifestCapabilities(manifest),
    profile: manifestAuthProfile(manifest),
  };
}
