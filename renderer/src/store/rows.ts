import type { ApplicantRow } from '../../../shared/domain.ts';
import type { Slice } from './slice.ts';

/** The reviewer's own fields of a row, as every annotation call answers them. */
export type Review = Pick<ApplicantRow, 'applicationId' | 'rating' | 'status' | 'tags'>;

/**
 * The applicant rows, each held once by application id; the table's lists and the packets refer
 * to them by id. Whenever fresh rows arrive, the rows that neither a list nor the caller's
 * `retained` ids refer to are let go.
 */
export interface RowsSlice {
  rowsById: Record<number, ApplicantRow>;
  /** The table's list, in its order, and how many applicants the core counts for it. */
  listIds: number[];
  listTotal: number;
  /** The list for the job, filters and sort without the search text: typing narrows it at once. */
  baseIds: number[];
  baseTotal: number;
  /** Takes a fresh base and shows it whole; a search then narrows it with `showMatches`. */
  replaceBase: (rows: ApplicantRow[], total: number, retained: Iterable<number>) => void;
  showBase: () => void;
  /** Shows some of the base rows, already held: a local narrowing has no total of its own. */
  showMatches: (ids: number[]) => void;
  showFetched: (rows: ApplicantRow[], total: number, retained: Iterable<number>) => void;
  /**
   * Adds a row that came with a packet, unless it is already held: the held row carries every
   * annotation made since, which a packet fetched before them would undo.
   */
  holdRow: (row: ApplicantRow) => void;
  applyReviews: (reviews: Review[]) => void;
  /** The committee score a scorecard change answers, onto the held row. */
  applyCommitteeScore: (applicationId: number, committeeScore: number | null) => void;
}

function sameRow(held: ApplicantRow, fresh: ApplicantRow): boolean {
  return (Object.keys(fresh) as (keyof ApplicantRow)[]).every((key) => {
    const before = held[key];
    const after = fresh[key];
    if (Array.isArray(before) && Array.isArray(after)) return before.length === after.length && before.every((item, index) => item === after[index]);
    return before === after;
  });
}

/**
 * The rows the lists and `retained` refer to, with fresh copies laid over the held ones. A copy
 * equal to the held row is dropped so the row keeps its identity: the table's memoised rows and
 * the search's folded text stay valid.
 */
function mergeRows(held: Record<number, ApplicantRow>, fresh: ApplicantRow[], referenced: Iterable<number>[]): Record<number, ApplicantRow> {
  const rowsById: Record<number, ApplicantRow> = {};
  for (const ids of referenced) {
    for (const id of ids) {
      const row = held[id];
      if (row) rowsById[id] = row;
    }
  }
  for (const row of fresh) {
    const previous = held[row.applicationId];
    rowsById[row.applicationId] = previous && sameRow(previous, row) ? previous : row;
  }
  return rowsById;
}

const idsOf = (rows: ApplicantRow[]) => rows.map((row) => row.applicationId);

export const createRowsSlice: Slice<RowsSlice> = (set, get) => ({
  rowsById: {},
  listIds: [],
  listTotal: 0,
  baseIds: [],
  baseTotal: 0,
  replaceBase: (rows, total, retained) => {
    const baseIds = idsOf(rows);
    set({ rowsById: mergeRows(get().rowsById, rows, [retained]), baseIds, baseTotal: total, listIds: baseIds, listTotal: total });
  },
  showBase: () => set({ listIds: get().baseIds, listTotal: get().baseTotal }),
  showMatches: (ids) => set({ listIds: ids, listTotal: ids.length }),
  showFetched: (rows, total, retained) => {
    const listIds = idsOf(rows);
    set({ rowsById: mergeRows(get().rowsById, rows, [get().baseIds, retained]), listIds, listTotal: total });
  },
  holdRow: (row) => {
    if (get().rowsById[row.applicationId]) return;
    set({ rowsById: { ...get().rowsById, [row.applicationId]: row } });
  },
  applyReviews: (reviews) => {
    const rowsById = { ...get().rowsById };
    for (const { applicationId, rating, status, tags } of reviews) {
      const row = rowsById[applicationId];
      if (row) rowsById[applicationId] = { ...row, rating, status, tags };
    }
    set({ rowsById });
  },
  applyCommitteeScore: (applicationId, committeeScore) => {
    const row = get().rowsById[applicationId];
    if (row && row.committeeScore !== committeeScore) set({ rowsById: { ...get().rowsById, [applicationId]: { ...row, committeeScore } } });
  },
});
