import type { Dispatcher } from 'undici';
import type { ProviderId } from '../../../../shared/domain.ts';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  /** Absolute, or a path relative to the account's base URL (a leading `/` is relative to the base URL too). */
  url: string | URL;
  query?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * The request asks about something that may not be the account's (JyMob answers 401 for another
   * employer's post on some servers): a 401 is handed back to the caller, who checks the token on a
   * request it always may make, instead of ending the sign-in.
   */
  ownershipProbe?: boolean;
  /**
   * Sent as it is, without the token or the provider's headers: a signed download URL on a host
   * that is not the API's, which must never see the account's credentials.
   */
  anonymous?: boolean;
}

/**
 * An account's signed-in connection to its provider, as connectors use it: the auth layer places
 * the token, refreshes it and retries once on an expired-token reply; everything else is the caller's.
 */
export interface ProviderSession {
  readonly accountId: number;
  readonly provider: ProviderId;
  readonly baseUrl: string;
  /** Sends one request with the account's token placed as its provider wants. The caller consumes the body. */
  request(request: ProviderRequest): Promise<Dispatcher.ResponseData>;
}
