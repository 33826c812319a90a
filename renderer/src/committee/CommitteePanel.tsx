import { useEffect, useRef, useState } from 'react';
import type { Committee, CommitteeCandidate } from '../../../shared/api/committee.ts';
import { reviewStatuses, type ReviewStatus } from '../../../shared/domain.ts';
import { formatDateTime } from '../common/format.ts';
import { StatusBadge } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';
import { ConnectionBadge, formatValue, memberLabel, useCommitteeData } from './shared.tsx';

/** A shared note is sent this long after the last key press, or when the field is left. */
const noteDebounceMs = 800;

/** The committees reviewing this application, each with what its members share about the candidate. */
export function CommitteePanels({ applicationId }: { applicationId: number }) {
  const client = useApp((state) => state.transport.client);
  const known = useApp((state) => state.committees);
  const { data: committees } = useCommitteeData(
    known.map((committee) => committee.id),
    () => client.call('committee.forApplication', { applicationId }),
    String(applicationId),
  );
  if (!committees || committees.length === 0) return null;
  return (
    <>
      {committees.map((committee) => (
        <CommitteePanel key={committee.id} committee={known.find((candidate) => candidate.id === committee.id) ?? committee} applicationId={applicationId} />
      ))}
    </>
  );
}

function CommitteePanel({ committee, applicationId }: { committee: Committee; applicationId: number }) {
  const client = useApp((state) => state.transport.client);
  const { data: fetched, problem } = useCommitteeData([committee.id], () => client.call('committee.candidate', { committeeId: committee.id, applicationId }), String(applicationId));
  // What this panel itself just wrote shows at once, until the next fetch (after the change event) brings the same or newer.
  const [written, setWrittenOver] = useState<{ over: CommitteeCandidate | null; candidate: CommitteeCandidate } | null>(null);
  const setWritten = (candidate: CommitteeCandidate) => setWrittenOver({ over: fetched, candidate });
  const candidate = written && written.over === fetched ? written.candidate : fetched;
  const me = candidate?.members.find((member) => member.isMe);
  const assigned = candidate?.members.filter((member) => member.assigned && !member.revoked) ?? [];
  return (
    <section className="panel committee-panel" aria-label={`Committee ${committee.name}`} id={`committee-panel-${committee.id}`}>
      <h3 className="row-inline">
        <span className="grow">Committee · {committee.name}</span>
        <ConnectionBadge committee={committee} />
      </h3>
      {problem ? (
        <p className="error-text" role="alert">
          {problem}
        </p>
      ) : null}
      {!candidate ? (
        <p className="muted" role="status">
          Loading what the committee shares…
        </p>
      ) : (
        <>
          <p className="muted committee-shared-hint">Your rating, scorecard, shared note and proposal are seen by the committee. Your private note is not.</p>
          <table className="plain committee-members">
            <thead>
              <tr>
                <th>Member</th>
                <th>Rating</th>
                <th>Score</th>
                <th>Proposes</th>
              </tr>
            </thead>
            <tbody>
              {candidate.members
                .filter((member) => !member.revoked || member.rating !== null || member.sharedNote !== '')
                .map((member) => (
                  <tr key={member.memberId} className={member.isMe ? 'me' : undefined} data-member={member.name}>
                    <td>
                      <strong>{memberLabel(member)}</strong>
                      {member.revoked ? <span className="muted"> · removed</span> : null}
                      {!member.read ? <span className="muted"> · not read yet</span> : null}
                      {member.sharedNote && !member.isMe ? <p className="shared-note">{member.sharedNote}</p> : null}
                    </td>
                    <td className="num" aria-label={`${member.name}’s rating`}>
                      {formatValue(member.rating)}
                    </td>
                    <td className="num" title={member.scores.map((score) => `${score.criterion}: ${score.score}`).join('\n') || undefined}>
                      {formatValue(member.score)}
                    </td>
                    <td>{member.proposal ? <StatusBadge status={member.proposal} /> : <span className="muted">–</span>}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p className="muted">{assigned.length > 0 ? `Assigned to ${assigned.map((member) => (member.isMe ? 'you' : member.name)).join(', ')}.` : 'Not assigned to anyone.'}</p>
          {me && committee.connection !== 'revoked' ? (
            <>
              <SharedNote key={`${committee.id}-${applicationId}`} committeeId={committee.id} applicationId={applicationId} note={me.sharedNote} onSaved={setWritten} />
              <label className="row-inline committee-propose">
                <span>Propose</span>
                <select
                  aria-label="Propose a status to the committee"
                  title="The committee sees your proposal; your own status above stays as it is"
                  value={me.proposal ?? ''}
                  onChange={(event) => {
                    const status = event.target.value === '' ? null : (event.target.value as ReviewStatus);
                    void useApp.getState().attempt(() => client.call('committee.propose', { committeeId: committee.id, applicationId, status })).then((result) => result && setWritten(result));
                  }}
                >
                  <option value="">No proposal</option>
                  {reviewStatuses.map((status) => (
                    <option key={status} value={status}>
                      {status[0]?.toUpperCase() + status.slice(1)}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
          <Discussion committee={committee} candidate={candidate} applicationId={applicationId} onPosted={setWritten} />
        </>
      )}
    </section>
  );
}

/** The member's note to the committee: sent while typing pauses and when the field is left, never lost on a quick move to the next candidate. */
function SharedNote({ committeeId, applicationId, note, onSaved }: { committeeId: string; applicationId: number; note: string; onSaved: (candidate: CommitteeCandidate) => void }) {
  const client = useApp((state) => state.transport.client);
  const [draft, setDraft] = useState(note);
  const [state, setState] = useState<'saved' | 'editing' | 'saving' | 'failed'>('saved');
  const focused = useRef(false);
  const sent = useRef(note);
  const timer = useRef<number | null>(null);
  // Another device of the member's (or a late answer) changed it: take it while the reviewer is not typing here.
  useEffect(() => {
    if (!focused.current && note !== sent.current) {
      sent.current = note;
      setDraft(note);
    }
  }, [note]);
  const save = (text: string) => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
    if (text === sent.current) return setState('saved');
    const previous = sent.current;
    sent.current = text;
    setState('saving');
    client.call('committee.setSharedNote', { committeeId, applicationId, note: text }).then(
      (candidate) => {
        setState(sent.current === text ? 'saved' : 'editing');
        onSaved(candidate);
      },
      () => {
        sent.current = previous;
        setState('failed');
      },
    );
  };
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  const draftRef = useRef(draft);
  useEffect(() => {
    draftRef.current = draft;
  }, [draft]);
  // Leaving the packet while a save waits sends it.
  useEffect(() => () => saveRef.current(draftRef.current), []);
  const id = `shared-note-${committeeId}-${applicationId}`;
  return (
    <div className="shared-note-editor">
      <label htmlFor={id}>
        <strong>Your shared note</strong> <span className="muted">— the committee sees this · {state === 'saved' ? 'saved' : state === 'saving' ? 'saving…' : state === 'failed' ? 'not saved: it is tried again when you leave the field' : 'unsaved'}</span>
      </label>
      <textarea
        id={id}
        value={draft}
        placeholder="What the other members should know about this candidate"
        onFocus={() => {
          focused.current = true;
        }}
        onChange={(event) => {
          const text = event.target.value;
          setDraft(text);
          setState('editing');
          if (timer.current !== null) window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => saveRef.current(text), noteDebounceMs);
        }}
        onBlur={() => {
          focused.current = false;
          save(draft);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
      />
    </div>
  );
}

function Discussion({ committee, candidate, applicationId, onPosted }: { committee: Committee; candidate: CommitteeCandidate; applicationId: number; onPosted: (candidate: CommitteeCandidate) => void }) {
  const client = useApp((state) => state.transport.client);
  const attempt = useApp((state) => state.attempt);
  const [text, setText] = useState('');
  const [posting, setPosting] = useState(false);
  const post = () => {
    if (!text.trim() || posting) return;
    setPosting(true);
    void attempt(() => client.call('committee.post', { committeeId: committee.id, applicationId, text })).then((result) => {
      setPosting(false);
      if (!result) return;
      setText('');
      onPosted(result);
    });
  };
  return (
    <div className="discussion" aria-label="Discussion" role="region">
      <h4>Discussion ({candidate.discussion.length})</h4>
      {candidate.discussion.length === 0 ? <p className="muted">No messages yet.</p> : null}
      <ol className="messages">
        {candidate.discussion.map((message) => (
          <li key={message.id}>
            <span className="who">{message.memberName}</span> <span className="muted">{formatDateTime(message.at)}</span>
            <p>{message.text}</p>
          </li>
        ))}
      </ol>
      {committee.connection !== 'revoked' ? (
        <div className="post-box">
          <textarea
            aria-label="Write to the committee"
            rows={2}
            value={text}
            placeholder="Write to the committee (Ctrl+Enter sends)"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) post();
              if (event.key === 'Escape') event.currentTarget.blur();
            }}
          />
          <button className="small" onClick={post} disabled={posting || !text.trim()}>
            {posting ? 'Posting…' : 'Post'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
