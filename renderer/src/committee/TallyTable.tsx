import { memo, useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CommitteeMember, Tally, TallyRow } from '../../../shared/api/committee.ts';
import { formatValue, initials } from './shared.tsx';

/** The same one-line rows as the applicant table. */
const rowHeight = 34;
/** Narrow enough that three members' columns and the figures fit beside an open packet in a 1024-pixel window. */
const nameWidth = 110;
const jobWidth = 90;
const memberWidth = 36;
/** Mean, spread, rank, read by, discussion. */
const figureWidths = [46, 54, 42, 44, 34];

export type TallyColumn = 'name' | 'job' | 'mean' | 'spread' | 'rank' | 'read' | 'discussion' | `member:${string}`;
export interface TallySortChoice {
  column: TallyColumn;
  direction: 'asc' | 'desc';
}

/** A column's value for sorting; null sorts last whichever the direction. */
function sortValue(row: TallyRow, column: TallyColumn): number | string | null {
  if (column.startsWith('member:')) {
    const verdict = row.verdicts.find((candidate) => `member:${candidate.memberId}` === column);
    return verdict?.value ?? null;
  }
  switch (column) {
    case 'name':
      return row.name.toLocaleLowerCase();
    case 'job':
      return row.jobTitle.toLocaleLowerCase();
    case 'mean':
      return row.mean;
    case 'spread':
      return row.spread;
    case 'rank':
      return row.rank;
    case 'read':
      return row.readBy;
    default:
      return row.discussion;
  }
}

/** The rows in the chosen order; without a choice, the core's order (disagreements first). */
export function sortRows(rows: readonly TallyRow[], sort: TallySortChoice | null): readonly TallyRow[] {
  if (!sort) return rows;
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows.toSorted((a, b) => {
    const left = sortValue(a, sort.column);
    const right = sortValue(b, sort.column);
    if (left === right) return 0;
    if (left === null) return 1;
    if (right === null) return -1;
    return (left < right ? -1 : 1) * sign;
  });
}

/** Which way a first click on a header sorts: best first for scores, A→Z for names, fewest first for rank. */
export function firstDirection(column: TallyColumn): 'asc' | 'desc' {
  return column === 'name' || column === 'job' || column === 'rank' ? 'asc' : 'desc';
}

interface TallyTableProps {
  tally: Tally;
  rows: readonly TallyRow[];
  sort: TallySortChoice | null;
  onSort: (column: TallyColumn) => void;
  selectedRemoteId: string | null;
  onOpen: (row: TallyRow) => void;
  showJob: boolean;
  emptyMessage: string;
}

/** The committee's candidates, a narrow column per member; virtualized like the applicant table, so 600 rows scroll as smoothly as 6. */
export function TallyTable({ tally, rows, sort, onSort, selectedRemoteId, onOpen, showJob, emptyMessage }: TallyTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const members = useMemo(() => tally.members.filter((member) => !member.revoked || rows.some((row) => row.verdicts.some((verdict) => verdict.memberId === member.memberId && verdict.value !== null))), [tally.members, rows]);
  const activeCount = tally.members.filter((member) => !member.revoked).length;
  const tracks = [`minmax(${nameWidth}px, 2fr)`, ...(showJob ? [`minmax(${jobWidth}px, 1fr)`] : []), ...members.map(() => `${memberWidth}px`), ...figureWidths.map((width) => `${width}px`)];
  const gridStyle = { '--grid-columns': tracks.join(' '), minWidth: nameWidth + (showJob ? jobWidth : 0) + members.length * memberWidth + figureWidths.reduce((sum, width) => sum + width, 0) } as CSSProperties;

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is the library made for this; its results are read during render only
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (index) => rows[index]?.applicationRemoteId ?? index,
  });

  const header = (column: TallyColumn, label: ReactNode, title: string, className?: string) => (
    <div key={column} role="columnheader" className={className} title={title} aria-sort={sort?.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button onClick={() => onSort(column)} aria-label={`Sort by ${title}`}>
        {label}
        {sort?.column === column ? <span aria-hidden="true">{sort.direction === 'asc' ? '▲' : '▼'}</span> : null}
      </button>
    </div>
  );

  return (
    <div className="table-wrap">
      <div className="table-scroll" ref={scrollRef}>
        <div role="grid" aria-label="Committee tally" aria-rowcount={rows.length + 1} style={gridStyle} className="tally">
          <div className="grid-row grid-head" role="row" aria-rowindex={1}>
            {header('name', 'Candidate', 'candidate')}
            {showJob ? header('job', 'Job', 'job') : null}
            {members.map((member) => header(`member:${member.memberId}`, initials(member.name), `${member.name}${member.isMe ? ' (you)' : ''}${member.revoked ? ' (removed)' : ''}`, `member-col${member.isMe ? ' me' : ''}`))}
            {header('mean', 'Mean', 'mean', 'num-col')}
            {header('spread', 'Spread', 'spread', 'num-col')}
            {header('rank', 'Rank', 'rank', 'num-col')}
            {header('read', 'Read', 'read by', 'num-col')}
            {header('discussion', <DiscussionIcon />, 'discussion', 'num-col')}
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
                  members={members}
                  activeCount={activeCount}
                  showJob={showJob}
                  selected={row.applicationRemoteId === selectedRemoteId}
                  onOpen={onOpen}
                />
              );
            })}
          </div>
        </div>
        {rows.length === 0 ? <div className="empty">{emptyMessage}</div> : null}
      </div>
      <div className="table-foot">
        <span>
          {rows.length.toLocaleString()} of {tally.total.toLocaleString()} shown
        </span>
        <span>• not read · corner mark: assigned</span>
      </div>
    </div>
  );
}

interface RowProps {
  row: TallyRow;
  index: number;
  top: number;
  members: readonly CommitteeMember[];
  activeCount: number;
  showJob: boolean;
  selected: boolean;
  onOpen: (row: TallyRow) => void;
}

const Row = memo(function Row({ row, index, top, members, activeCount, showJob, selected, onOpen }: RowProps) {
  const verdicts = new Map(row.verdicts.map((verdict) => [verdict.memberId, verdict]));
  return (
    <div
      className={`grid-row${row.applicationId === null ? ' not-here' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-remote-id={row.applicationRemoteId}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(row)}
      title={row.applicationId === null ? 'Not synced to this machine yet: sync your account to read the packet' : undefined}
    >
      <div role="gridcell" className="name" title={row.name}>
        {row.name}
      </div>
      {showJob ? (
        <div role="gridcell" className="muted" title={row.jobTitle}>
          {row.jobTitle}
        </div>
      ) : null}
      {members.map((member) => {
        const verdict = verdicts.get(member.memberId);
        const label = `${member.name}: ${verdict?.value === null || verdict === undefined ? (verdict?.read ? 'read, no score' : 'not read') : formatValue(verdict.value)}${verdict?.assigned ? ', assigned' : ''}`;
        return (
          <div key={member.memberId} role="gridcell" className={`num member-col${member.isMe ? ' me' : ''}${verdict?.assigned ? ' assigned' : ''}`} aria-label={label} title={label}>
            {verdict?.value !== null && verdict?.value !== undefined ? formatValue(verdict.value) : verdict?.read ? '–' : <span className="unread-dot" aria-hidden="true" />}
          </div>
        );
      })}
      <div role="gridcell" className={`num num-col${row.mean === null ? '' : ' strong'}`}>
        {formatValue(row.mean)}
      </div>
      <div role="gridcell" className="num num-col">
        {formatValue(row.spread)}
      </div>
      <div role="gridcell" className="num num-col">
        {row.rank ?? '–'}
      </div>
      <div role="gridcell" className="num num-col" aria-label={`read by ${row.readBy} of ${activeCount}`}>
        {row.readBy}/{activeCount}
      </div>
      <div role="gridcell" className="num num-col" aria-label={`${row.discussion} messages`}>
        {row.discussion > 0 ? row.discussion : ''}
      </div>
    </div>
  );
});

function DiscussionIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}
