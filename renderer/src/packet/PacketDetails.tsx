import { useEffect, useState } from 'react';
import type { ApplicantRow, DocumentInfo } from '../../../shared/domain.ts';
import { CommitteePanels } from '../committee/CommitteePanel.tsx';
import { formatBytes, formatDate, formatDateTime } from '../common/format.ts';
import { useApp, type PacketBody } from '../store/index.ts';
import { readableDocuments, readerDocument } from '../store/packet.ts';
import { PdfViewer } from './PdfViewer.tsx';

export function PacketDetails({ row, packet }: { row: ApplicantRow; packet: PacketBody }) {
  return (
    <>
      <Reader packet={packet} />
      <NoteEditor packet={packet} />
      <CommitteePanels applicationId={packet.applicationId} />
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

/** How long a document must stay in front of the reviewer to count as read: paging through with . and , does not mark everything. */
const readAfterMs = 1500;

/**
 * The packet's documents and the one being read, filling the pane: the list folds to a strip of
 * tabs (remembered), a second document can sit beside the first, and f fills the window.
 */
function Reader({ packet }: { packet: PacketBody }) {
  const reader = useApp((state) => state.reader);
  const readIds = useApp((state) => state.readIds);
  const openDocument = useApp((state) => state.openDocument);
  const setBeside = useApp((state) => state.setBeside);
  const setReadingMode = useApp((state) => state.setReadingMode);
  const toggleDocumentList = useApp((state) => state.toggleDocumentList);
  const markRead = useApp((state) => state.markRead);
  const current = readerDocument(packet, reader.documentId, readIds);
  const beside = readableDocuments(packet).find((document) => document.id === reader.besideId && document.id !== current?.id) ?? null;
  const unread = packet.documents.filter((document) => document.available && !readIds.has(document.id)).length;

  // The reader stays on the document it opened, even once that one is read and no longer the first unread.
  useEffect(() => {
    if (current && reader.documentId !== current.id) openDocument(current.id);
  }, [current, reader.documentId, openDocument]);

  // Opening a document marks it read after a moment, once per opening: a reviewer who then marks it
  // unread while it is still open keeps it unread.
  const currentId = current?.id ?? null;
  useEffect(() => {
    if (currentId === null || useApp.getState().readIds.has(currentId)) return;
    const timer = setTimeout(() => void markRead(currentId, true), readAfterMs);
    return () => clearTimeout(timer);
  }, [currentId, markRead]);

  const listId = `documents-of-${packet.applicationId}`;
  return (
    <section className={`panel reader${reader.readingMode ? ' reading' : ''}`} aria-label="Documents">
      <header className="reader-head">
        <button className="ghost small reader-toggle" aria-expanded={reader.listOpen} aria-controls={listId} onClick={toggleDocumentList}>
          <span aria-hidden="true">{reader.listOpen ? '▾' : '▸'}</span> Documents ({packet.documents.length})
        </button>
        <span className={`unread-count${unread > 0 ? ' some' : ''}`} aria-label={`${unread} unread`}>
          {unread === 0 ? 'all read' : `${unread} unread`}
        </span>
        {!reader.listOpen ? (
          <div className="doc-tabs" role="group" aria-label="Open a document">
            {readableDocuments(packet).map((document) => (
              <button key={document.id} className="small" aria-pressed={document.id === current?.id} title={document.title} onClick={() => openDocument(document.id)}>
                {readIds.has(document.id) ? null : <span className="unread-dot" aria-label="unread" />}
                {document.title}
              </button>
            ))}
          </div>
        ) : (
          <span className="grow" />
        )}
        {readableDocuments(packet).length > 1 ? (
          <label className="beside-choice">
            <span>Beside</span>
            <select aria-label="Show beside" value={beside?.id ?? ''} onChange={(event) => setBeside(event.target.value === '' ? null : Number(event.target.value))}>
              <option value="">—</option>
              {readableDocuments(packet)
                .filter((document) => document.id !== current?.id)
                .map((document) => (
                  <option key={document.id} value={document.id}>
                    {document.title}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <button
          className="small"
          aria-pressed={reader.readingMode}
          title={reader.readingMode ? 'Back to the packet (Esc)' : 'Read in the whole window (f)'}
          onClick={() => setReadingMode(!reader.readingMode)}
        >
          {reader.readingMode ? 'Exit full window' : 'Full window'}
        </button>
      </header>
      {packet.documents.length === 0 ? <p className="muted">This application has no documents.</p> : null}
      {reader.listOpen ? (
        <ul className="doc-list" id={listId}>
          {packet.documents.map((document) => (
            <DocumentItem key={document.id} document={document} read={readIds.has(document.id)} current={document.id === current?.id} onOpen={() => openDocument(document.id)} />
          ))}
        </ul>
      ) : null}
      <div className={`reader-views${beside ? ' beside' : ''}`}>
        {current ? <DocumentView key={current.id} document={current} paged /> : null}
        {beside ? <DocumentView key={beside.id} document={beside} paged={false} /> : null}
      </div>
    </section>
  );
}

function DocumentItem({ document, read, current, onOpen }: { document: DocumentInfo; read: boolean; current: boolean; onOpen: () => void }) {
  return (
    <li>
      <button className="doc" aria-current={current} onClick={onOpen} disabled={!document.available && document.kind !== 'link'}>
        <span className="doc-kind">{document.kind}</span>
        <span className="grow">
          {document.available && !read ? <span className="unread-dot" aria-label="unread" /> : null}
          {document.title}
        </span>
        <span className="muted">{document.available ? formatBytes(document.size) : document.kind === 'link' ? 'link' : 'not downloaded'}</span>
      </button>
      {document.available ? <DocumentActions document={document} read={read} /> : null}
    </li>
  );
}

/** Open in the system viewer, save a copy, and the read mark: beside each listed document and in the reader's toolbar. */
function DocumentActions({ document, read }: { document: DocumentInfo; read: boolean }) {
  const client = useApp((state) => state.transport.client);
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
  const markRead = useApp((state) => state.markRead);
  return (
    <span className="doc-actions">
      <button
        className="ghost small"
        aria-label={read ? `Mark ${document.title} unread` : `Mark ${document.title} read`}
        title={read ? 'Mark unread' : 'Mark read'}
        onClick={() => void markRead(document.id, !read)}
      >
        {read ? '○' : '●'}
      </button>
      <button
        className="ghost small"
        aria-label={`Open ${document.title} in the system viewer`}
        title="Open in system viewer"
        onClick={() =>
          void attempt(() => client.call('documents.openExternal', { documentId: document.id })).then((result) => {
            if (result?.opened === false && result.file !== null) notify(`“${document.fileName ?? document.title}” is not a document type, so it was not opened (it could run a program). Saved to ${result.file}`);
          })
        }
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
    </span>
  );
}

function DocumentView({ document, paged }: { document: DocumentInfo; paged: boolean }) {
  const client = useApp((state) => state.transport.client);
  const read = useApp((state) => state.readIds.has(document.id));
  // Opened from a search result for this document: the reader lands on the words and marks them.
  const highlight = useApp((state) => (state.searchFocus?.documentId === document.id ? state.searchFocus.query : null));
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
      <div className="pdf-viewer">
        <div className="pdf-toolbar">
          <span className="muted grow">{document.title}</span>
          <DocumentActions document={document} read={read} />
        </div>
        <p className="muted">
          {document.title} is a {located.mimeType ?? 'file'} that Dossier does not display; use “open in system viewer”.
        </p>
      </div>
    );
  }
  return <PdfViewer url={located.url} title={document.title} paged={paged} highlight={highlight} actions={<DocumentActions document={document} read={read} />} />;
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
