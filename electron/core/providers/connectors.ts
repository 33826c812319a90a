import type { ProviderId } from '../../../shared/domain.ts';
import { careerplugConnector } from './careerplug/client.ts';
import { ejmConnector } from './ejm/client.ts';
import { infojobsConnector } from './infojobs/client.ts';
import { jobspaceConnector } from './jobspace/client.ts';
import { jymobConnector } from './jymob/client.ts';
import type { Connector } from './kit/connector.ts';
import { manifestConnector, type Manifest } from './manifest/index.ts';

/** How each provider's data is synced (client.ts + mapping.ts); null when there is nothing to sync. */
export const connectors: Record<ProviderId, Connector | null> = {
  ejm: ejmConnector,
  careerplug: careerplugConnector,
  infojobs: infojobsConnector,
  jobspace: jobspaceConnector,
  jymob: jymobConnector,
  oauth2: null,
};

/** The connector of one account: its provider's, or, for a generic OAuth 2.0 account with a manifest, the manifest's. */
export function accountConnector(provider: ProviderId, manifest: Manifest | undefined): Connector | null {
  return provider === 'oauth2' && manifest !== undefined ? manifestConnector(manifest) : connectors[provider];
}
