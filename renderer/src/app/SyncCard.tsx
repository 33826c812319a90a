import { syncPhaseLabels, type Account, type SyncProgress } from '../../../shared/domain.ts';
import { formatRelative } from '../common/format.ts';
import { SignInWaiting } from '../onboarding/index.ts';
import { problemFor, retryLaterMinutes, useApp, type Problem } from '../store/index.ts';

const waitReasons: Record<NonNullable<SyncProgress['retrying']>['reason'], string> = {
  throttled: 'The provider asked Dossier to slow down',
  unavailable: 'The provider is not answering',
  network: 'The provider cannot be reached',
};

/** What an account's optional endpoint was found not to offer (the status's `offers`), in words. */
const missingOffers: Record<string, string> = {
  posting_options: 'Posting options: not offered by this board (2017-05 API)',
  screening_tests: 'Screening-test answers: not offered for this account',
};

/** A wall-clock time the reviewer can hold against their own clock: 14:05, or 14:05:30 for a wait of seconds. */
function clockTime(iso: string, seconds = false): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) });
}

export function SyncCard({ account }: { account: Account }) {
  const progress = useApp((state) => state.progress[account.id]);
  const status = useApp((state) => state.syncStatus[account.id]);
  const connected = useApp((state) => state.connected);
  const online = useApp((state) => state.info?.online ?? true);
  const waiting = useApp((state) => state.signingIn.includes(account.id));
  const retryAt = useApp((state) => state.retryAt[account.id]);
  const dataSide = useApp((state) => state.providers.find((provider) => provider.id === account.provider)?.dataSide ?? null);
  const beginSignIn = useApp((state) => state.beginSignIn);
  const startSync = useApp((state) => state.startSync);
  const running = progress !== undefined || (account.state === 'syncing' && status?.running !== false);
  const failure = status?.lastError ?? (account.state === 'error' ? { code: undefined, message: account.stateMessage ?? 'The last sync failed.' } : null);
  const problem = failure ? problemFor(failure.code, account.state === 'signed_out') : null;
  const percent = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;

  return (
    <div className={`sync-card${problem && !running && !waiting ? ' failing' : ''}`} aria-label={`Account ${account.name}`}>
      <header>
        <span className={`dot ${account.state}`} aria-hidden="true" />
        <span className="name" title={account.name}>{account.name}</span>
        {!running && !waiting && account.state !== 'signed_out' ? (
          <button className="ghost small" onClick={() => void startSync([account.id])} aria-label={`Sync ${account.name} now`}>
            Sync
          </button>
        ) : null}
      </header>
      {dataSide ? <div className="data-side">{dataSide}</div> : null}
      {waiting ? (
        <SignInWaiting accountId={account.id} label={account.name} compact />
      ) : running ? (
        <div role="status" aria-live="polite">
          <div className="meta">
            <span>{progress ? syncPhaseLabels[progress.phase] : 'Starting'}</span>
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
          {progress?.retrying ? (
            <div className="sync-wait">
              {waitReasons[progress.retrying.reason]}; retrying at {clockTime(progress.retrying.until, true)} (attempt {progress.retrying.attempt + 1}).
            </div>
          ) : null}
        </div>
      ) : (
        <div className="meta">
          <span>{account.state === 'signed_out' ? 'Signed out' : account.lastSyncedAt ? `Synced ${formatRelative(account.lastSyncedAt)}` : 'Not synced yet'}</span>
          {!connected || !online ? <span title="Working from the local copy">Offline</span> : null}
        </div>
      )}
      {Object.entries(status?.offers ?? {})
        .filter(([, offer]) => offer === 'not_offered')
        .map(([feature]) => (
          <div className="offer-note" key={feature}>{missingOffers[feature] ?? `${feature.replaceAll('_', ' ')}: not offered`}</div>
        ))}
      {problem && failure && !running && !waiting ? (
        <ProblemNotice account={account} problem={problem} message={failure.message} retryAt={retryAt} />
      ) : account.state === 'signed_out' && !waiting ? (
        <button className="small" style={{ marginTop: 4 }} onClick={() => beginSignIn(account)}>Sign in</button>
      ) : null}
    </div>
  );
}

/** What went wrong in a few words, the full story folded away, and the one action that fixes it here. */
function ProblemNotice({ account, problem, message, retryAt }: { account: Account; problem: Problem; message: string; retryAt: string | undefined }) {
  const beginSignIn = useApp((state) => state.beginSignIn);
  const startSync = useApp((state) => state.startSync);
  const scheduleRetry = useApp((state) => state.scheduleRetry);
  const cancelRetry = useApp((state) => state.cancelRetry);
  const editAccount = useApp((state) => state.editAccount);
  return (
    <div className="problem" role="alert">
      <strong>{problem.headline}</strong>
      <details>
        <summary>What happened</summary>
        <p>{message}</p>
      </details>
      <div className="row-inline problem-actions">
        {problem.fix === 'sign-in' ? <button className="small" onClick={() => beginSignIn(account)}>Sign in</button> : null}
        {problem.fix === 'edit-account' ? <button className="small" onClick={() => editAccount(account.id)}>Edit account</button> : null}
        {problem.fix === 'retry' ? <button className="small" onClick={() => void startSync([account.id])}>Retry</button> : null}
        {problem.fix === 'retry-later' && retryAt === undefined ? (
          <>
            <button className="small" onClick={() => scheduleRetry(account.id, new Date(Date.now() + retryLaterMinutes * 60_000))}>
              Retry in {retryLaterMinutes} min
            </button>
            <button className="ghost small" onClick={() => void startSync([account.id])}>Now</button>
          </>
        ) : null}
        {problem.fix === 'retry-later' && retryAt !== undefined ? (
          <>
            <span className="grow">Retrying at {clockTime(retryAt)}</span>
            <button className="ghost small" onClick={() => cancelRetry(account.id)}>Don’t</button>
          </>
        ) : null}
      </div>
    </div>
  );
}
