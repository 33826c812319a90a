import type { ReactNode } from 'react';
import type { ApplicantRow, ApplicantSort, RatingScheme } from '../../../shared/domain.ts';
import { formatDate } from '../common/format.ts';
import { RatingDisplay, StatusBadge } from '../common/ui.tsx';
import type { ColumnKey } from '../store/index.ts';

/** What a cell needs besides its row. */
export interface CellContext {
  scheme: RatingScheme;
  /** The account's name and its provider's label, by account id. */
  accounts: Map<number, { name: string; provider: string }>;
}

export interface Column {
  key: ColumnKey | 'name';
  label: string;
  sort?: ApplicantSort['key'];
  /** The column's track in the grid's `grid-template-columns`, and the least width it takes. */
  track: string;
  minWidth: number;
  /** Shown only when the table lists applicants of more than one job. */
  crossJob?: boolean;
  className?: string;
  title?: (row: ApplicantRow, context: CellContext) => string;
  cell: (row: ApplicantRow, context: CellContext) => ReactNode;
}

/** A committee score to one decimal, as a committee reads it out (3.8). */
export const formatScore = (score: number) => score.toFixed(1);

const lettersClass = (row: ApplicantRow) =>
  row.lettersExpected > 0 && row.lettersReceived >= row.lettersExpected ? 'complete' : row.lettersExpected > 0 ? 'missing' : '';

/** One row per application; a quiet "+1 job" says the same person applied to other jobs of the account (decision 0014). */
const otherJobs = (row: ApplicantRow) => (row.otherApplications > 0 ? `+${row.otherApplications} job${row.otherApplications === 1 ? '' : 's'}` : null);

function NameCell({ row, tags }: { row: ApplicantRow; tags: boolean }) {
  const others = otherJobs(row);
  return (
    <>
      <span className="name">{row.name}</span>
      {others ? <span className="other-jobs" title={`${row.name} also applied to ${others.slice(1)} more in this account`}>{others}</span> : null}
      {tags ? row.tags.map((tag) => <span key={tag} className="chip name-tag">{tag}</span>) : null}
    </>
  );
}

const nameTitle = (row: ApplicantRow, extra: readonly string[]) => [row.name, otherJobs(row), ...extra].filter(Boolean).join(' · ');

export const nameColumn: Column = {
  key: 'name', label: 'Name', sort: 'name', track: 'minmax(110px, 1.5fr)', minWidth: 110, className: 'cell-name',
  title: (row) => nameTitle(row, []),
  cell: (row) => <NameCell row={row} tags={false} />,
};

/** With the Tags column hidden the reviewer's tags follow the name, so what they added never disappears from the table. */
export const nameWithTags: Column = {
  ...nameColumn,
  title: (row) => nameTitle(row, row.tags),
  cell: (row) => <NameCell row={row} tags />,
};

/** The optional columns, in the order the table shows them. */
export const optionalColumns: readonly (Column & { key: ColumnKey })[] = [
  { key: 'job', label: 'Job', track: 'minmax(90px, 1.3fr)', minWidth: 90, crossJob: true, title: (row) => row.jobTitle ?? '', cell: (row) => row.jobTitle ?? '—' },
  {
    key: 'provider', label: 'Provider', track: 'minmax(90px, 0.8fr)', minWidth: 90, crossJob: true,
    title: (row, { accounts }) => { const account = accounts.get(row.accountId); return account ? `${account.provider} · ${account.name}` : ''; },
    cell: (row, { accounts }) => accounts.get(row.accountId)?.name ?? '—',
  },
  { key: 'institution', label: 'Institution', sort: 'institution', track: 'minmax(80px, 1.2fr)', minWidth: 80, title: (row) => row.institution ?? '', cell: (row) => row.institution ?? '—' },
  { key: 'degree', label: 'Degree', sort: 'degreeYear', track: '88px', minWidth: 88, cell: (row) => [row.degree, row.degreeYear].filter(Boolean).join(' ') || '—' },
  { key: 'fields', label: 'Fields', track: 'minmax(90px, 1fr)', minWidth: 90, title: (row) => row.fields.join(', '), cell: (row) => row.fields.join(', ') },
  { key: 'applied', label: 'Applied', sort: 'appliedAt', track: '104px', minWidth: 104, className: 'num', cell: (row) => formatDate(row.appliedAt) },
  {
    key: 'letters', label: 'Letters', sort: 'letters', track: '64px', minWidth: 64,
    title: (row) => `${row.lettersReceived} of ${row.lettersExpected} letters`,
    cell: (row) => <span className={`num letters ${lettersClass(row)}`}>{row.lettersReceived}/{row.lettersExpected}</span>,
  },
  { key: 'rating', label: 'Rating', sort: 'rating', track: '72px', minWidth: 72, cell: (row, { scheme }) => <RatingDisplay rating={row.rating} scheme={scheme} /> },
  {
    key: 'score', label: 'Score', sort: 'committeeScore', track: '64px', minWidth: 64, className: 'num',
    title: (row) => (row.committeeScore === null ? 'Not scored (c opens the scorecard)' : `Committee score ${formatScore(row.committeeScore)}: the weighted mean of the scorecard`),
    cell: (row) => (row.committeeScore === null ? <span className="muted">–</span> : formatScore(row.committeeScore)),
  },
  {
    key: 'tags', label: 'Tags', track: 'minmax(70px, 0.8fr)', minWidth: 70, title: (row) => row.tags.join(', '),
    cell: (row) => row.tags.map((tag) => <span key={tag} className="chip">{tag}</span>),
  },
  { key: 'status', label: 'Status', sort: 'status', track: '92px', minWidth: 92, cell: (row) => <StatusBadge status={row.status} /> },
];

/** The checkbox that marks a row for a bulk action. */
export const markTrack = { track: '28px', minWidth: 28 };

/** The columns on screen: the name, then the chosen ones this view has (job and provider only across jobs). */
export function visibleColumns(chosen: readonly ColumnKey[], crossJob: boolean): Column[] {
  return [chosen.includes('tags') ? nameColumn : nameWithTags, ...optionalColumns.filter((column) => chosen.includes(column.key) && (crossJob || !column.crossJob))];
}
