import { useState } from 'react';
import { reviewStatuses, type ApplicantRow, type OtherApplication, type ReviewStatus } from '../../../shared/domain.ts';
import { formatDate } from '../common/format.ts';
import { ratingLabel, ratingValues } from '../common/rating.ts';
import { InterviewDialog } from '../interviews/index.ts';
import { useApp, type PacketBody } from '../store/index.ts';
import { ApplyToJobButton, PacketPendingWrites } from './ApplyToJob.tsx';
import { PacketDetails } from './PacketDetails.tsx';

export function PacketPane() {
  const selectedId = useApp((state) => state.selectedId);
  const packet = useApp((state) => (state.selectedId === null ? undefined : state.packets.get(state.selectedId))) ?? null;
  // Held by id, the open applicant's row outlives a search that narrows it out of the list: the packet stays open.
  const row = useApp((state) => (state.selectedId === null ? undefined : state.rowsById[state.selectedId]));
  if (selectedId === null || !row) {
    return (
      <section className="packet" aria-label="Packet">
        <div className="empty">{selectedId === null ? 'Select an applicant to read their packet.' : 'Loading packet…'}</div>
      </section>
    );
  }
  return (
    <section className="packet" aria-label={`Packet of ${row.name}`} aria-busy={packet === null} data-application-id={row.applicationId}>
      <Position row={row} />
      <PacketHeader row={row} packet={packet} />
      <div className="packet-body">
        {packet ? <PacketDetails key={packet.applicationId} row={row} packet={packet} /> : <div className="muted" role="status">Loading packet…</div>}
      </div>
    </section>
  );
}

/** Tells a screen-reader user where j/k landed, since focus stays put while the selection moves. */
function Position({ row }: { row: ApplicantRow }) {
  const index = useApp((state) => state.listIds.indexOf(row.applicationId));
  const count = useApp((state) => state.listIds.length);
  return (
    <p className="sr-only" aria-live="polite">
      {row.name}
      {index >= 0 ? `, ${index + 1} of ${count}` : ''}
    </p>
  );
}

function PacketHeader({ row, packet }: { row: ApplicantRow; packet: PacketBody | null }) {
  const scheme = useApp((state) => state.scheme);
  const rate = useApp((state) => state.rate);
  const setStatus = useApp((state) => state.setStatus);
  const select = useApp((state) => state.select);
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
        <ApplyToJobButton row={row} />
        <button className="small" onClick={() => setScheduling(true)}>
          Schedule interview
        </button>
      </div>
      <PacketPendingWrites row={row} />
      {packet && packet.alsoApplied.length > 0 ? <AlsoApplied entries={packet.alsoApplied} /> : null}
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

/** The same person's other applications in this account (decision 0014), each opening its own packet. */
function AlsoApplied({ entries }: { entries: readonly OtherApplication[] }) {
  const openApplication = useApp((state) => state.openApplication);
  const summary = (entry: OtherApplication) => `${entry.jobTitle ?? 'A job no longer listed'} (${entry.removedUpstream ? 'removed upstream' : entry.status})`;
  return (
    <p className="also-applied" title={`Also applied to: ${entries.map(summary).join(', ')}`}>
      <span className="muted">Also applied to:</span>{' '}
      {entries.map((entry, index) => (
        <span key={entry.applicationId}>
          {index > 0 ? <span className="separator">, </span> : null}
          <button className="link" onClick={() => openApplication(entry.applicationId, entry.jobId)}>
            {summary(entry)}
          </button>
        </span>
      ))}
    </p>
  );
}

function TagEditor({ row }: { row: ApplicantRow }) {
  const [tag, setTag] = useState('');
  const known = useApp((state) => state.tags);
  const addTag = useApp((state) => state.addTag);
  const removeTag = useApp((state) => state.removeTag);
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
