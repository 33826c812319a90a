import { useState } from 'react';
import { reviewStatuses } from '../../../shared/domain.ts';
import { ratingValues } from '../common/rating.ts';
import { Dialog, HintedField, SearchIcon } from '../common/ui.tsx';
import { ExportDialog } from '../export/index.ts';
import { PacketPane } from '../packet/index.ts';
import { useApp } from '../store/index.ts';
import { ApplicantTable } from './ApplicantTable.tsx';

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
  const total = useApp((state) => state.listTotal);
  const query = useApp((state) => state.query);
  const filter = useApp((state) => state.filter);
  const tags = useApp((state) => state.tags);
  const scheme = useApp((state) => state.scheme);
  const [naming, setNaming] = useState(false);
  const packetOpen = useApp((state) => state.packetOpen);
  const exportOpen = useApp((state) => state.exportOpen);
  const setQuery = useApp((state) => state.setQuery);
  const setFilter = useApp((state) => state.setFilter);
  const clearFilters = useApp((state) => state.clearFilters);
  const togglePacket = useApp((state) => state.togglePacket);
  const setExportOpen = useApp((state) => state.setExportOpen);
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
