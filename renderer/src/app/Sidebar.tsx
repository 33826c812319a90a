import { useState } from 'react';
import { useApp, type Screen } from '../store/index.ts';
import { SyncCard } from './SyncCard.tsx';

const nav: { screen: Screen; label: string }[] = [
  { screen: 'applicants', label: 'Applicants' },
  { screen: 'interviews', label: 'Interviews' },
  { screen: 'postings', label: 'Job postings' },
  { screen: 'committee', label: 'Committee' },
  { screen: 'settings', label: 'Settings' },
];

export function Sidebar() {
  const screen = useApp((state) => state.screen);
  const jobs = useApp((state) => state.jobs);
  const jobId = useApp((state) => state.jobId);
  const views = useApp((state) => state.views);
  const viewId = useApp((state) => state.viewId);
  const accounts = useApp((state) => state.accounts);
  const outboxPending = useApp((state) => state.outbox.filter((item) => item.state === 'pending' || item.state === 'failed').length);
  const setScreen = useApp((state) => state.setScreen);
  const selectJob = useApp((state) => state.selectJob);
  const applyView = useApp((state) => state.applyView);
  const removeView = useApp((state) => state.removeView);
  const startSync = useApp((state) => state.startSync);
  const committees = useApp((state) => state.committees);
  const committeeId = useApp((state) => state.committeeId);
  const openCommittee = useApp((state) => state.openCommittee);
  const needAttention = useApp(
    (state) =>
      state.accounts.filter((account) => !state.signingIn.includes(account.id) && (account.state === 'error' || account.state === 'signed_out' || state.syncStatus[account.id]?.lastError)).length,
  );
  // The cards fold away so a long list of accounts (or of their problems) never crowds out the jobs.
  const [accountsOpen, setAccountsOpen] = useState(true);
  const accountName = (id: number) => accounts.find((account) => account.id === id)?.name ?? '';
  // Postings-only boards (The Job Space) have no applicants to review: their jobs live under Job postings.
  // An account's own capabilities: a generic OAuth 2.0 account's come from its manifest.
  const reviewable = (accountId: number) => accounts.find((account) => account.id === accountId)?.capabilities.applications ?? true;
  const byAccount = Map.groupBy(jobs.filter((job) => reviewable(job.accountId)), (job) => job.accountId);

  return (
    <aside className="sidebar" aria-label="Navigation">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">D</span> Dossier
      </div>
      <nav className="nav" aria-label="Sections">
        {nav.map((item) => (
          <button key={item.screen} aria-current={screen === item.screen ? 'page' : undefined} onClick={() => (item.screen === 'committee' ? openCommittee(null) : setScreen(item.screen))}>
            {item.label}
            {item.screen === 'postings' && outboxPending > 0 ? <span className="count" aria-label={`${outboxPending} waiting to send`}>{outboxPending}</span> : null}
          </button>
        ))}
      </nav>
      <div className="side-scroll">
        {[...byAccount.values()].flat().length > 1 ? (
          <ul className="side-list" aria-label="All jobs">
            <li>
              <button aria-current={screen === 'applicants' && jobId === null ? 'true' : undefined} onClick={() => selectJob(null)}>
                <span className="label">All applicants</span>
                <span className="count">{jobs.reduce((sum, job) => sum + job.applicationCount, 0)}</span>
              </button>
            </li>
          </ul>
        ) : null}
        {[...byAccount].map(([accountId, accountJobs]) => (
          <section key={accountId} aria-label={`Jobs of ${accountName(accountId)}`}>
            <div className="side-heading">{accountName(accountId) || 'Jobs'}</div>
            <ul className="side-list">
              {accountJobs.map((job) => (
                <li key={job.id}>
                  <button
                    aria-current={screen === 'applicants' && jobId === job.id ? 'true' : undefined}
                    onClick={() => selectJob(job.id)}
                    title={job.removedUpstream ? `${job.title} (removed on the provider)` : job.title}
                  >
                    <span className={`label${job.removedUpstream ? ' removed' : ''}`}>{job.title}</span>
                    <span className="count">{job.applicationCount}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {committees.length > 0 ? (
          <section aria-label="Committees">
            <div className="side-heading">Committees</div>
            <ul className="side-list">
              {committees.map((committee) => (
                <li key={committee.id}>
                  <button aria-current={screen === 'committee' && committeeId === committee.id ? 'true' : undefined} onClick={() => openCommittee(committee.id)} title={`${committee.name} (${committee.connection})`}>
                    <span className="label">{committee.name}</span>
                    <span className={`dot committee-dot ${committee.connection}`} aria-label={committee.connection} />
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {views.length > 0 ? (
          <section aria-label="Saved views">
            <div className="side-heading">Saved views</div>
            <ul className="side-list">
              {views.map((view) => (
                <li key={view.id} className="view">
                  <button aria-current={viewId === view.id ? 'true' : undefined} onClick={() => applyView(view)}>
                    <span className="label">{view.name}</span>
                  </button>
                  <button className="ghost small" aria-label={`Delete view ${view.name}`} onClick={() => void removeView(view.id)}>
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
      <div className="side-footer" aria-label="Accounts and sync">
        {accounts.length > 0 ? (
          <button className="ghost small accounts-toggle" aria-expanded={accountsOpen} aria-controls="account-cards" onClick={() => setAccountsOpen(!accountsOpen)}>
            <span className="grow">
              Accounts
              {needAttention > 0 ? <span className="attention">{` · ${needAttention} to fix`}</span> : null}
            </span>
            <span aria-hidden="true">{accountsOpen ? '▾' : '▸'}</span>
          </button>
        ) : null}
        {accountsOpen ? (
          <div className="account-cards" id="account-cards">
            {accounts.map((account) => (
              <SyncCard key={account.id} account={account} />
            ))}
          </div>
        ) : null}
        <div className="row-inline">
          <button className="small grow" onClick={() => void startSync()} disabled={accounts.length === 0}>
            Sync all
          </button>
          <button className="small" onClick={() => setScreen('onboarding')}>
            Add account
          </button>
        </div>
      </div>
    </aside>
  );
}
