import { join } from 'node:path';
import type { CoreDeps } from '../api/deps.ts';
import { getAccount, setAccountState } from '../accounts/store.ts';
import { DossierError } from '../errors.ts';
import { withAccountLock } from './account-lock.ts';
import { clientCredentialsGrant, refreshGrant, type AuthSetup } from './oauth.ts';
import { isUsable, readTokens, tokensKey, writeTokens, type TokenRecord } from './tokens.ts';
import type { Vault } from './vault.ts';

type Deps = Pick<CoreDeps, 'context' | 'events' | 'vault'>;

/** Token requests in flight, per vault and account: concurrent callers in this process share one (the lock covers other processes). */
const inflight = new WeakMap<Vault, Map<number, Promise<TokenRecord>>>();

function singleFlight(vault: Vault, accountId: number, work: () => Promise<TokenRecord>): Promise<TokenRecord> {
  let flights = inflight.get(vault);
  if (flights === undefined) {
    flights = new Map();
    inflight.set(vault, flights);
  }
  const running = flights.get(accountId);
  if (running !== undefined) return running;
  const flight = work().finally(() => flights.delete(accountId));
  flights.set(accountId, flight);
  return flight;
}

export interface CurrentToken {
  readonly record: TokenRecord;
  /** True when this token was obtained for this call, so a refusal of it is not about expiry. */
  readonly fresh: boolean;
}

/**
 * The account's usable access token: the stored one while it is valid, otherwise a refreshed or
 * newly minted one (one token request however many callers ask at once). `rejected` is a token
 * the provider just refused, which is replaced even if its stated expiry is still ahead.
 */
export async function currentToken(deps: Deps, setup: AuthSetup, rejected?: string): Promise<CurrentToken> {
  const accountId = setup.account.id;
  const stored = await readTokens(deps.vault, accountId);
  if (stored !== undefined && stored.accessToken !== rejected && isUsable(stored)) return { record: stored, fresh: false };
  const record = await singleFlight(deps.vault, accountId, () =>
    withAccountLock(join(deps.context.paths.root, 'locks'), accountId, async () => {
      // Another flight, here or in another process, may have renewed the token meanwhile.
      const latest = await readTokens(deps.vault, accountId);
      if (latest !== undefined && latest.accessToken !== rejected && isUsable(latest)) return latest;
      try {
        const next = await obtain(setup, latest);
        // Saved before anyone uses it: a rotated refresh token must never exist only in memory.
        await writeTokens(deps.vault, accountId, next);
        deps.context.log.info('auth.token_obtained', { accountId, provider: setup.account.provider, how: latest?.refreshToken === undefined ? 'mint' : 'refresh' });
        markSignedIn(deps, accountId);
        return next;
      } catch (error) {
        await recordAuthFailure(deps, accountId, error);
        throw error;
      }
    }),
  );
  return { record, fresh: record.accessToken !== stored?.accessToken };
}

async function obtain(setup: AuthSetup, latest: TokenRecord | undefined): Promise<TokenRecord> {
  if (latest?.refreshToken !== undefined) return refreshGrant(setup, { ...latest, refreshToken: latest.refreshToken });
  if (setup.account.grant === 'client_credentials') return clientCredentialsGrant(setup);
  throw needsLogin(setup, latest === undefined ? 'never' : 'expired');
}

export function needsLogin(setup: Pick<AuthSetup, 'account' | 'label'>, why: 'never' | 'expired' | 'refused'): DossierError {
  const { account } = setup;
  const action =
    account.grant === 'token'
      ? `paste a new access token (dossier login "${account.name}")`
      : `sign in again (dossier login "${account.name}")`;
  const reason = why === 'never' ? 'is not signed in yet' : why === 'expired' ? 'has an expired sign-in' : 'was refused by the provider';
  return new DossierError('auth.needs_login', `The ${setup.label} account "${account.name}" ${reason}: ${action}.`, {
    provider: account.provider,
    accountId: account.id,
  });
}

function markSignedIn(deps: Deps, accountId: number): void {
  const account = getAccount(deps.context.db, accountId);
  if (account.state === 'signed_out' || account.state === 'error') setAccountState(deps, accountId, 'signed_in', null);
}

const signedOutCodes = new Set(['auth.revoked', 'auth.needs_login', 'auth.invalid_grant', 'auth.expired']);
const misconfiguredCodes = new Set(['auth.invalid_client', 'auth.ip_not_allowed', 'auth.not_provisioned']);

/**
 * Shows on the account what the user must do about an auth failure. A sign-in that ended drops
 * the stored tokens (they are useless and, for a revoked grant, must not be replayed).
 */
export async function recordAuthFailure(deps: Deps, accountId: number, error: unknown): Promise<void> {
  if (!(error instanceof DossierError)) return;
  if (signedOutCodes.has(error.code)) {
    await deps.vault.delete(tokensKey(accountId));
    setAccountState(deps, accountId, 'signed_out', error.message);
  } else if (misconfiguredCodes.has(error.code)) {
    setAccountState(deps, accountId, 'error', error.message);
  }
}
