import { useEffect, useState } from 'react';
import { reviewStatuses, type ApplicantRow, type DocumentInfo, type Packet, type ReviewStatus } from '../../shared/domain.ts';
import { ratingValues } from './Applicants.tsx';
import { InterviewDialog } from './Interviews.tsx';
import { formatBytes, formatDate, formatDateTime } from './format.ts';
import { PdfViewer } from './PdfViewer.tsx';
import { addTag, attempt, notify, rate, removeTag, saveNote, select, setStatus, useApp } from './store.ts';
import { ratingLabel } from './ui.tsx';

export function PacketPane() {
  const selectedId = useApp((state) => state.selectedId);
  const packet = useApp((state) => (state.packet?.row.applicationId === state.selectedId ? state.packet : null));
  // While a search narrows the list the open applicant may drop out of it; the packet stays open.
  const row = useApp((state) => state.rows.find((candidate) => candidate.applicationId === state.selectedId)) ?? packet?.row;
  if (selectedId === null || !row) {
    return (
      <section className="packet" aria-label="Packet">
        <div className="empty">Select an applicant to read their packet.</div>
      </section>
    );
  }
  return (
    <section className="packet" aria-label={`Packet of ${row.name}`} aria-busy={packet === null} data-application-id={row.applicationId}>
      <Position row={row} />
      <PacketHeader row={row} packet={packet} />
      <div className="packet-body">
        {packet ? <PacketDetails key={packet.row.applicationId} packet={packet} /> : <div className="muted" role="status">Loading packet…</div>}
      </div>
    </section>
  );
}

/** Tells a screen-reader user where j/k landed, since focus stays put while the selection moves. */
function Position({ row }: { row: ApplicantRow }) {
  const index = useApp((state) => state.rows.indexOf(row));
  const count = useApp((state) => state.rows.length);
  return (
    <p className="sr-only" aria-live="polite">
      {row.name}
      {index >= 0 ? `, ${index + 1} of ${count}` : ''}
    </p>
  );
}

function PacketHeader({ row, packet }: { row: ApplicantRow; packet: Packet | null }) {
  const scheme = useApp((state) => state.scheme);
  const [scheduling, setScheduling] = useState(false);
  return (
    <header className="packet-head">
      <div className="who">
        <h2 id="packet-name">{row.name}</h2>
        <span className="muted">
          {[row.institution, [row.degree, row.degreeYear].filter(Boolean).join(' ')].filter(Boolean).join(' · ')}
        </span>
        {row.removedUpstream ? <span className="chip" title="The provider no longer lists this application; your copy is kept">Removed upstream</span> : null}
        <span className="grow" />
        <button className="small" onClick={() => setScheduling(true)}>
          Schedule interview
        </button>
      </div>
      <div className="contact">
        {packet?.email ? <a href={`mailto:${packet.email}`}>{packet.email}</a> : null}
        {packet?.phone ? <span>{packet.phone}</span> : null}
        {packet?.country ? <span>{packet.country}</span> : null}
        {packet?.url ? (
          <a href={packet.url} target="_blank" rel="noreferrer noopener">
            Website
          </a>
        ) : null}
        {packet?.currentPosition ? <span>{packet.currentPosition}</span> : null}
        <span>Applied {formatDate(row.appliedAt)}</span>
        {row.fields.length > 0 ? <span>{row.fields.join(', ')}</span> : null}
      </div>
      <div className="review-bar">
        <div className="rating" role="group" aria-label={`Rating: ${ratingLabel(scheme, row.rating)}`}>
          {ratingValues(scheme).map((value) => (
            <button
              key={value}
              className="small"
              aria-pressed={row.rating === value}
              title={scheme.labels[String(value)] ?? `Rate ${value}`}
              onClick={() => void rate(row.applicationId, row.rating === value ? null : value)}
            >
              {value}
            </button>
          ))}
        </div>
        <label className="row-inline" style={{ gap: 6 }}>
          <span>Status</span>
          <select aria-label="Review status" value={row.status} onChange={(event) => void setStatus([row.applicationId], event.target.value as ReviewStatus)}>
            {reviewStatuses.map((status) => (
              <option key={status} value={status}>
                {status[0]?.toUpperCase() + status.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <TagEditor row={row} />
      </div>
      {scheduling ? (
        <InterviewDialog
          interview={null}
          applicationId={row.applicationId}
          onClose={() => setScheduling(false)}
          onSaved={() => select(row.applicationId, { refresh: true })}
        />
      ) : null}
    </header>
  );
}

function TagEditor({ row }: { row: ApplicantRow }) {
  const [tag, setTag] = useState('');
  const known = useApp((state) => state.tags);
  const submit = () => {
    const value = tag.trim();
    if (!value) return;
    setTag('');
    void addTag([row.applicationId], value);
  };
  return (
    <div className="row-inline" style={{ gap: 4 }}>
      {row.tags.map((name) => (
        <span key={name} className="chip">
          {name}
          <button aria-label={`Remove tag ${name}`} onClick={() => void removeTag([row.applicationId], name)}>
            ✕
          </button>
        </span>
      ))}
      <input
        id="tag-input"
        type="text"
        list="known-tags"
        aria-label="Add a tag"
        placeholder="Add tag (t)"
        value={tag}
        style={{ width: 110, minHeight: 24, padding: '1px 6px', fontSize: 12 }}
        onChange={(event) => setTag(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') submit();
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
      />
      <datalist id="known-tags">
        {known.map((entry) => (
          <option key={entry.name} value={entry.name} />
        ))}
      </datalist>
    </div>
  );
}

function PacketDetails({ packet }: { packet: Packet }) {
  const [documentId, setDocumentId] = useState<number | null>(packet.documents.find((document) => document.available)?.id ?? null);
  const current = packet.documents.find((document) => document.id === documentId) ?? null;
  return (
    <>
      <NoteEditor packet={packet} />
      <section className="panel" aria-label="Documents">
        <h3>Documents ({packet.documents.length})</h3>
        {packet.documents.length === 0 ? <p className="muted">This application has no documents.</p> : null}
        <ul className="doc-list">
          {packet.documents.map((document) => (
            <DocumentItem key={document.id} document={document} current={document.id === documentId} onOpen={() => setDocumentId(document.id)} />
          ))}
        </ul>
        {current ? <DocumentView key={current.id} document={current} /> : null}
      </section>
      <LettersPanel packet={packet} />
      {packet.answers.length > 0 ? (
        <section className="panel" aria-label="Answers">
          <h3>Answers</h3>
          <dl className="answers">
            {packet.answers.map((answer, index) => (
              <div key={index}>
                <dt>{answer.question}</dt>
                <dd>{answer.answer || '—'}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      {packet.interviews.length > 0 ? (
        <section className="panel" aria-label="Interviews with this applicant">
          <h3>Interviews</h3>
          {packet.interviews.map((interview) => (
            <p key={interview.id}>
              <strong>{formatDateTime(interview.startsAt)}</strong> · {interview.title} · <span className={`istatus ${interview.status}`}>{interview.status}</span>
            </p>
          ))}
        </section>
      ) : null}
    </>
  );
}

function DocumentItem({ document, current, onOpen }: { document: DocumentInfo; current: boolean; onOpen: () => void }) {
  const client = useApp((state) => state.transport.client);
  return (
    <li>
      <button className="doc" aria-current={current} onClick={onOpen} disabled={!document.available && document.kind !== 'link'}>
        <span className="doc-kind">{document.kind}</span>
        <span className="grow">
          {document.title}
        </span>
        <span className="muted">{document.available ? formatBytes(document.size) : document.kind === 'link' ? 'link' : 'not downloaded'}</span>
      </button>
      {document.available ? (
        <>
          <button
            className="ghost small"
            aria-label={`Open ${document.title} in the system viewer`}
            title="Open in system viewer"
            onClick={() => void attempt(() => client.call('documents.openExternal', { documentId: document.id }))}
          >
            ↗
          </button>
          <button
            className="ghost small"
            aria-label={`Save ${document.title} as`}
            title="Save as…"
            onClick={() =>
              void attempt(() => client.call('documents.saveAs', { documentId: document.id })).then((result) => {
                if (result?.file) notify(`Saved to ${result.file}`);
              })
            }
          >
            ⤓
          </button>
        </>
      ) : null}
    </li>
  );
}

function DocumentView({ document }: { document: DocumentInfo }) {
  const client = useApp((state) => state.transport.client);
  const [located, setLocated] = useState<{ url: string | null; mimeType: string | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.call('documents.locate', { documentId: document.id }).then(
      (result) => live && setLocated(result.available ? { url: result.url, mimeType: result.mimeType } : { url: null, mimeType: null }),
      (error: unknown) => live && setProblem(error instanceof Error ? error.message : 'This document cannot be opened.'),
    );
    return () => {
      live = false;
    };
  }, [client, document.id]);
  if (problem) return <p className="error-text" role="alert">{problem}</p>;
  if (!located) return <p className="muted">Opening {document.title}…</p>;
  if (!located.url) return <p className="muted">This document has not been downloaded yet. Sync while online to read it here.</p>;
  const isPdf = (located.mimeType ?? document.mimeType ?? '').includes('pdf') || document.fileName?.toLowerCase().endsWith('.pdf');
  if (!isPdf) {
    return (
      <p className="muted">
        {document.title} is a {located.mimeType ?? 'file'} that Dossier does not display; use “open in system viewer”.
      </p>
    );
  }
  return <PdfViewer url={located.url} title={document.title} />;
}

function NoteEditor({ packet }: { packet: Packet }) {
  const [note, setNote] = useState(packet.note);
  const [saved, setSaved] = useState(true);
  const save = () => {
    if (note === packet.note) return setSaved(true);
    void saveNote(packet.row.applicationId, note).then(setSaved);
  };
  return (
    <section className="panel note" aria-label="Private note">
      <h3>
        <label htmlFor="note-input">Private note</label>
        <span className="muted" style={{ textTransform: 'none', letterSpacing: 0, fontWeight: 400, marginLeft: 8 }}>
          {saved ? 'only you see this · n to edit' : 'unsaved — leaves the field or Ctrl+Enter to save'}
        </span>
      </h3>
      <textarea
        id="note-input"
        value={note}
        placeholder="Your impressions, questions for the interview…"
        onChange={(event) => {
          setNote(event.target.value);
          setSaved(false);
        }}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) save();
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
      />
    </section>
  );
}

function LettersPanel({ packet }: { packet: Packet }) {
  const { row } = packet;
  if (packet.letters.length === 0 && row.lettersExpected === 0) return null;
  return (
    <section className="panel" aria-label="Letters">
      <h3>
        Letters {row.lettersReceived}/{row.lettersExpected}
      </h3>
      <table className="plain">
        <tbody>
          {packet.letters.map((letter) => (
            <tr key={letter.id}>
              <td>
                <strong>{letter.writerName}</strong>
                {letter.writerInstitution ? <span className="muted"> · {letter.writerInstitution}</span> : null}
              </td>
              <td className="muted">{letter.receivedAt ? `received ${formatDate(letter.receivedAt)}` : 'not received yet'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
