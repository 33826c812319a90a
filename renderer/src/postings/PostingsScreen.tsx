import { useEffect, useMemo, useState } from 'react';
import type { ApiResult } from '../../../shared/contract.ts';
import type { OutboxItem } from '../../../shared/domain.ts';
import { formatDate, formatDateTime } from '../common/format.ts';
import { errorMessage } from '../common/transport.ts';
import { HintedField } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';
import { PendingWrite, failureText } from './PendingWrite.tsx';

type Lookup = ApiResult<'lookups.list'>[number];

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function emptyForm() {
  return {
    jobId: undefined as number | undefined,
    title: '',
    reference: '',
    summary: '',
    description: '',
    jobType: '',
    jobCategory: '',
    country: '',
    locality: '',
    openDate: today(),
    closeDate: inDays(30),
    salaryText: '',
  };
}

export function PostingsScreen() {
  const accounts = useApp((state) => state.accounts);
  const providers = useApp((state) => state.providers);
  const writable = accounts.filter((account) => providers.find((provider) => provider.id === account.provider)?.capabilities.writes.includes('job.create'));
  const [accountId, setAccountId] = useState<number | null>(writable[0]?.id ?? null);
  // A 2017-05 board (its last sync found no admin API) lists its postings but takes no writes.
  const legacyBoard = useApp((state) => accountId !== null && state.syncStatus[accountId]?.offers.posting_options === 'not_offered');
  const outbox = useApp((state) => state.outbox);
  const refreshOutbox = useApp((state) => state.refreshOutbox);
  useEffect(() => {
    void refreshOutbox();
  }, [refreshOutbox]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Job postings</h1>
        {writable.length > 1 ? (
          <select aria-label="Account" value={accountId ?? ''} onChange={(event) => setAccountId(Number(event.target.value))}>
            {writable.map((account) => (
              <option key={account.id} value={account.id}>{account.name}</option>
            ))}
          </select>
        ) : null}
      </div>
      {accountId === null ? (
        <div className="settings-section">
          <p>None of your accounts can publish postings. The Job Space lets Dossier create and edit postings; add a Job Space account to write them here, even offline.</p>
        </div>
      ) : (
        <>
          {legacyBoard ? (
            <div className="settings-section" role="note">
              <p>This board runs The Job Space’s 2017-05 API, which Dossier cannot post to, update or delete from. Its postings are listed below; make changes on the board’s own admin site.</p>
            </div>
          ) : null}
          <BoardPostings key={`board-${accountId}`} accountId={accountId} writable={!legacyBoard} />
          {legacyBoard ? null : <PostingForm key={accountId} accountId={accountId} />}
        </>
      )}
      <OutboxTable items={outbox} />
    </div>
  );
}

function PostingForm({ accountId }: { accountId: number }) {
  const client = useApp((state) => state.transport.client);
  const allJobs = useApp((state) => state.jobs);
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
  const refreshOutbox = useApp((state) => state.refreshOutbox);
  const jobs = allJobs.filter((job) => job.accountId === accountId);
  const [lookups, setLookups] = useState<Lookup[]>([]);
  const [form, setForm] = useState(emptyForm);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const update = <Key extends keyof ReturnType<typeof emptyForm>>(key: Key, value: ReturnType<typeof emptyForm>[Key]) => setForm((current) => ({ ...current, [key]: value }));

  useEffect(() => {
    void attempt(() => client.call('lookups.list', { accountId })).then((list) => setLookups(list ?? []));
  }, [client, attempt, accountId]);
  const byKind = useMemo(() => Map.groupBy(lookups, (lookup) => lookup.kind), [lookups]);

  const submit = async () => {
    setProblem(null);
    setSaving(true);
    try {
      const item = await client.call('postings.save', { accountId, ...form });
      notify(`Queued in the outbox: ${item.summary}`);
      setForm(emptyForm());
      await refreshOutbox();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const lookupSelect = (kind: Lookup['kind'], key: 'jobType' | 'jobCategory' | 'country', label: string) => (
    <label className="field">
      <span>{label}</span>
      <select value={form[key]} onChange={(event) => update(key, event.target.value)} required>
        <option value="">{(byKind.get(kind)?.length ?? 0) === 0 ? 'Sync once to load the choices' : 'Choose…'}</option>
        {(byKind.get(kind) ?? []).map((lookup) => (
          <option key={lookup.remoteId} value={lookup.remoteId}>{lookup.label}</option>
        ))}
      </select>
    </label>
  );

  return (
    <form
      className="settings-section"
      aria-label="Posting"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="row-inline" style={{ marginBottom: 10 }}>
        <h2 className="grow">{form.jobId ? 'Edit posting' : 'New posting'}</h2>
        {jobs.length > 0 ? (
          <select
            aria-label="Edit an existing posting"
            value={form.jobId ?? ''}
            onChange={(event) => {
              const job = jobs.find((candidate) => candidate.id === Number(event.target.value));
              setForm(job ? { ...emptyForm(), jobId: job.id, title: job.title, locality: job.location ?? '' } : emptyForm());
            }}
          >
            <option value="">New posting</option>
            {jobs.map((job) => (
              <option key={job.id} value={job.id}>Edit: {job.title}</option>
            ))}
          </select>
        ) : null}
      </div>
      <div className="form-grid">
        <label className="field">
          <span>Title</span>
          <input type="text" required maxLength={191} value={form.title} onChange={(event) => update('title', event.target.value)} />
        </label>
        <HintedField label="Reference" hint="5 to 191 characters, unique on your board.">
          <input type="text" required minLength={5} maxLength={191} value={form.reference} onChange={(event) => update('reference', event.target.value)} />
        </HintedField>
        <label className="field wide">
          <span>Summary</span>
          <input type="text" maxLength={300} value={form.summary} onChange={(event) => update('summary', event.target.value)} />
        </label>
        <label className="field wide">
          <span>Description</span>
          <textarea rows={6} required value={form.description} onChange={(event) => update('description', event.target.value)} />
        </label>
        {lookupSelect('job_type', 'jobType', 'Job type')}
        {lookupSelect('job_category', 'jobCategory', 'Category')}
        {lookupSelect('country', 'country', 'Country')}
        <label className="field">
          <span>Locality</span>
          <input type="text" value={form.locality} onChange={(event) => update('locality', event.target.value)} />
        </label>
        <label className="field">
          <span>Opens</span>
          <input type="date" required value={form.openDate} onChange={(event) => update('openDate', event.target.value)} />
        </label>
        <label className="field">
          <span>Closes</span>
          <input type="date" required value={form.closeDate} onChange={(event) => update('closeDate', event.target.value)} />
        </label>
        <label className="field wide">
          <span>Salary</span>
          <input type="text" value={form.salaryText} placeholder="e.g. Competitive, per university scale" onChange={(event) => update('salaryText', event.target.value)} />
        </label>
      </div>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      <div className="row-inline">
        <span className="muted grow">Saved postings wait in the outbox and go out on the next sync, so this works offline.</span>
        <button className="primary" type="submit" disabled={saving}>
          {form.jobId ? 'Queue the update' : 'Queue the posting'}
        </button>
      </div>
    </form>
  );
}

/**
 * The board's postings, each with "Delete posting": no confirmation — the deletion waits in the
 * outbox for the next sync and can be withdrawn until then (decision 0015).
 */
function BoardPostings({ accountId, writable }: { accountId: number; writable: boolean }) {
  const client = useApp((state) => state.transport.client);
  const allJobs = useApp((state) => state.jobs);
  const outbox = useApp((state) => state.outbox);
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
  const refreshOutbox = useApp((state) => state.refreshOutbox);
  const startSync = useApp((state) => state.startSync);
  const deletable = useApp((state) => {
    const account = state.accounts.find((candidate) => candidate.id === accountId);
    return writable && (state.providers.find((provider) => provider.id === account?.provider)?.capabilities.writes.includes('job.delete') ?? false);
  });
  const jobs = allJobs.filter((job) => job.accountId === accountId && !job.removedUpstream);
  const waiting = outbox.filter((item) => item.accountId === accountId && (item.state === 'pending' || item.state === 'sending'));
  const deletionOf = (jobId: number) => outbox.find((item) => item.kind === 'job.delete' && item.jobId === jobId && item.state !== 'sent');
  const remove = async (jobId: number) => {
    const item = await attempt(() => client.call('postings.delete', { jobId }));
    await refreshOutbox();
    if (item) notify(`Queued: ${item.summary}. It goes out with the next sync; withdraw it here until then.`);
  };
  return (
    <section className="settings-section" aria-label="Postings on the board">
      <div className="row-inline" style={{ marginBottom: 6 }}>
        <h2 className="grow">Postings on the board</h2>
        {waiting.length > 0 ? (
          <>
            <span className="outbox-state pending waiting-count">Waiting to send · {waiting.length}</span>
            <button className="small" onClick={() => void startSync([accountId])}>
              Send now
            </button>
          </>
        ) : null}
      </div>
      {jobs.length === 0 ? (
        <p className="muted">No postings in the local copy. Sync the account to list the board’s postings.</p>
      ) : (
        <ul className="postings-list">
          {jobs.map((job) => {
            const deletion = deletionOf(job.id);
            return (
              <li key={job.id} aria-label={job.title} data-job-id={job.id}>
                <span className="posting-title">{job.title}</span>
                <span className="muted posting-meta">{[job.location, job.postedAt ? `posted ${formatDate(job.postedAt)}` : null].filter(Boolean).join(' · ')}</span>
                {deletion ? (
                  <PendingWrite item={deletion} />
                ) : deletable ? (
                  <button className="small" onClick={() => void remove(job.id)}>
                    Delete posting
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function OutboxTable({ items }: { items: OutboxItem[] }) {
  const client = useApp((state) => state.transport.client);
  const accounts = useApp((state) => state.accounts);
  const attempt = useApp((state) => state.attempt);
  const refreshOutbox = useApp((state) => state.refreshOutbox);
  return (
    <section className="settings-section" aria-label="Outbox">
      <h2>Outbox</h2>
      {items.length === 0 ? (
        <p className="muted">Nothing waiting to be sent.</p>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th>Change</th>
              <th>Account</th>
              <th>State</th>
              <th>Queued</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  {item.summary}
                  {item.state === 'failed' && item.lastError ? <div className="error-text">{failureText(item.lastError)}</div> : null}
                </td>
                <td>{accounts.find((account) => account.id === item.accountId)?.name ?? ''}</td>
                <td>
                  <span className={`outbox-state ${item.state}`}>{item.state}</span>
                  {item.attempts > 1 ? <span className="muted"> · {item.attempts} tries</span> : null}
                </td>
                <td className="muted">{formatDateTime(item.createdAt)}</td>
                <td>
                  {item.state === 'failed' ? (
                    <button className="small" onClick={() => void attempt(() => client.call('outbox.retry', { id: item.id })).then(() => refreshOutbox())}>
                      Retry
                    </button>
                  ) : null}
                  {item.state === 'pending' || item.state === 'failed' ? (
                    <button className="small" onClick={() => void attempt(() => client.call('outbox.withdraw', { id: item.id })).then(() => refreshOutbox())}>
                      Withdraw
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
