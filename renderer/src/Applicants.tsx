import { memo, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { reviewStatuses, type ApplicantRow, type ApplicantSort, type RatingScheme } from '../../shared/domain.ts';
import { formatDate } from './format.ts';
import { ExportDialog } from './ExportDialog.tsx';
import { PacketPane } from './Packet.tsx';
import { clearFilters, saveView, select, setExportOpen, setFilter, setQuery, setSort, togglePacket, useApp } from './store.ts';
import { Dialog, HintedField, RatingDisplay, SearchIcon, Snippet, StatusBadge } from './ui.tsx';

export function ApplicantsScreen() {
  const packetOpen = useApp((state) => state.packetOpen);
  return (
    <>
      <Toolbar />
      <div className={`workspace${packetOpen ? '' : ' no-packet'}`}>
        <ApplicantTable />
        {packetOpen ? <PacketPane /> : null}
      </div>
    </>
  );
}

function Toolbar() {
  const job = useApp((state) => state.jobs.find((candidate) => candidate.id === state.jobId));
  const total = useApp((state) => state.total);
  const query = useApp((state) => state.query);
  const filter = useApp((state) => state.filter);
  const tags = useApp((state) => state.tags);
  const scheme = useApp((state) => state.scheme);
  const [naming, setNaming] = useState(false);
  const packetOpen = useApp((state) => state.packetOpen);
  const exportOpen = useApp((state) => state.exportOpen);
  const filtered = Object.keys(filter).length > 0 || query.trim() !== '';

  return (
    <div className="toolbar">
      <div className="title-row">
        <h1>{job?.title ?? 'All applicants'}</h1>
        <span className="sub">
          {[job?.department, job?.location, `${total.toLocaleString()} ${filtered ? 'matching' : 'applicants'}`].filter(Boolean).join(' · ')}
        </span>
        <span className="grow" />
        <div className="search" role="search">
          <SearchIcon />
          <input
            id="applicant-search"
            type="search"
            placeholder="Search applicants, letters, papers   /"
            aria-label="Search applicants"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                if (query) setQuery('');
                event.currentTarget.blur();
              }
              if (event.key === 'Enter' || event.key === 'ArrowDown') event.currentTarget.blur();
            }}
          />
        </div>
      </div>
      <div className="filters" aria-label="Filters">
        <input
          type="text"
          aria-label="Field"
          placeholder="Field (e.g. labor)"
          value={filter.field ?? ''}
          onChange={(event) => setFilter({ field: event.target.value || undefined })}
          style={{ width: 150 }}
        />
        <select
          aria-label="Status"
          value={filter.statuses?.[0] ?? ''}
          onChange={(event) => setFilter({ statuses: event.target.value ? [event.target.value as (typeof reviewStatuses)[number]] : undefined })}
        >
          <option value="">Any status</option>
          {reviewStatuses.map((status) => (
            <option key={status} value={status}>
              {status[0]?.toUpperCase() + status.slice(1)}
            </option>
          ))}
        </select>
        <select aria-label="Tag" value={filter.tags?.[0] ?? ''} onChange={(event) => setFilter({ tags: event.target.value ? [event.target.value] : undefined })}>
          <option value="">Any tag</option>
          {tags.map((tag) => (
            <option key={tag.name} value={tag.name}>
              {tag.name} ({tag.count})
            </option>
          ))}
        </select>
        <select
          aria-label="Minimum rating"
          value={filter.minRating ?? ''}
          onChange={(event) => setFilter({ minRating: event.target.value ? Number(event.target.value) : undefined })}
        >
          <option value="">Any rating</option>
          {ratingValues(scheme).map((value) => (
            <option key={value} value={value}>
              {value}+
            </option>
          ))}
        </select>
        <TriState label="Letters complete" value={filter.lettersComplete} onChange={(lettersComplete) => setFilter({ lettersComplete })} />
        <TriState label="Interview" value={filter.hasInterview} onChange={(hasInterview) => setFilter({ hasInterview })} />
        {filtered ? (
          <button className="ghost small" onClick={clearFilters}>
            Clear
          </button>
        ) : null}
        <span className="grow" />
        <button className="small" onClick={() => setNaming(true)}>
          Save view…
        </button>
        <button className="small" onClick={togglePacket} aria-pressed={packetOpen} title="Show or hide the packet beside the table (p)">
          Packet
        </button>
        <button className="small" onClick={() => setExportOpen(true)} title="Export letters, packets, the table or interviews (e)">
          Export…
        </button>
      </div>
      {naming ? <SaveViewDialog onClose={() => setNaming(false)} /> : null}
      {exportOpen ? <ExportDialog onClose={() => setExportOpen(false)} /> : null}
    </div>
  );
}

export function ratingValues(scheme: RatingScheme): number[] {
  return Array.from({ length: Math.max(0, scheme.max - scheme.min + 1) }, (_, index) => scheme.min + index);
}

function TriState({ label, value, onChange }: { label: string; value: boolean | undefined; onChange: (value: boolean | undefined) => void }) {
  return (
    <select aria-label={label} value={value === undefined ? '' : String(value)} onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value === 'true')}>
      <option value="">{label}: any</option>
      <option value="true">{label}: yes</option>
      <option value="false">{label}: no</option>
    </select>
  );
}

function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const submit = () => {
    if (!name.trim()) return;
    void saveView(name.trim()).then(onClose);
  };
  return (
    <Dialog
      title="Save this view"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={submit} disabled={!name.trim()}>
            Save view
          </button>
        </>
      }
    >
      <HintedField label="Name" hint="Keeps the current job, filters, search and sort.">
        <input type="text" value={name} onChange={(event) => setName(event.target.value)} onKeyDown={(event) => event.key === 'Enter' && submit()} placeholder="e.g. Labor, letters complete" />
      </HintedField>
    </Dialog>
  );
}

const columns: { label: string; sort?: ApplicantSort['key']; className?: string }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Institution', sort: 'institution' },
  { label: 'Degree', sort: 'degreeYear' },
  { label: 'Fields', className: 'col-fields' },
  { label: 'Applied', sort: 'appliedAt', className: 'col-applied' },
  { label: 'Letters', sort: 'letters' },
  { label: 'Rating', sort: 'rating' },
  { label: 'Tags', className: 'col-tags' },
  { label: 'Status', sort: 'status' },
];

function ApplicantTable() {
  const rows = useApp((state) => state.rows);
  const total = useApp((state) => state.total);
  const selectedId = useApp((state) => state.selectedId);
  const sort = useApp((state) => state.sort);
  const searching = useApp((state) => state.query.trim() !== '');
  const snippets = useApp((state) => state.snippets);
  const scheme = useApp((state) => state.scheme);
  const loading = useApp((state) => state.rowsLoading);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = searching ? 52 : 34;
  const filtered = useApp((state) => Object.keys(state.filter).length > 0);
  const syncing = useApp((state) => Object.keys(state.progress).length > 0);
  const emptyMessage = searching
    ? 'No applicant matches this search.'
    : filtered
      ? 'No applicants match these filters.'
      : syncing
        ? 'Syncing — applicants appear here as they arrive.'
        : 'No applicants here yet. Sync an account to fetch them.';

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is the library made for this; its results are read during render only
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (index) => rows[index]?.applicationId ?? index,
  });

  const selectedIndex = rows.findIndex((row) => row.applicationId === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  return (
    <div className="table-wrap">
      <div className="table-scroll" ref={scrollRef}>
        <div role="grid" aria-label="Applicants" aria-rowcount={rows.length + 1} aria-busy={loading}>
          <div className="grid-row grid-head" role="row" aria-rowindex={1}>
            {columns.map((column) => (
              <div key={column.label} role="columnheader" className={column.className} aria-sort={sort && sort.key === column.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                {column.sort ? (
                  <button onClick={() => column.sort && setSort(column.sort)} aria-label={`Sort by ${column.label}`}>
                    {column.label}
                    {sort?.key === column.sort ? <span aria-hidden="true">{sort.direction === 'asc' ? '▲' : '▼'}</span> : null}
                  </button>
                ) : (
                  column.label
                )}
              </div>
            ))}
          </div>
          <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <Row
                  key={item.key}
                  row={row}
                  index={item.index}
                  top={item.start}
                  selected={row.applicationId === selectedId}
                  snippet={searching ? (snippets.get(row.applicationId) ?? '') : null}
                  scheme={scheme}
                />
              );
            })}
          </div>
        </div>
        {rows.length === 0 && !loading ? <div className="empty">{emptyMessage}</div> : null}
      </div>
      <div className="table-foot">
        <span>
          {rows.length.toLocaleString()} of {total.toLocaleString()} shown
        </span>
        <span>
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>1</kbd>–<kbd>5</kbd> rate · <kbd>s</kbd> shortlist · <kbd>?</kbd> all shortcuts
        </span>
      </div>
    </div>
  );
}

interface RowProps {
  row: ApplicantRow;
  index: number;
  top: number;
  selected: boolean;
  snippet: string | null;
  scheme: RatingScheme;
}

const Row = memo(function Row({ row, index, top, selected, snippet, scheme }: RowProps) {
  const lettersComplete = row.lettersExpected > 0 && row.lettersReceived >= row.lettersExpected;
  return (
    <div
      className={`grid-row${snippet !== null ? ' searching' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-application-id={row.applicationId}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => select(row.applicationId)}
    >
      <div role="gridcell" className="cell-name" title={row.name}>
        <span className="name">{row.name}</span>
        {snippet ? (
          <span className="snippet">
            <Snippet text={snippet} />
          </span>
        ) : null}
      </div>
      <div role="gridcell" title={row.institution ?? ''}>{row.institution ?? '—'}</div>
      <div role="gridcell">{[row.degree, row.degreeYear].filter(Boolean).join(' ') || '—'}</div>
      <div role="gridcell" className="col-fields" title={row.fields.join(', ')}>{row.fields.join(', ')}</div>
      <div role="gridcell" className="col-applied num">{formatDate(row.appliedAt)}</div>
      <div role="gridcell" className={`num letters ${lettersComplete ? 'complete' : row.lettersExpected > 0 ? 'missing' : ''}`} aria-label={`${row.lettersReceived} of ${row.lettersExpected} letters`}>
        {row.lettersReceived}/{row.lettersExpected}
      </div>
      <div role="gridcell">
        <RatingDisplay rating={row.rating} scheme={scheme} />
      </div>
      <div role="gridcell" className="col-tags" title={row.tags.join(', ')}>
        {row.tags.map((tag) => (
          <span key={tag} className="chip">{tag}</span>
        ))}
      </div>
      <div role="gridcell">
        <StatusBadge status={row.status} />
      </div>
    </div>
  );
});
