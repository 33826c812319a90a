import type { Agent } from 'undici';
import type { Account } from '../../../shared/domain.ts';
import type { CoreEvents } from '../base/events.ts';
import type { Logger } from '../base/log.ts';
import type { AccountService } from '../accounts/service.ts';
import type { ProviderSession } from '../providers/kit/session.ts';
import { withAccountLock } from './account-lock.ts';
import { providerConnectionPool } from './http.ts';
import { obtainBySignIn } from './login.ts';
import { authSetup, type AuthSetup, type DiscoveryCache, type SetupSources } from './oauth.ts';
import { notRevoked, notSignedIn, revokeTokens, whyNotRevoked, type Revocation } from './revoke.ts';
import { sessionFor } from './session.ts';
import { TokenSource } from './token-source.ts';

export interface SignInOptions {
  /** A pasted personal access token, for accounts with the `token` grant. */
  readonly token?: string | undefined;
  /** How long the browser sign-in may take (default five minutes). */
  readonly timeoutMs?: number;
  /** Who shows the authorize page instead of the system browser: the demo, for a sandbox's consent page. */
  readonly openAuthorizePage?: ((url: string) => Promise<void>) | undefined;
}

export interface AuthServiceDeps {
  readonly accounts: AccountService;
  readonly log: Logger;
  readonly locksDir: string;
  /** Opens a URL in the system browser: shell.openExternal in the app, a printed line in the command line. */
  readonly openExternal: (url: string) => Promise<void>;
  /** Tells the UI the address a browser sign-in waits on (`auth.waiting`). */
  readonly events?: CoreEvents | undefined;
}

/**
 * Signing accounts in and keeping them signed in: every grant through oauth4webapi, tokens in the
 * vault, one keep-alive connection pool for every provider request of this core. It owns the sign-ins
 * waiting for a browser (so `auth.cancel` can end one), the token requests in flight, and the
 * authorization-server metadata it discovered; `close` ends them all.
 */
export class AuthService {
  readonly #deps: AuthServiceDeps;
  readonly #tokens: TokenSource;
  readonly #pool: Agent = providerConnectionPool();
  readonly #discovery: DiscoveryCache = new Map();
  readonly #waiting = new Map<number, AbortController>();

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
    this.#tokens = new TokenSource(deps);
  }

  /** Signs the account in with its grant and saves the tokens in the vault; the account's state says how it went. */
  async signIn(accountId: number, options: SignInOptions = {}): Promise<Account> {
    const { accounts, log } = this.#deps;
    const account = accounts.get(accountId);
    const setup = await authSetup(this.#sources(), account);
    // Only a sign-in at the browser waits long enough to be cancelled; a new one replaces the one waiting.
    const controller = new AbortController();
    if (account.grant === 'authorization_code') {
      this.#waiting.get(accountId)?.abort();
      this.#waiting.set(accountId, controller);
    }
    try {
      const open = options.openAuthorizePage ?? this.#deps.openExternal;
      const record = await obtainBySignIn(setup, options.token, {
        openExternal: async (url) => {
          this.#deps.events?.emit('auth.waiting', { accountId, authorizeUrl: url });
          // No browser to open (a server, a locked-down desktop) is no failure: the UI shows the address to open by hand.
          await open(url).catch((error: unknown) => log.warn('auth.open_browser_failed', { accountId, error }));
        },
        timeoutMs: options.timeoutMs ?? 5 * 60_000,
        signal: controller.signal,
      });
      await accounts.writeTokens(accountId, record);
      log.info('auth.signed_in', { accountId, provider: account.provider, grant: account.grant });
      return accounts.setState(accountId, 'signed_in', null);
    } catch (error) {
      await this.#tokens.recordFailure(accountId, error);
      throw error;
    } finally {
      if (this.#waiting.get(accountId) === controller) this.#waiting.delete(accountId);
    }
  }

  /** Cancels a sign-in waiting for the browser; false when none is waiting. */
  cancelSignIn(accountId: number): boolean {
    const controller = this.#waiting.get(accountId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Forgets the account's tokens (the client secret stays, so signing in again needs no re-entry). */
  async signOut(accountId: number): Promise<Account> {
    this.#deps.accounts.get(accountId);
    await this.#deps.accounts.forgetTokens(accountId);
    return this.#deps.accounts.setState(accountId, 'signed_out', null);
  }

  /**
   * Removes the account (its cached data and every secret of it), first asking its provider to
   * revoke its tokens where the provider can. The revocation is best effort: the account is removed
   * whatever the provider answers, and the result says what became of the tokens. The account lock
   * keeps another process from minting a new pair between the revocation and the removal.
   */
  async removeAccount(accountId: number): Promise<{ removed: boolean; revocation: Revocation }> {
    const { accounts, log } = this.#deps;
    const account = accounts.get(accountId);
    this.cancelSignIn(accountId);
    return withAccountLock(this.#deps.locksDir, accountId, async () => {
      const revocation = await this.#revoke(account);
      log.info('auth.revocation', { accountId, provider: account.provider, outcome: revocation.outcome });
      return { removed: await accounts.remove(accountId), revocation };
    });
  }

  async #revoke(account: Account): Promise<Revocation> {
    const record = await this.#deps.accounts.readTokens(account.id);
    if (record === undefined) return notSignedIn();
    let setup: AuthSetup;
    try {
      setup = await authSetup(this.#sources(), account);
    } catch (error) {
      return notRevoked(this.#deps.accounts.provider(account).label, whyNotRevoked(error));
    }
    return revokeTokens(setup, record);
  }

  /** An authenticated session for the account (see sessionFor); its token is obtained on the first request. */
  async openSession(accountId: number): Promise<ProviderSession> {
    const setup = await authSetup(this.#sources(), this.#deps.accounts.get(accountId));
    return sessionFor(setup, this.#tokens, this.#deps.log);
  }

  /** Ends every sign-in still waiting for the browser and closes the connection pool. */
  async close(): Promise<void> {
    for (const controller of this.#waiting.values()) controller.abort();
    await this.#pool.close();
  }

  #sources(): SetupSources {
    return { accounts: this.#deps.accounts, discovery: this.#discovery, dispatcher: this.#pool };
  }
}
