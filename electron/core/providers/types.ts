import type { Capabilities, ProviderId } from '../../../shared/domain.ts';
import type { AuthProfile } from '../auth/profile.ts';
import type { Connector } from '../sync/connector.ts';

/**
 * One provider = one folder `providers/<id>/` with the same files everywhere:
 *   capabilities.ts  what the provider's API offers
 *   profile.ts       the auth profile: grants, endpoints, token placement, expiry computation
 *   client.ts        the HTTP client: paths, pagination, incremental cursor, rate-limit handling
 *   mapping.ts       provider JSON → domain rows, every documented shape variant, precise errors
 *   emulator/        the sandbox server that behaves like the provider (for tests, benchmarks, demo)
 * Adding a provider means adding a folder and one line in registry.ts.
 */
export interface ProviderDefinition {
  readonly id: ProviderId;
  readonly label: string;
  /** Where the user finds the values an account needs, shown in onboarding and `accounts add --help`. */
  readonly setupHelp: string;
  readonly capabilities: Capabilities;
  readonly profile: AuthProfile;
  /** How the provider's data is synced (client.ts + mapping.ts); null when there is nothing to sync. */
  readonly connector: Connector | null;
}
