import { useEffect, useState } from 'react';
import type { Committee, CommitteeMember } from '../../../shared/api/committee.ts';
import { ActionDialog } from '../common/ActionDialog.tsx';
import { formatDateTime } from '../common/format.ts';
import { errorMessage } from '../common/transport.ts';
import { Dialog, HintedField } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';
import { memberLabel, useCommitteeData } from './shared.tsx';

/** Whether the others are connected changes without a committee edit: the roster is asked for again this often while it shows. */
const presenceRefreshMs = 30_000;

/**
 * Who is on the committee and whether they are connected (the server says; the tally's roster
 * shows until it answers, and offline); the chair invites, removes and splits the reading here.
 */
export function MembersPanel({ committee, roster, onChanged }: { committee: Committee; roster: readonly CommitteeMember[]; onChanged: () => void }) {
  const client = useApp((state) => state.transport.client);
  const { data: fetched, reload } = useCommitteeData([committee.id], () => client.call('committee.members', { committeeId: committee.id }), committee.id);
  useEffect(() => {
    const timer = window.setInterval(reload, presenceRefreshMs);
    return () => window.clearInterval(timer);
  }, [reload]);
  const members = fetched ?? roster;
  const chair = committee.role === 'chair' && committee.connection !== 'revoked';
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<CommitteeMember | null>(null);
  const [splitting, setSplitting] = useState(false);
  const active = members.filter((member) => !member.revoked);
  const removed = members.filter((member) => member.revoked);
  return (
    <section className="packet members-pane" aria-label="Members">
      <div className="packet-body">
        <section className="panel">
          <h3>Members ({active.length})</h3>
          <ul className="member-list">
            {active.map((member) => (
              <li key={member.memberId}>
                <span className={`dot ${member.connected ? 'signed_in' : ''}`} role="img" aria-label={presence(member)} title={presence(member)} />
                <span className="grow">{memberLabel(member)}</span>
                {chair && !member.isMe ? (
                  <button className="ghost small danger" onClick={() => setRemoving(member)} aria-label={`Remove ${member.name} from the committee`}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {removed.length > 0 ? <p className="muted">Removed: {removed.map((member) => member.name).join(', ')}</p> : null}
          {chair ? (
            <div className="row-inline">
              <button className="small primary" onClick={() => setInviting(true)}>
                Invite…
              </button>
              <button className="small" onClick={() => setSplitting(true)} disabled={active.length < 2} title={active.length < 2 ? 'Invite members first' : 'Assign each candidate to some of the members to read'}>
                Split the reading…
              </button>
            </div>
          ) : (
            <p className="muted">The chair invites and removes members.</p>
          )}
        </section>
      </div>
      {inviting ? <InviteDialog committee={committee} onClose={() => setInviting(false)} /> : null}
      {removing ? (
        <RemoveDialog
          committee={committee}
          member={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            reload();
            onChanged();
          }}
        />
      ) : null}
      {splitting ? (
        <SplitDialog
          committee={committee}
          members={active}
          onClose={() => setSplitting(false)}
          onSplit={() => {
            setSplitting(false);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}

function presence(member: CommitteeMember): string {
  if (member.connected === null) return 'Connection not known: the committee server is out of reach';
  return member.connected ? 'Connected now' : 'Not connected now';
}

/** Makes a one-time invite code and shows it once: it is the one committee secret a person has to pass on. */
function InviteDialog({ committee, onClose }: { committee: Committee; onClose: () => void }) {
  const client = useApp((state) => state.transport.client);
  const [days, setDays] = useState(7);
  const [invite, setInvite] = useState<{ code: string; expiresAt: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const make = () => {
    setBusy(true);
    setProblem(null);
    client.call('committee.invite', { committeeId: committee.id, days }).then(
      (made) => {
        setBusy(false);
        setInvite(made);
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(errorMessage(error));
      },
    );
  };
  const copy = () => {
    if (!invite) return;
    void navigator.clipboard.writeText(invite.code).then(
      () => setCopied(true),
      () => setProblem('The clipboard is not available here: select the code and copy it yourself.'),
    );
  };
  return (
    <Dialog
      title={`Invite to ${committee.name}`}
      onClose={onClose}
      className="committee-dialog"
      footer={
        invite ? (
          <button className="primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button onClick={onClose}>Cancel</button>
            <button className="primary" onClick={make} disabled={busy}>
              {busy ? 'Making the code…' : 'Make an invite code'}
            </button>
          </>
        )
      }
    >
      {problem ? (
        <p className="export-alert" role="alert">
          {problem}
        </p>
      ) : null}
      {invite ? (
        <div className="invite-code">
          <HintedField label="Invite code" hint={`Valid until ${formatDateTime(invite.expiresAt)}. It works once: whoever uses it first joins as a member. Send it privately (not in a shared channel); it is shown only now.`}>
            <input type="text" readOnly value={invite.code} spellCheck={false} onFocus={(event) => event.currentTarget.select()} />
          </HintedField>
          <button onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
        </div>
      ) : (
        <>
          <p>A code for one new member. They paste it in Committee → Join with an invite code, on their own machine, under their own account.</p>
          <label className="row-inline">
            <span>Valid for</span>
            <select aria-label="Valid for" value={days} onChange={(event) => setDays(Number(event.target.value))}>
              {[1, 3, 7, 14, 30].map((value) => (
                <option key={value} value={value}>
                  {value === 1 ? '1 day' : `${value} days`}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
    </Dialog>
  );
}

function RemoveDialog({ committee, member, onClose, onRemoved }: { committee: Committee; member: CommitteeMember; onClose: () => void; onRemoved: () => void }) {
  const client = useApp((state) => state.transport.client);
  return (
    <ActionDialog
      title={`Remove ${member.name}?`}
      actionLabel="Remove from committee"
      busyLabel="Removing…"
      onClose={onClose}
      run={() => client.call('committee.revoke', { committeeId: committee.id, memberId: member.memberId })}
      onDone={onRemoved}
    >
      <p>
        {member.name} will get nothing new from {committee.name}, on any server, from now on. They keep what they already had on their machine. Their ratings and notes so far stay in the tally.
      </p>
    </ActionDialog>
  );
}

function SplitDialog({ committee, members, onClose, onSplit }: { committee: Committee; members: readonly CommitteeMember[]; onClose: () => void; onSplit: () => void }) {
  const client = useApp((state) => state.transport.client);
  const notify = useApp((state) => state.notify);
  const [readers, setReaders] = useState(Math.min(2, members.length));
  const nameOf = (memberId: string) => members.find((member) => member.memberId === memberId)?.name ?? 'a removed member';
  return (
    <ActionDialog
      title="Split the reading"
      actionLabel="Split"
      busyLabel="Splitting…"
      onClose={onClose}
      run={() => client.call('committee.split', { committeeId: committee.id, readers })}
      onDone={({ assignments }) => {
        notify(`Reading split: ${assignments.map((assignment) => `${nameOf(assignment.memberId)} ${assignment.count.toLocaleString()}`).join(', ')}.`);
        onSplit();
      }}
    >
      <p>Every candidate is assigned to {readers} of the {members.length} members, evenly; each sees theirs under “Assigned to me”.</p>
      <label className="row-inline">
        <span>Readers per candidate</span>
        <input type="number" aria-label="Readers per candidate" min={1} max={members.length} value={readers} onChange={(event) => setReaders(Math.max(1, Math.min(members.length, Number(event.target.value) || 1)))} style={{ width: 70 }} />
      </label>
    </ActionDialog>
  );
}
