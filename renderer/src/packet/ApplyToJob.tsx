import { useEffect, useState } from 'react';
import type { ApplyTargets } from '../../../shared/api/writes.ts';
import type { ApplicantRow } from '../../../shared/domain.ts';
import { errorMessage } from '../common/transport.ts';
import { Dialog } from '../common/ui.tsx';
import { PendingWrite } from '../postings/index.ts';
import { useApp } from '../store/index.ts';

/**
 * "Apply to another job…": queues an application of this person to another job of the account
 * (CareerPlug). Where the provider's documentation rules it out (JyMob), the button stays, disabled,
 * and says why; providers without such a write show nothing.
 */
export function ApplyToJobButton({ row }: { row: ApplicantRow }) {
  const client = useApp((state) => state.transport.client);
  const notify = useApp((state) => state.notify);
  const provider = useApp((state) => {
    const account = state.accounts.find((candidate) => candidate.id === row.accountId);
    return state.providers.find((candidate) => candidate.id === account?.provider);
  });
  const writable = provider?.capabilities.writes.includes('application.create') ?? false;
  const [refusal, setRefusal] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const listsApplications = provider?.capabilities.applications ?? false;

  useEffect(() => {
    if (writable || !listsApplications) return;
    let current = true;
    client.call('applications.applyTargets', { applicationId: row.applicationId }).then(
      (targets) => current && setRefusal(targets.reason),
      () => current && setRefusal(null),
    );
    return () => {
      current = false;
    };
  }, [client, writable, listsApplications, row.applicationId]);

  if (!writable && refusal === null) return null;
  return (
    <>
      <button
        className="small apply-to-job"
        aria-label="Apply to another job…"
        aria-disabled={!writable}
        title={writable ? 'Apply this person to another job of the account' : (refusal ?? undefined)}
        onClick={() => (writable ? setOpen(true) : notify(refusal ?? ''))}
      >
        Apply<span className="long"> to another job</span>…
      </button>
      {open ? <ApplyDialog row={row} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** The packet's queued writes not yet sent ("Waiting to send · 1"), each withdrawable until it goes. */
export function PacketPendingWrites({ row }: { row: ApplicantRow }) {
  const outbox = useApp((state) => state.outbox);
  const items = outbox.filter((item) => item.applicationId === row.applicationId && item.state !== 'sent');
  if (items.length === 0) return null;
  return (
    <div className="pending-writes" role="region" aria-label="Waiting to send">
      {items.map((item) => (
        <PendingWrite key={item.id} item={item} />
      ))}
    </div>
  );
}

function ApplyDialog({ row, onClose }: { row: ApplicantRow; onClose: () => void }) {
  const client = useApp((state) => state.transport.client);
  const notify = useApp((state) => state.notify);
  const refreshOutbox = useApp((state) => state.refreshOutbox);
  const [targets, setTargets] = useState<ApplyTargets | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    client.call('applications.applyTargets', { applicationId: row.applicationId }).then(setTargets, (error: unknown) => setProblem(errorMessage(error)));
  }, [client, row.applicationId]);

  const job = targets?.jobs.find((candidate) => candidate.jobId === jobId) ?? null;
  const choose = (id: number) => {
    setJobId(id);
    const chosen = targets?.jobs.find((candidate) => candidate.jobId === id);
    setAnswers(Object.fromEntries((chosen?.questions ?? []).map((question) => [question.id, question.suggested])));
  };

  const submit = async () => {
    if (!job) return;
    setProblem(null);
    setSaving(true);
    try {
      const item = await client.call('applications.applyToJob', { applicationId: row.applicationId, jobId: job.jobId, answers: job.questions.map((question) => ({ questionId: question.id, value: answers[question.id] ?? '' })) });
      await refreshOutbox();
      notify(`Queued: ${item.summary}. It goes out with the next sync; until then you can withdraw it in the packet.`);
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title={`Apply ${row.name} to another job`}
      onClose={onClose}
      footer={
        <>
          <span className="muted grow">Sent with the next sync, so this works offline.</span>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!job || saving} onClick={() => void submit()}>
            Queue the application
          </button>
        </>
      }
    >
      <form
        className="form-grid"
        aria-label="Application"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {targets === null ? (
          <p className="muted wide" role="status">{problem ?? 'Loading the account’s jobs…'}</p>
        ) : targets.jobs.length === 0 ? (
          <p className="muted wide">{row.name} has applied to every job this account lists.</p>
        ) : (
          <label className="field wide">
            <span>Job</span>
            <select value={jobId ?? ''} onChange={(event) => choose(Number(event.target.value))} required>
              <option value="">Choose one of the account’s jobs…</option>
              {targets.jobs.map((candidate) => (
                <option key={candidate.jobId} value={candidate.jobId}>
                  {candidate.title}
                  {candidate.status && candidate.status !== 'active' ? ` (${candidate.status})` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        {job && job.questions.length > 0 ? <p className="muted wide">The job asks everyone who applies:</p> : null}
        {job?.questions.map((question) => (
          <label key={question.id} className="field wide">
            <span>{question.name}</span>
            {question.choices.length > 0 ? (
              <select value={answers[question.id] ?? ''} onChange={(event) => setAnswers({ ...answers, [question.id]: event.target.value })} required>
                <option value="">Choose…</option>
                {question.choices.map((choice) => (
                  <option key={choice} value={choice}>{choice}</option>
                ))}
              </select>
            ) : (
              <input type="text" required value={answers[question.id] ?? ''} onChange={(event) => setAnswers({ ...answers, [question.id]: event.target.value })} />
            )}
          </label>
        ))}
        {targets !== null && problem ? <p className="error-text wide" role="alert">{problem}</p> : null}
      </form>
    </Dialog>
  );
}
