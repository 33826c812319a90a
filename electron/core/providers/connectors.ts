import type { ProviderId } from '../../../shared/domain.ts';
import { careerplugConnector } from './careerplug/client.ts';
import { ejmConnector } from './ejm/client.ts';
import { infojobsConnector } from './infojobs/client.ts';
import { jobspaceConnector } from './jobspace/client.ts';
import { jymobConnector } from './jymob/client.ts';
import type { Connector } from './kit/connector.ts';

/** How each provider's data is synced (client.ts + mapping.ts); null when there is nothing to sync. */
export const connectors: Record<ProviderId, Connector | null> = {
  ejm: ejmConnector,
  careerplug: careerplugConnector,
  infojobs: infojobsConnector,
  jobspace: jobspaceConnector,
  jymob: jymobConnector,
  oauth2: null,
};
