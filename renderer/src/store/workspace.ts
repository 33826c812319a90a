import type { Transport } from '../common/transport.ts';
import type { AccountsSlice } from './accounts.ts';
import type { CatalogSlice } from './catalog.ts';
import type { ChromeSlice } from './chrome.ts';
import type { CommitteesSlice } from './committees.ts';
import type { NoticesSlice } from './notices.ts';
import type { PacketSlice } from './packet.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';
import type { TableSlice } from './table.ts';

/** What ties the slices together: the first load, the core's events, and a change of accounts. */
export interface WorkspaceSlice {
  start: (transport: Transport) => Promise<void>;
  /** Reloads what an added, removed or signed-in account changes: accounts, jobs and the table. */
  afterAccountsChanged: () => Promise<void>;
}

type Uses = TableSlice & CatalogSlice & AccountsSlice & ChromeSlice & SessionSlice & NoticesSlice & CommitteesSlice & Pick<PacketSlice, 'refreshDocuments'>;

export const createWorkspaceSlice: Slice<WorkspaceSlice, Uses> = (_set, get) => ({
  start: async (transport) => {
    const state = get();
    state.setTransport(transport);
    const { client: api } = transport;
    // Documents arrive many a second: the open packet asks again at most once a second.
    let documentsTimer: number | null = null;
    const documentsArrived = () => {
      documentsTimer ??= window.setTimeout(() => {
        documentsTimer = null;
        void get().refreshDocuments();
      }, 1000);
    };
    api.on('sync.progress', (progress) => {
      const previous = get().progress[progress.accountId];
      get().recordProgress(progress);
      // Each finished phase has written its rows: show them while the rest (documents, index) continues.
      if (previous && previous.phase !== progress.phase) {
        void get().refreshJobs();
        void get().refreshRows();
      }
      if (progress.phase === 'documents' && progress.done > 0) documentsArrived();
    });
    api.on('sync.finished', (finished) => {
      get().syncEnded(finished);
      void get().refreshDocuments();
      void get().refreshAccounts();
      void get().refreshJobs();
      void get().refreshRows();
    });
    api.on('account.state', (account) => get().putAccount(account));
    api.on('outbox.changed', (item) => get().putOutboxItem(item));
    api.on('committee.changed', ({ committeeId }) => get().committeeChanged(committeeId));
    // The core decides what "online" means (it can reach a provider); the browser's hint prompts a re-check.
    const recheck = () => void get().refreshInfo();
    window.addEventListener('online', recheck);
    window.addEventListener('offline', recheck);
    transport.onConnection((connected) => {
      // Back after a gap (the host restarted or the machine slept): events may have been missed.
      if (connected && !get().connected) {
        void get().refreshAccounts();
        void get().refreshCommittees();
      }
      get().setConnected(connected);
    });

    const settings = state.loadSettings();
    // Everything at once: the table only needs the jobs, so its rows are asked for as soon as they are known.
    const jobs = state.refreshJobs();
    const rows = jobs.then(() => get().refreshRows());
    const extras = Promise.all([state.refreshViews(), state.refreshTags(), state.refreshOutbox(), state.loadProviders(), state.refreshCommittees()]);
    await Promise.all([settings, jobs, state.refreshAccounts()]);
    const { accounts, jobs: known } = get();
    state.setScreen(accounts.length === 0 && known.length === 0 ? 'onboarding' : 'applicants');
    state.markReady();
    await Promise.all([rows, extras]);
  },
  afterAccountsChanged: async () => {
    await Promise.all([get().refreshAccounts(), get().refreshJobs()]);
    await get().refreshRows();
  },
});
