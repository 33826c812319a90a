import { useState, type ReactNode } from 'react';
import type { Committee } from '../../../shared/api/committee.ts';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { HintedField } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';

/** The accounts whose jobs have applicants to review (a postings-only board has none a committee could read). */
function useReviewableAccounts() {
  const accounts = useApp((state) => state.accounts);
  return accounts.filter((account) => account.capabilities.applications);
}

/** A committee form: its fields and its two buttons; the committee made or joined is shown once the core answers. */
function CommitteeForm({ title, submitLabel, onClose, submit, children }: { title: string; submitLabel: string; onClose: () => void; submit: () => Promise<Committee>; children: ReactNode }) {
  const putCommittee = useApp((state) => state.putCommittee);
  return (
    <ActionDialog
      title={title}
      actionLabel={submitLabel}
      busyLabel="Working…"
      className="committee-dialog"
      onClose={onClose}
      run={submit}
      onDone={(committee) => {
        onClose();
        putCommittee(committee);
      }}
    >
      {children}
    </ActionDialog>
  );
}

export function NewCommitteeDialog({ onClose }: { onClose: () => void }) {
  const client = useApp((state) => state.transport.client);
  const accounts = useReviewableAccounts();
  const allJobs = useApp((state) => state.jobs);
  const [name, setName] = useState('');
  const [serverUrl, setServerUrl] = useState('');
  const [accountId, setAccountId] = useState<number | null>(accounts[0]?.id ?? null);
  const [jobIds, setJobIds] = useState<number[]>([]);
  const [memberName, setMemberName] = useState('');
  const jobs = allJobs.filter((job) => job.accountId === accountId && !job.removedUpstream);
  const toggleJob = (jobId: number, on: boolean) => setJobIds((chosen) => (on ? [...chosen, jobId] : chosen.filter((id) => id !== jobId)));
  return (
    <CommitteeForm
      title="New committee"
      submitLabel="Create the committee"
      onClose={onClose}
      submit={() => {
        if (accountId === null) return Promise.reject(new Error('Add an account with applicants first: a committee reviews the applicants of its jobs.'));
        return client.call('committee.create', { name, serverUrl: serverUrl.trim(), accountId, jobIds, memberName });
      }}
    >
      <p className="help">You become the committee’s chair: you invite the members and can remove them. Ratings, scores, shared notes and the discussion go through the committee server, encrypted; applicants’ documents never do.</p>
      <div className="form-grid">
        <HintedField label="Committee name" hint="As every member sees it, e.g. “Macro search 2026”.">
          <input type="text" required value={name} onChange={(event) => setName(event.target.value)} />
        </HintedField>
        <HintedField label="Your name" hint="How the other members see you.">
          <input type="text" required value={memberName} onChange={(event) => setMemberName(event.target.value)} autoComplete="name" />
        </HintedField>
        <HintedField label="Committee server" hint="Its address, e.g. https://committee.example.edu (the one “dossier committee serve” prints)." wide>
          <input type="url" required value={serverUrl} placeholder="https://" spellCheck={false} onChange={(event) => setServerUrl(event.target.value)} />
        </HintedField>
        <HintedField label="Account" hint="The members match the candidates by this platform’s ids, each under their own account." wide>
          <select
            value={accountId ?? ''}
            onChange={(event) => {
              setAccountId(Number(event.target.value));
              setJobIds([]);
            }}
          >
            <AccountOptions accounts={accounts} />
          </select>
        </HintedField>
      </div>
      <fieldset className="committee-jobs">
        <legend>Jobs the committee reviews</legend>
        {jobs.length === 0 ? <p className="muted">This account has no jobs yet. Sync it first.</p> : null}
        <div className="committee-job-list">
          {jobs.map((job) => (
            <label key={job.id} className="inline-option">
              <input type="checkbox" checked={jobIds.includes(job.id)} onChange={(event) => toggleJob(job.id, event.target.checked)} /> {job.title}
              <span className="muted"> · {job.applicationCount.toLocaleString()} applicants</span>
            </label>
          ))}
        </div>
      </fieldset>
    </CommitteeForm>
  );
}

/** The accounts a committee can review, as a select's options. */
function AccountOptions({ accounts }: { accounts: readonly { id: number; name: string }[] }) {
  return accounts.map((account) => (
    <option key={account.id} value={account.id}>
      {account.name}
    </option>
  ));
}

export function JoinCommitteeDialog({ onClose }: { onClose: () => void }) {
  const client = useApp((state) => state.transport.client);
  const accounts = useReviewableAccounts();
  const [code, setCode] = useState('');
  const [memberName, setMemberName] = useState('');
  // With one account there is nothing to choose: the core matches the committee's records against it.
  const [accountId, setAccountId] = useState<number | null>(null);
  return (
    <CommitteeForm
      title="Join a committee"
      submitLabel="Join"
      onClose={onClose}
      submit={() => client.call('committee.join', { code: code.trim(), memberName, ...(accountId === null ? {} : { accountId }) })}
    >
      <div className="form-grid">
        <HintedField label="Invite code" hint="The code the chair sent you. It works once; keep it to yourself." wide>
          <input type="password" required value={code} autoComplete="off" spellCheck={false} onChange={(event) => setCode(event.target.value)} />
        </HintedField>
        <HintedField label="Your name" hint="How the other members see you." wide={accounts.length <= 1}>
          <input type="text" required value={memberName} onChange={(event) => setMemberName(event.target.value)} autoComplete="name" />
        </HintedField>
        {accounts.length > 1 ? (
          <HintedField label="Account" hint="The account whose applicants the committee reviews.">
            <select value={accountId ?? ''} onChange={(event) => setAccountId(event.target.value === '' ? null : Number(event.target.value))}>
              <option value="">The committee’s platform</option>
              <AccountOptions accounts={accounts} />
            </select>
          </HintedField>
        ) : null}
      </div>
    </CommitteeForm>
  );
}
