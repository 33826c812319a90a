import type { ApplicantFilter, ApplicantRow, ApplicantSort, SavedView } from '../../../shared/domain.ts';
import { errorMessage } from '../common/transport.ts';
import type { CatalogSlice } from './catalog.ts';
import type { ChromeSlice } from './chrome.ts';
import type { NoticesSlice } from './notices.ts';
import type { PacketSlice } from './packet.ts';
import type { RowsSlice } from './rows.ts';
import type { SelectionSlice } from './selection.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/** The filters the toolbar edits; the job and the search text are kept apart because they change on their own. */
export type TableFilter = Omit<ApplicantFilter, 'jobId' | 'accountId' | 'text'>;

/** What the applicant table asks for (filters, sort, search) and how far the answer has come. */
export interface TableSlice {
  filter: TableFilter;
  sort: ApplicantSort | null;
  query: string;
  rowsLoading: boolean;
  /**
   * Reloads the table. The base (the list without the search text) is fetched again only when
   * the job, filters or sort change; typing narrows the base at once and then shows the index's
   * answer. A newer request always wins over a slower older one.
   */
  refreshRows: (reloadBase?: boolean) => Promise<void>;
  setFilter: (patch: Partial<TableFilter>) => void;
  clearFilters: () => void;
  /** Cycles the column's sort: ascending, descending, none. */
  setSort: (key: ApplicantSort['key']) => void;
  setQuery: (query: string) => void;
  selectJob: (jobId: number | null) => void;
  /** Opens an application's packet; when the table shows another job, it moves to that application's job (or to all) so the open one is listed. */
  openApplication: (applicationId: number, jobId: number | null) => void;
  applyView: (view: SavedView) => void;
  saveView: (name: string) => Promise<void>;
}

type Uses = RowsSlice & PacketSlice & SelectionSlice & CatalogSlice & ChromeSlice & SessionSlice & NoticesSlice;

/** The core's filter for what the table shows: the toolbar's filters, the job and the search text. */
function listFilter(state: Pick<Uses & TableSlice, 'filter' | 'jobId' | 'query'>): ApplicantFilter {
  const text = state.query.trim();
  return { ...state.filter, ...(state.jobId !== null ? { jobId: state.jobId } : {}), ...(text ? { text } : {}) };
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const haystacks = new WeakMap<ApplicantRow, string>();

/**
 * The base rows whose name, institution, degree, fields or job contain every typed word: shown at
 * once while the full-text index (answers, letters, papers) is asked.
 */
function localMatches(state: Pick<RowsSlice, 'baseIds' | 'rowsById'>, query: string): number[] {
  const words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return state.baseIds;
  return state.baseIds.filter((id) => {
    const row = state.rowsById[id];
    if (!row) return false;
    let haystack = haystacks.get(row);
    if (haystack === undefined) {
      haystack = fold([row.name, row.institution, row.degree, row.jobTitle, ...row.fields].join(' '));
      haystacks.set(row, haystack);
    }
    return words.every((word) => haystack.includes(word));
  });
}

/** A first screenful comes back several times faster than ten thousand rows: it is drawn while the rest is fetched. */
const firstPage = 200;

export const createTableSlice: Slice<TableSlice, Uses> = (set, get) => {
  let latestRequest = 0;
  const client = () => get().transport.client;
  /** The rows the packet pane may still show though no list has them. */
  const packetRowIds = () => {
    const { packets, selectedId } = get();
    return selectedId === null ? packets.keys() : [selectedId, ...packets.keys()];
  };

  /** Ends showing a new list, and keeps an applicant open: the first one when the open one is not listed. */
  const listShown = (loading: boolean) => {
    set({ rowsLoading: loading });
    // Marks on applicants a new filter hides are let go: a bulk action changes only what the reviewer can see.
    if (!loading) get().keepListedMarks();
    const { selectedId, listIds, select } = get();
    const missing = selectedId === null || !listIds.includes(selectedId);
    // While the rest is still loading, an open applicant further down the list stays open.
    if (missing && (!loading || selectedId === null)) select(listIds[0] ?? null);
  };

  return {
    filter: {},
    sort: null,
    query: '',
    rowsLoading: false,
    refreshRows: async (reloadBase = true) => {
      const request = ++latestRequest;
      const state = get();
      const query = state.query.trim();
      if (!reloadBase) {
        if (!query) {
          state.showBase();
          return listShown(false);
        }
        state.showMatches(localMatches(state, query));
        set({ rowsLoading: true });
      } else {
        set({ rowsLoading: true });
      }
      try {
        const sort = state.sort ? { sort: state.sort } : {};
        if (reloadBase) {
          const filter = listFilter({ filter: state.filter, jobId: state.jobId, query: '' });
          let base = await client().call('applicants.list', { filter, ...sort, limit: firstPage });
          if (request !== latestRequest) return;
          if (base.total > base.rows.length) {
            if (!query) {
              get().showFetched(base.rows, base.total, packetRowIds());
              listShown(true);
            }
            base = await client().call('applicants.list', { filter, ...sort });
            if (request !== latestRequest) return;
          }
          get().replaceBase(base.rows, base.total, packetRowIds());
          if (!query) return listShown(false);
          get().showMatches(localMatches(get(), query));
        }
        const list = await client().call('applicants.list', { filter: listFilter(state), ...sort });
        if (request !== latestRequest) return;
        get().showFetched(list.rows, list.total, packetRowIds());
        listShown(false);
      } catch (error) {
        if (request !== latestRequest) return;
        set({ rowsLoading: false });
        get().notify(errorMessage(error), 'error');
      }
    },
    setFilter: (patch) => {
      const filter = Object.fromEntries(
        Object.entries({ ...get().filter, ...patch }).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)),
      ) as TableFilter;
      set({ filter });
      get().setViewId(null);
      void get().refreshRows();
    },
    clearFilters: () => {
      set({ filter: {}, query: '' });
      get().setViewId(null);
      void get().refreshRows();
    },
    setSort: (key) => {
      const current = get().sort;
      const sort: ApplicantSort | null =
        current?.key !== key ? { key, direction: 'asc' } : current.direction === 'asc' ? { key, direction: 'desc' } : null;
      set({ sort });
      get().setViewId(null);
      void get().refreshRows();
    },
    setQuery: (query) => {
      set({ query });
      void get().refreshRows(false);
    },
    selectJob: (jobId) => {
      const { setJobId, setScreen, select, refreshRows } = get();
      setJobId(jobId);
      setScreen('applicants');
      select(null);
      void refreshRows();
    },
    openApplication: (applicationId, applicationJobId) => {
      const { jobId, setJobId, setViewId, select, refreshRows } = get();
      select(applicationId);
      if (jobId !== null && applicationJobId !== jobId) {
        setJobId(applicationJobId);
        setViewId(null);
        void refreshRows();
      }
    },
    applyView: (view) => {
      const { jobId, text, accountId: _accountId, ...filter } = view.filter;
      set({ filter, sort: view.sort, query: text ?? '' });
      const { setViewId, setJobId, setScreen, refreshRows } = get();
      setViewId(view.id);
      setJobId(jobId ?? null);
      setScreen('applicants');
      void refreshRows();
    },
    saveView: async (name) => {
      const state = get();
      const view = await state.attempt(() => client().call('views.save', { name, filter: listFilter(state), sort: state.sort }));
      if (!view) return;
      await state.refreshViews();
      state.setViewId(view.id);
      state.notify(`Saved view “${view.name}”.`);
    },
  };
};
