import { DossierError } from '../base/errors.ts';
import type { Logger } from '../base/log.ts';
import type { AccountService } from '../accounts/service.ts';
import { isUsable, type TokenRecord } from '../secrets/tokens.ts';
import { withAccountLock } from './account-lock.ts';
import { clientCredentialsGrant, refreshGrant, type AuthSetup } from './oauth.ts';

export interface CurrentToken {
  readonly record: TokenRecord;
  /** True when this token was obtained for this call, so a refusal of it is not about expiry. */
  readonly fresh: boolean;
}

export function needsLogin(setup: Pick<AuthSetup, 'account' | 'label'>, why: 'never' | 'expired' | 'refused'): DossierError {
  const { account } = setup;
  // Host-neutral: the app offers its Sign in button for this code, the command line adds its command.
  const action = account.grant === 'token' ? 'paste a new access token' : 'sign in again';
  const reason = why === 'never' ? 'is not signed in yet' : why === 'expired' ? 'has an expired sign-in' : 'was refused by the provider';
  return new DossierError('auth.needs_login', `The ${setup.label} account "${account.name}" ${reason}: ${action}.`, {
    provider: account.provider,
    accountId: account.id,
    accountName: account.name,
  });
}

const signedOutCodes = new Set(['auth.revoked', 'auth.needs_login', 'auth.invalid_grant', 'auth.expired']);
const misconfiguredCodes = new Set(['auth.invalid_client', 'auth.ip_not_allowed', 'auth.not_provisioned']);

export interface TokenSourceDeps {
  readonly accounts: AccountService;
  readonly log: Logger;
  /** Where the cross-process token locks live (the data directory's `locks/`). */
  readonly locksDir: string;
}

/**
 * The accounts' access tokens: the stored one while it is valid, otherwise a refreshed or newly
 * minted one. Concurrent callers in this process share one token request per account (the
 * in-flight requests are this object's); the account lock covers other processes.
 */
export class TokenSource {
  readonly #deps: TokenSourceDeps;
  readonly #inflight = new Map<number, Promise<TokenRecord>>();

  constructor(deps: TokenSourceDeps) {
    this.#deps = deps;
  }

  /** `rejected` is a token the provider just refused, which is replaced even if its stated expiry is still ahead. */
  async current(setup: AuthSetup, rejected?: string): Promise<CurrentToken> {
    const { accounts } = this.#deps;
    const accountId = setup.account.id;
    const stored = await accounts.readTokens(accountId);
    if (stored !== undefined && stored.accessToken !== rejected && isUsable(stored)) return { record: stored, fresh: false };
    const record = await this.#singleFlight(accountId, () =>
      withAccountLock(this.#deps.locksDir, accountId, async () => {
        // Another flight, here or in another process, may have renewed the token meanwhile.
        const latest = await accounts.readTokens(accountId);
        if (latest !== undefined && latest.accessToken !== rejected && isUsable(latest)) return latest;
        try {
          const next = await obtain(setup, latest);
          // Saved before anyone uses it: a rotated refresh token must never exist only in memory.
          await accounts.writeTokens(accountId, next);
          this.#deps.log.info('auth.token_obtained', { accountId, provider: setup.account.provider, how: latest?.refreshToken === undefined ? 'mint' : 'refresh' });
          this.#markSignedIn(accountId);
          return next;
        } catch (error) {
          await this.recordFailure(accountId, error);
          throw error;
        }
      }),
    );
    return { record, fresh: record.accessToken !== stored?.accessToken };
  }

  /**
   * Shows on the account what the user must do about an auth failure. A sign-in that ended drops
   * the stored tokens (they are useless and, for a revoked grant, must not be replayed).
   */
  async recordFailure(accountId: number, error: unknown): Promise<void> {
    if (!(error instanceof DossierError)) return;
    if (signedOutCodes.has(error.code)) {
      await this.#deps.accounts.forgetTokens(accountId);
      this.#deps.accounts.setState(accountId, 'signed_out', error.message);
    } else if (misconfiguredCodes.has(error.code)) {
      this.#deps.accounts.setState(accountId, 'error', error.message);
    }
  }

  #singleFlight(accountId: number, work: () => Promise<TokenRecord>): Promise<TokenRecord> {
    const running = this.#inflight.get(accountId);
    if (running !== undefined) return running;
    const flight = work().finally(() => this.#inflight.delete(accountId));
    this.#inflight.set(accountId, flight);
    return flight;
  }

  #markSignedIn(accountId: number): void {
    const account = this.#deps.accounts.get(accountId);
    if (account.state === 'signed_out' || account.state === 'error') this.#deps.accounts.setState(accountId, 'signed_in', null);
  }
}

async function obtain(setup: AuthSetup, latest: TokenRecord | undefined): Promise<TokenRecord> {
  if (latest?.refreshToken !== undefined) return refreshGrant(setup, { ...latest, refreshToken: latest.refreshToken });
  if (setup.account.grant === 'client_credentials') return clientCredentialsGrant(setup);
  throw needsLogin(setup, latest === undefined ? 'never' : 'expired');
}
