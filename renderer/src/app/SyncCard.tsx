import type { Account, SyncPhase } from '../../../shared/domain.ts';
import { formatRelative } from '../common/format.ts';
import { useApp } from '../store/index.ts';

const phaseLabels: Record<SyncPhase, string> = {
  auth: 'Signing in',
  jobs: 'Jobs',
  applicants: 'Applicants',
  applications: 'Applications',
  letters: 'Letters',
  interviews: 'Interviews',
  documents: 'Documents',
  outbox: 'Sending changes',
  index: 'Indexing for search',
  done: 'Finishing',
};

type Fix = { label: string; run: () => void };

/** The one action that clears a sync problem, chosen by the error's code. */
function fixFor(code: string | undefined, account: Account): Fix {
  if (code === 'auth.invalid_client' || code === 'auth.ip_not_allowed' || code === 'auth.not_provisioned') {
    return { label: 'Check account settings', run: () => useApp.getState().setScreen('settings') };
  }
  if (code?.startsWith('auth.') || account.state === 'signed_out') {
    return { label: 'Sign in again', run: () => void useApp.getState().signIn(account.id) };
  }
  return { label: 'Retry', run: () => void useApp.getState().startSync([account.id]) };
}

export function SyncCard({ account }: { account: Account }) {
  const progress = useApp((state) => state.progress[account.id]);
  const status = useApp((state) => state.syncStatus[account.id]);
  const connected = useApp((state) => state.connected);
  const online = useApp((state) => state.info?.online ?? true);
  const waiting = useApp((state) => state.signingIn.includes(account.id));
  const signIn = useApp((state) => state.signIn);
  const startSync = useApp((state) => state.startSync);
  const cancelSignIn = useApp((state) => state.cancelSignIn);
  const running = account.state === 'syncing' || progress !== undefined;
  const problem = status?.lastError ?? (account.state === 'error' ? { code: undefined, message: account.stateMessage ?? 'The last sync failed.' } : null);
  const fix = fixFor(problem?.code, account);
  const percent = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;

  return (
    <div className="sync-card" aria-label={`Account ${account.name}`}>
      <header>
        <span className={`dot ${account.state}`} aria-hidden="true" />
        <span className="name" title={account.name}>{account.name}</span>
        {!running && !waiting && account.state !== 'signed_out' ? (
          <button className="ghost small" onClick={() => void startSync([account.id])} aria-label={`Sync ${account.name} now`}>
            Sync
          </button>
        ) : null}
      </header>
      {waiting ? (
        <div className="row-inline" role="status" style={{ marginTop: 4 }}>
          <span className="spinner" aria-hidden="true" style={{ width: 12, height: 12 }} />
          <span className="grow">Waiting for the browser…</span>
          <button className="small" onClick={() => void cancelSignIn(account.id)}>Cancel</button>
        </div>
      ) : running ? (
        <div role="status" aria-live="polite">
          <div className="meta">
            <span>{progress ? phaseLabels[progress.phase] : 'Starting'}</span>
            <span className="num">{progress?.total ? `${progress.done} / ${progress.total}` : progress ? String(progress.done) : ''}</span>
          </div>
          <div
            className={`progress${percent === null ? ' indeterminate' : ''}`}
            role="progressbar"
            aria-label={`Sync progress for ${account.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
          >
            <div style={percent === null ? undefined : { width: `${percent}%` }} />
          </div>
        </div>
      ) : (
        <div className="meta">
          <span>{account.state === 'signed_out' ? 'Signed out' : account.lastSyncedAt ? `Synced ${formatRelative(account.lastSyncedAt)}` : 'Not synced yet'}</span>
          {!connected || !online ? <span title="Working from the local copy">Offline</span> : null}
        </div>
      )}
      {problem && !running && !waiting ? (
        <div className="problem" role="alert">
          <div>{problem.message}</div>
          <button className="small" style={{ marginTop: 4 }} onClick={fix.run}>{fix.label}</button>
        </div>
      ) : account.state === 'signed_out' && !waiting ? (
        <button className="small" style={{ marginTop: 4 }} onClick={() => void signIn(account.id)}>Sign in</button>
      ) : null}
    </div>
  );
}
