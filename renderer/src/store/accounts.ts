import type { ApiResult } from '../../../shared/contract.ts';
import type { AccountSyncStatus } from '../../../shared/api/sync.ts';
import type { Account, OutboxItem, SyncProgress } from '../../../shared/domain.ts';
import { errorCode, errorMessage } from '../common/transport.ts';
import type { NoticesSlice } from './notices.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

export type ProviderInfo = ApiResult<'accounts.providers'>[number];

/** The accounts, their sign-in and sync, and the changes waiting to go out on the next sync. */
export interface AccountsSlice {
  accounts: Account[];
  providers: ProviderInfo[];
  syncStatus: Record<number, AccountSyncStatus>;
  /** The running syncs, by account. */
  progress: Record<number, SyncProgress>;
  /** Accounts whose sign-in is waiting on the browser. */
  signingIn: number[];
  outbox: OutboxItem[];
  loadProviders: () => Promise<void>;
  refreshAccounts: () => Promise<void>;
  refreshOutbox: () => Promise<void>;
  startSync: (accountIds?: number[]) => Promise<void>;
  /** Signs in through the system browser; resolves to whether it succeeded (a cancel is no error). */
  signIn: (accountId: number, token?: string) => Promise<boolean>;
  cancelSignIn: (accountId: number) => Promise<void>;
  recordProgress: (progress: SyncProgress) => void;
  endProgress: (accountId: number) => void;
  putAccount: (account: Account) => void;
  putOutboxItem: (item: OutboxItem) => void;
}

export const createAccountsSlice: Slice<AccountsSlice, SessionSlice & NoticesSlice> = (set, get) => {
  const client = () => get().transport.client;
  return {
    accounts: [],
    providers: [],
    syncStatus: {},
    progress: {},
    signingIn: [],
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
      try {
        await client().call('sync.start', accountIds ? { accountIds } : {});
      } catch (error) {
        if (errorCode(error) !== 'sync.busy') get().notify(errorMessage(error), 'error');
      }
      await get().refreshAccounts();
    },
    signIn: async (accountId, token) => {
      set({ signingIn: [...get().signingIn, accountId] });
      try {
        await client().call('auth.login', token ? { id: accountId, token } : { id: accountId });
        await get().refreshAccounts();
        return true;
      } catch (error) {
        if (errorCode(error) !== 'auth.cancelled') get().notify(errorMessage(error), 'error');
        return false;
      } finally {
        set({ signingIn: get().signingIn.filter((id) => id !== accountId) });
      }
    },
    cancelSignIn: async (accountId) => {
      await get().attempt(() => client().call('auth.cancel', { id: accountId }));
    },
    recordProgress: (progress) => set({ progress: { ...get().progress, [progress.accountId]: progress } }),
    endProgress: (accountId) => set({ progress: Object.fromEntries(Object.entries(get().progress).filter(([id]) => Number(id) !== accountId)) }),
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
