import { memo, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApplicantRow, ApplicantSort, RatingScheme } from '../../../shared/domain.ts';
import { formatDate } from '../common/format.ts';
import { RatingDisplay, Snippet, StatusBadge } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';

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

export function ApplicantTable() {
  const listIds = useApp((state) => state.listIds);
  const rowsById = useApp((state) => state.rowsById);
  const total = useApp((state) => state.listTotal);
  const selectedId = useApp((state) => state.selectedId);
  const sort = useApp((state) => state.sort);
  const searching = useApp((state) => state.query.trim() !== '');
  const snippets = useApp((state) => state.snippets);
  const scheme = useApp((state) => state.scheme);
  const loading = useApp((state) => state.rowsLoading);
  const setSort = useApp((state) => state.setSort);
  const select = useApp((state) => state.select);
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
    count: listIds.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (index) => listIds[index] ?? index,
  });

  const selectedIndex = selectedId === null ? -1 : listIds.indexOf(selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  return (
    <div className="table-wrap">
      <div className="table-scroll" ref={scrollRef}>
        <div role="grid" aria-label="Applicants" aria-rowcount={listIds.length + 1} aria-busy={loading}>
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
              const id = listIds[item.index];
              const row = id === undefined ? undefined : rowsById[id];
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
                  onSelect={select}
                />
              );
            })}
          </div>
        </div>
        {listIds.length === 0 && !loading ? <div className="empty">{emptyMessage}</div> : null}
      </div>
      <div className="table-foot">
        <span>
          {listIds.length.toLocaleString()} of {total.toLocaleString()} shown
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
  onSelect: (applicationId: number) => void;
}

const Row = memo(function Row({ row, index, top, selected, snippet, scheme, onSelect }: RowProps) {
  const lettersComplete = row.lettersExpected > 0 && row.lettersReceived >= row.lettersExpected;
  return (
    <div
      className={`grid-row${snippet !== null ? ' searching' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-application-id={row.applicationId}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(row.applicationId)}
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
