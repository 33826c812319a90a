import { memo, useEffect, useMemo, useRef, type CSSProperties, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApplicantRow } from '../../../shared/domain.ts';
import { useApp } from '../store/index.ts';
import { layoutOf } from '../store/columns.ts';
import { markTrack, visibleColumns, type CellContext, type Column } from './columns.tsx';

/** Every row is one line: search snippets have their own list (renderer/src/search/). */
const rowHeight = 34;

export function ApplicantTable() {
  const listIds = useApp((state) => state.listIds);
  const rowsById = useApp((state) => state.rowsById);
  const total = useApp((state) => state.listTotal);
  const selectedId = useApp((state) => state.selectedId);
  const sort = useApp((state) => state.sort);
  const searching = useApp((state) => state.query.trim() !== '');
  const scheme = useApp((state) => state.scheme);
  const loading = useApp((state) => state.rowsLoading);
  const setSort = useApp((state) => state.setSort);
  const select = useApp((state) => state.select);
  const markedIds = useApp((state) => state.markedIds);
  const chosen = useApp((state) => state.columns[layoutOf(state.packetOpen)]);
  const crossJob = useApp((state) => state.jobId === null);
  const accounts = useApp((state) => state.accounts);
  const providers = useApp((state) => state.providers);
  const widths = useApp((state) => state.columnWidths);
  const setColumnWidth = useApp((state) => state.setColumnWidth);
  const columns = useMemo(() => visibleColumns(chosen, crossJob), [chosen, crossJob]);
  const context = useMemo<CellContext>(() => ({
    scheme,
    accounts: new Map(accounts.map((account) => [account.id, { name: account.name, provider: providers.find((provider) => provider.id === account.provider)?.label ?? account.provider }])),
  }), [scheme, accounts, providers]);
  const marked = useMemo(() => new Set(markedIds), [markedIds]);
  // Wider than the pane, the table scrolls sideways inside it; the page never does.
  const gridStyle = {
    '--grid-columns': [markTrack.track, ...columns.map((column) => { const width = widths[column.key]; return width === undefined ? column.track : `${width}px`; })].join(' '),
    minWidth: columns.reduce((sum, column) => sum + (widths[column.key] ?? column.minWidth), markTrack.minWidth),
  } as CSSProperties;
  const scrollRef = useRef<HTMLDivElement>(null);
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

  return (
    <div className="table-wrap">
      <div className="table-scroll" ref={scrollRef}>
        <div role="grid" aria-label="Applicants" aria-multiselectable="true" aria-rowcount={listIds.length + 1} aria-busy={loading} style={gridStyle}>
          <div className="grid-row grid-head" role="row" aria-rowindex={1}>
            <div role="columnheader" className="cell-mark">
              <MarkAll />
            </div>
            {columns.map((column) => (
              <div key={column.key} role="columnheader" aria-sort={sort && sort.key === column.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                {column.sort ? (
                  <button onClick={() => column.sort && setSort(column.sort)} aria-label={`Sort by ${column.label}`}>
                    {column.label}
                    {sort?.key === column.sort ? <span aria-hidden="true">{sort.direction === 'asc' ? '▲' : '▼'}</span> : null}
                  </button>
                ) : (
                  column.label
                )}
                <ColumnResizer label={column.label} minWidth={column.minWidth} onResize={(width) => setColumnWidth(column.key, width)} />
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
                  marked={marked.has(row.applicationId)}
                  columns={columns}
                  context={context}
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
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>space</kbd> select · <kbd>1</kbd>–<kbd>5</kbd> rate · <kbd>s</kbd> shortlist · <kbd>z</kbd> undo · <kbd>?</kbd> all shortcuts
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
  marked: boolean;
  columns: Column[];
  context: CellContext;
  onSelect: (applicationId: number) => void;
}

/** A click opens the applicant; ctrl/cmd-click marks or unmarks it, shift-click marks the range from the last one. */
function clickRow(event: MouseEvent, applicationId: number, onSelect: (applicationId: number) => void): void {
  const { toggleMark, markRange, restartMarksAt } = useApp.getState();
  if (event.shiftKey) {
    // A shift-click would otherwise select the page's text from the last click.
    window.getSelection()?.removeAllRanges();
    markRange(applicationId);
  } else if (event.ctrlKey || event.metaKey) {
    toggleMark(applicationId);
  } else {
    restartMarksAt(applicationId);
    onSelect(applicationId);
  }
}

const Row = memo(function Row({ row, index, top, selected, marked, columns, context, onSelect }: RowProps) {
  return (
    <div
      className={`grid-row${marked ? ' marked' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-marked={marked}
      data-application-id={row.applicationId}
      style={{ transform: `translateY(${top}px)` }}
      onClick={(event) => clickRow(event, row.applicationId, onSelect)}
    >
      <div role="gridcell" className="cell-mark" onClick={(event) => event.stopPropagation()}>
        <input type="checkbox" checked={marked} aria-label={`Select ${row.name}`} onChange={() => useApp.getState().toggleMark(row.applicationId)} />
      </div>
      {columns.map((column) => (
        <div key={column.key} role="gridcell" className={column.className} title={column.title?.(row, context)}>
          {column.cell(row, context)}
        </div>
      ))}
    </div>
  );
});

/** Marks every listed applicant, or none once all are marked. */
function MarkAll() {
  const count = useApp((state) => state.listIds.length);
  const markedCount = useApp((state) => state.markedIds.length);
  const all = count > 0 && markedCount === count;
  return (
    <input
      type="checkbox"
      aria-label={all ? 'Unselect every applicant' : 'Select every listed applicant'}
      checked={all}
      ref={(element) => {
        if (element) element.indeterminate = markedCount > 0 && !all;
      }}
      onChange={() => (all ? useApp.getState().clearMarks() : useApp.getState().markAll())}
    />
  );
}

/** The widest a dragged column may become: wider only pushes the others out of the pane. */
const maxColumnWidth = 640;

/**
 * The handle on a column header's right edge: drag it, or focus it and press ←/→, to set the
 * column's width; a double click gives the column back its share of the room.
 */
function ColumnResizer({ label, minWidth, onResize }: { label: string; minWidth: number; onResize: (width: number | null) => void }) {
  const clamp = (width: number) => Math.min(maxColumnWidth, Math.max(minWidth, width));
  const headerWidth = (handle: HTMLElement) => handle.parentElement?.getBoundingClientRect().width ?? minWidth;
  return (
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${label} column`}
      tabIndex={0}
      className="column-resizer"
      onPointerDown={(event) => {
        event.preventDefault();
        const handle = event.currentTarget;
        const startX = event.clientX;
        const startWidth = headerWidth(handle);
        handle.setPointerCapture(event.pointerId);
        const move = (moved: PointerEvent) => onResize(clamp(startWidth + moved.clientX - startX));
        const stop = () => {
          handle.removeEventListener('pointermove', move);
          handle.removeEventListener('pointerup', stop);
          handle.removeEventListener('pointercancel', stop);
        };
        handle.addEventListener('pointermove', move);
        handle.addEventListener('pointerup', stop);
        handle.addEventListener('pointercancel', stop);
      }}
      onDoubleClick={() => onResize(null)}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        event.preventDefault();
        event.stopPropagation();
        onResize(clamp(headerWidth(event.currentTarget) + (event.key === 'ArrowRight' ? 16 : -16)));
      }}
    />
  );
}
