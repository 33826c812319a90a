import { useEffect, useState, type KeyboardEvent } from 'react';
import { reviewStatuses, type ReviewStatus } from '../../../shared/domain.ts';
import { ratingValues } from '../common/rating.ts';
import { Dialog, HintedField, SearchIcon } from '../common/ui.tsx';
import { ExportDialog } from '../export/index.ts';
import { PacketPane } from '../packet/index.ts';
import { ScorecardDialog } from '../scorecards/index.ts';
import { SearchResults } from '../search/index.ts';
import { resultId, resultsListId } from '../search/SearchResults.tsx';
import { useApp } from '../store/index.ts';
import { layoutOf } from '../store/columns.ts';
import { ApplicantTable } from './ApplicantTable.tsx';
import { optionalColumns } from './columns.tsx';

export function ApplicantsScreen() {
  const packetOpen = useApp((state) => state.packetOpen);
  const searching = useApp((state) => state.resultsOpen && state.query.trim() !== '');
  const scorecardOpen = useApp((state) => state.scorecardOpen);
  return (
    <>
      <Toolbar />
      <div className={`workspace${packetOpen ? '' : ' no-packet'}`}>
        {searching ? <SearchResults /> : <ApplicantTable />}
        {packetOpen ? <PacketPane /> : null}
      </div>
      <UndoToast />
      {scorecardOpen ? <ScorecardDialog /> : null}
    </>
  );
}

function Toolbar() {
  const job = useApp((state) => state.jobs.find((candidate) => candidate.id === state.jobId));
  const total = useApp((state) => state.listTotal);
  const query = useApp((state) => state.query);
  const filter = useApp((state) => state.filter);
  const tags = useApp((state) => state.tags);
  const scheme = useApp((state) => state.scheme);
  const [naming, setNaming] = useState(false);
  const packetOpen = useApp((state) => state.packetOpen);
  const exportOpen = useApp((state) => state.exportOpen);
  const search = useApp((state) => state.search);
  const showResults = useApp((state) => state.showResults);
  const resultsShown = useApp((state) => state.resultsOpen && state.results.length > 0);
  const cursor = useApp((state) => state.cursor);
  const setFilter = useApp((state) => state.setFilter);
  const clearFilters = useApp((state) => state.clearFilters);
  const endSearch = useApp((state) => state.endSearch);
  const togglePacket = useApp((state) => state.togglePacket);
  const setExportOpen = useApp((state) => state.setExportOpen);
  const filtered = Object.keys(filter).length > 0 || query.trim() !== '';
  /** In the search box, ↓/↑ move through the results and Enter opens one; Esc ends the search. */
  const searchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    const { resultsOpen, results, moveCursor, openResult, endSearch } = useApp.getState();
    const listed = resultsOpen && results.length > 0;
    if (event.key === 'Escape') {
      endSearch();
      event.currentTarget.blur();
    } else if (listed && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      moveCursor(event.key === 'ArrowDown' ? 1 : -1);
      event.preventDefault();
    } else if (event.key === 'Enter' && listed) {
      openResult(useApp.getState().cursor);
      event.currentTarget.blur();
    } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
      // Nothing to choose: the keys go back to the table, narrowed by what was typed.
      showResults(false);
      event.currentTarget.blur();
    }
  };

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
            aria-controls={resultsListId}
            aria-activedescendant={resultsShown ? resultId(cursor) : undefined}
            onChange={(event) => search(event.target.value)}
            onFocus={() => showResults(true)}
            onKeyDown={(event) => searchKey(event)}
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
              {statusLabel(status)}
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
          <button className="ghost small" onClick={() => { endSearch(); clearFilters(); }}>
            Clear
          </button>
        ) : null}
        <span className="grow" />
        <ColumnChooser />
        <button className="small" onClick={() => setNaming(true)}>
          Save view…
        </button>
        <button className="small" onClick={togglePacket} aria-pressed={packetOpen} title="Show or hide the packet beside the table (p)">
          Packet
        </button>
        <button className="small" onClick={() => useApp.getState().openScorecard(true)} title="Score the open applicant on the job’s criteria (c)">
          Scorecard…
        </button>
        <button className="small" onClick={() => setExportOpen(true)} title="Export letters, packets, the table or interviews (e)">
          Export…
        </button>
      </div>
      <BulkBar />
      {naming ? <SaveViewDialog onClose={() => setNaming(false)} /> : null}
      {exportOpen ? <ExportDialog onClose={() => setExportOpen(false)} /> : null}
    </div>
  );
}

const statusLabel = (status: ReviewStatus) => status[0]?.toUpperCase() + status.slice(1);

/** What to do with the marked applicants: one call each, whatever their number; status changes are undoable. */
function BulkBar() {
  const markedIds = useApp((state) => state.markedIds);
  const setStatus = useApp((state) => state.setStatus);
  const addTag = useApp((state) => state.addTag);
  const clearMarks = useApp((state) => state.clearMarks);
  const setExportOpen = useApp((state) => state.setExportOpen);
  const [tag, setTag] = useState('');
  if (markedIds.length === 0) return null;
  const submitTag = () => {
    if (!tag.trim()) return;
    void addTag(markedIds, tag.trim()).then(() => setTag(''));
  };
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected applicants">
      <strong>{markedIds.length.toLocaleString()} selected</strong>
      <button className="small" onClick={() => void setStatus(markedIds, 'shortlisted')}>
        Shortlist
      </button>
      <button className="small" onClick={() => void setStatus(markedIds, 'rejected')}>
        Reject
      </button>
      <select aria-label="Set status of the selected" value="" onChange={(event) => event.target.value && void setStatus(markedIds, event.target.value as ReviewStatus)}>
        <option value="">Set status…</option>
        {reviewStatuses.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
      <input type="text" aria-label="Tag for the selected" placeholder="Add a tag" value={tag} onChange={(event) => setTag(event.target.value)} onKeyDown={(event) => event.key === 'Enter' && submitTag()} />
      <button className="small" onClick={submitTag} disabled={!tag.trim()}>
        Tag
      </button>
      <button className="small" onClick={() => setExportOpen(true)}>
        Export selected…
      </button>
      <span className="grow" />
      <button className="ghost small" onClick={clearMarks} title="Clear the selection (Esc)">
        Clear selection
      </button>
    </div>
  );
}

/** Which columns the table shows, for the layout on screen (beside the packet, or alone); remembered in this browser. */
function ColumnChooser() {
  const [open, setOpen] = useState(false);
  const packetOpen = useApp((state) => state.packetOpen);
  const chosen = useApp((state) => state.columns[layoutOf(state.packetOpen)]);
  const crossJob = useApp((state) => state.jobId === null);
  const toggleColumn = useApp((state) => state.toggleColumn);
  return (
    <div className="column-chooser" onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
      <button className="small" aria-expanded={open} onClick={() => setOpen(!open)} title="Choose the table's columns">
        Columns…
      </button>
      {open ? (
        <div role="group" aria-label="Columns">
          {optionalColumns.map((column) => (
            <label key={column.key}>
              <input type="checkbox" checked={chosen.includes(column.key)} onChange={() => toggleColumn(column.key)} />
              {column.label}
              {column.crossJob && !crossJob ? <span className="muted">(all jobs only)</span> : null}
            </label>
          ))}
          <p className="muted">{packetOpen ? 'For the table beside the packet; hide the packet (p) for its own set.' : 'For the table without the packet; show the packet (p) for its own set.'}</p>
        </div>
      ) : null}
    </div>
  );
}

/** How long the undo offer stays on screen; `z` undoes the latest status change after that too. */
const undoShownMs = 10_000;

function UndoToast() {
  const latest = useApp((state) => state.statusUndos.at(-1));
  const undoStatus = useApp((state) => state.undoStatus);
  const [hiddenId, setHiddenId] = useState<number | null>(null);
  useEffect(() => {
    if (!latest) return;
    const timer = window.setTimeout(() => setHiddenId(latest.id), undoShownMs);
    return () => window.clearTimeout(timer);
  }, [latest]);
  if (!latest || hiddenId === latest.id) return null;
  return (
    <div className="toast undo-toast" role="status">
      <p>{latest.summary}</p>
      <button className="small" onClick={() => void undoStatus()}>
        Undo <kbd>z</kbd>
      </button>
      <button className="ghost small" aria-label="Dismiss" onClick={() => setHiddenId(latest.id)}>
        ✕
      </button>
    </div>
  );
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
  const saveView = useApp((state) => state.saveView);
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
