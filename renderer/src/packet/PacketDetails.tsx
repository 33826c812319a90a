import { useEffect, useState } from 'react';
import type { ApplicantRow, DocumentInfo } from '../../../shared/domain.ts';
import { formatBytes, formatDate, formatDateTime } from '../common/format.ts';
import { useApp, type PacketBody } from '../store/index.ts';
import { PdfViewer } from './PdfViewer.tsx';

export function PacketDetails({ row, packet }: { row: ApplicantRow; packet: PacketBody }) {
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
      <LettersPanel row={row} packet={packet} />
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
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
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

function NoteEditor({ packet }: { packet: PacketBody }) {
  const [note, setNote] = useState(packet.note);
  const [saved, setSaved] = useState(true);
  const saveNote = useApp((state) => state.saveNote);
  const save = () => {
    if (note === packet.note) return setSaved(true);
    void saveNote(packet.applicationId, note).then(setSaved);
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

function LettersPanel({ row, packet }: { row: ApplicantRow; packet: PacketBody }) {
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
