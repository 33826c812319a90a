import type { ApiResult, EventPayload } from '../../../shared/contract.ts';
import type { AccountSyncStatus } from '../../../shared/api/sync.ts';
import type { Account, OutboxItem, SyncProgress } from '../../../shared/domain.ts';
import { errorCode, errorMessage } from '../common/transport.ts';
import type { ChromeSlice } from './chrome.ts';
import type { NoticesSlice } from './notices.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

export type ProviderInfo = ApiResult<'accounts.providers'>[number];

/** What fixes a sync problem in the app: sign in, change the account's settings, or try again (now, or later once the provider recovers). */
export type ProblemFix = 'sign-in' | 'edit-account' | 'retry-later' | 'retry';

export interface Problem {
  /** A few plain words, the account's card shows them; the core's message gives the rest. */
  headline: string;
  fix: ProblemFix;
}

const signInCodes = new Set(['auth.needs_login', 'auth.expired', 'auth.revoked', 'auth.invalid_grant', 'auth.access_denied', 'auth.cancelled', 'auth.timeout', 'auth.state_mismatch']);
const settingsCodes = new Set(['auth.invalid_client', 'auth.ip_not_allowed', 'auth.not_provisioned', 'auth.redirect_port_busy', 'provider.unsupported', 'input.invalid', 'account.not_found']);
const laterCodes = new Set(['provider.unavailable', 'provider.throttled', 'network.unreachable']);

/** How long "Retry later" waits: long enough for a provider's outage or rate limit to pass. */
export const retryLaterMinutes = 5;

/** The core's error codes mapped onto the in-app action that clears them (the core's messages name no host's commands). */
export function problemFor(code: string | undefined, signedOut: boolean): Problem {
  if (code !== undefined && settingsCodes.has(code)) return { headline: 'The account’s settings need a change', fix: 'edit-account' };
  if ((code !== undefined && signInCodes.has(code)) || (code === undefined && signedOut)) return { headline: 'Sign-in needed', fix: 'sign-in' };
  if (code === 'provider.throttled') return { headline: 'The provider is limiting requests', fix: 'retry-later' };
  if (code === 'network.unreachable') return { headline: 'The provider cannot be reached', fix: 'retry-later' };
  if (code !== undefined && laterCodes.has(code)) return { headline: 'The provider is not answering', fix: 'retry-later' };
  if (code === 'sync.busy') return { headline: 'Another sync of this account is running', fix: 'retry-later' };
  if (code === 'disk.full') return { headline: 'The disk is full', fix: 'retry' };
  return { headline: 'The last sync did not finish', fix: 'retry' };
}

/** The accounts, their sign-in and sync, and the changes waiting to go out on the next sync. */
export interface AccountsSlice {
  accounts: Account[];
  providers: ProviderInfo[];
  syncStatus: Record<number, AccountSyncStatus>;
  /** The running syncs, by account. */
  progress: Record<number, SyncProgress>;
  /** Accounts whose sign-in is waiting on the browser. */
  signingIn: number[];
  /** The address each waiting browser sign-in waits on, to copy or open again where no browser opened. */
  signInUrls: Record<number, string>;
  /** Syncs the reviewer asked to retry later, by account: when (ISO-8601). */
  retryAt: Record<number, string>;
  outbox: OutboxItem[];
  loadProviders: () => Promise<void>;
  refreshAccounts: () => Promise<void>;
  refreshOutbox: () => Promise<void>;
  startSync: (accountIds?: number[]) => Promise<void>;
  /** Signs in through the system browser; resolves to whether it succeeded (a cancel is no error). */
  signIn: (accountId: number, token?: string) => Promise<boolean>;
  cancelSignIn: (accountId: number) => Promise<void>;
  /** What a "Sign in" button does: the browser or the client's secret signs in at once; a pasted token is asked for in Settings. */
  beginSignIn: (account: Account) => void;
  /** Starts the account's sync again at `at` (an instant), unless cancelled or started before. */
  scheduleRetry: (accountId: number, at: Date) => void;
  cancelRetry: (accountId: number) => void;
  recordProgress: (progress: SyncProgress) => void;
  endProgress: (accountId: number) => void;
  /** A sync ended: its progress goes; a problem shows on the account's card, announced once by name. */
  syncEnded: (finished: EventPayload<'sync.finished'>) => void;
  putAccount: (account: Account) => void;
  putOutboxItem: (item: OutboxItem) => void;
}

const without = <Value>(record: Record<number, Value>, id: number): Record<number, Value> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => Number(key) !== id));

export const createAccountsSlice: Slice<AccountsSlice, SessionSlice & NoticesSlice & Pick<ChromeSlice, 'editAccount'>> = (set, get) => {
  const client = () => get().transport.client;
  const retryTimers = new Map<number, number>();
  /** The accounts whose last sync failed, announced together. */
  const failedSyncs = new Map<number, { name: string; headline: string }>();
  const clearRetry = (accountId: number) => {
    window.clearTimeout(retryTimers.get(accountId));
    retryTimers.delete(accountId);
    if (accountId in get().retryAt) set({ retryAt: without(get().retryAt, accountId) });
  };
  return {
    accounts: [],
    providers: [],
    syncStatus: {},
    progress: {},
    signingIn: [],
    signInUrls: {},
    retryAt: {},
    outbox: [],
    loadProviders: async () => {
      const providers = await get().attempt(() => client().call('accounts.providers', {}));
      if (providers) set({ providers });
    },
    refreshAccounts: async () => {
      const { attempt } = get();
      const [accounts, status] = await Promise.all([attempt(() => client().call('accounts.list', {})), attempt(() => client().call('sync.status', {}))]);
      if (accounts) set({ accounts });
      if (status) set({ syncStatus: Object.fromEntries(status.map((entry) => [entry.accountId, entry])) });
    },
    refreshOutbox: async () => {
      const outbox = await get().attempt(() => client().call('outbox.list', {}));
      if (outbox) set({ outbox });
    },
    startSync: async (accountIds) => {
      for (const id of accountIds ?? get().accounts.map((account) => account.id)) clearRetry(id);
      try {
        await client().call('sync.start', accountIds ? { accountIds } : {});
      } catch (error) {
        if (errorCode(error) !== 'sync.busy') get().notify(errorMessage(error), 'error');
      }
      await get().refreshAccounts();
    },
    signIn: async (accountId, token) => {
      set({ signingIn: [...get().signingIn, accountId] });
      const stopListening = client().on('auth.waiting', (waiting) => {
        if (waiting.accountId === accountId) set({ signInUrls: { ...get().signInUrls, [accountId]: waiting.authorizeUrl } });
      });
      try {
        await client().call('auth.login', token ? { id: accountId, token } : { id: accountId });
        await get().refreshAccounts();
        // Signed in, the account's data comes next without another click.
        void get().startSync([accountId]);
        return true;
      } catch (error) {
        if (errorCode(error) !== 'auth.cancelled') {
          const name = get().accounts.find((account) => account.id === accountId)?.name;
          get().notify(name ? `${name}: ${errorMessage(error)}` : errorMessage(error), 'error');
        }
        return false;
      } finally {
        stopListening();
        set({ signingIn: get().signingIn.filter((id) => id !== accountId), signInUrls: without(get().signInUrls, accountId) });
      }
    },
    beginSignIn: (account) => {
      if (account.grant === 'token') get().editAccount(account.id);
      else void get().signIn(account.id);
    },
    cancelSignIn: async (accountId) => {
      await get().attempt(() => client().call('auth.cancel', { id: accountId }));
    },
    scheduleRetry: (accountId, at) => {
      clearRetry(accountId);
      retryTimers.set(accountId, window.setTimeout(() => void get().startSync([accountId]), Math.max(0, at.getTime() - Date.now())));
      set({ retryAt: { ...get().retryAt, [accountId]: at.toISOString() } });
    },
    cancelRetry: clearRetry,
    recordProgress: (progress) => set({ progress: { ...get().progress, [progress.accountId]: progress } }),
    endProgress: (accountId) => set({ progress: without(get().progress, accountId) }),
    syncEnded: (finished) => {
      get().endProgress(finished.accountId);
      const account = get().accounts.find((candidate) => candidate.id === finished.accountId);
      if (finished.error === null) {
        failedSyncs.delete(finished.accountId);
        if (finished.unfinishedLists > 0 && account) {
          const provider = get().providers.find((candidate) => candidate.id === account.provider)?.label ?? 'The provider';
          get().notify(`“${account.name}” synced, but ${provider} stopped a list before its end, so Dossier marked nothing as removed. Sync again later to pick up what it did not send.`, 'info', `unfinished-${account.id}`);
        }
        return;
      }
      if (finished.error.code === 'sync.cancelled' || !account) return;
      failedSyncs.set(account.id, { name: account.name, headline: problemFor(finished.error.code, false).headline });
      // One notice for every account that failed since the last success, however many there are: the cards carry the details.
      const failed = [...failedSyncs.values()];
      const [first] = failed;
      if (!first) return;
      const message =
        failed.length === 1
          ? `“${first.name}” did not sync: ${first.headline.toLowerCase()}. Its card in the sidebar says what to do.`
          : `${failed.length} accounts did not sync: ${failed
              .slice(0, 2)
              .map((entry) => `“${entry.name}”`)
              .join(', ')}${failed.length > 2 ? ` and ${failed.length - 2} more` : ''}. Their cards in the sidebar say what to do.`;
      get().notify(message, 'error', 'sync-failures');
    },
    putAccount: (account) => {
      const { accounts } = get();
      const known = accounts.some((candidate) => candidate.id === account.id);
      set({ accounts: known ? accounts.map((candidate) => (candidate.id === account.id ? account : candidate)) : [...accounts, account] });
    },
    putOutboxItem: (item) => {
      const { outbox } = get();
      const known = outbox.some((candidate) => candidate.id === item.id);
      set({ outbox: known ? outbox.map((candidate) => (candidate.id === item.id ? item : candidate)) : [item, ...outbox] });
    },
  };
};
