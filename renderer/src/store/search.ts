import type { SearchResult } from '../../../shared/api/browse.ts';
import { errorMessage } from '../common/transport.ts';
import type { CatalogSlice } from './catalog.ts';
import type { NoticesSlice } from './notices.ts';
import type { PacketSlice } from './packet.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';
import type { TableSlice } from './table.ts';

/**
 * Where a search result left the reader: the document to show and the words to find in it. The
 * reader (renderer/src/packet/) lands on the first page holding the words and marks them there,
 * for as long as the open applicant is `applicationId`.
 */
export interface SearchFocus {
  applicationId: number;
  documentId: number | null;
  query: string;
}

/**
 * The full-text search's own list of results, which takes the table's place while the reviewer
 * types: one row per hit (a letter, a CV, the applicant's details), a cursor moved by ↓/↑, and
 * Enter to open the hit's packet on its document.
 */
export interface SearchSlice {
  /** The results list is shown in place of the table. */
  resultsOpen: boolean;
  results: SearchResult[];
  /** The query the results answer; they are stale while it differs from the typed one. */
  resultsQuery: string;
  resultsLoading: boolean;
  /** Why there are no results to show, when the query is too short to search. */
  resultsHint: string | null;
  cursor: number;
  searchFocus: SearchFocus | null;
  /** Types into the search box: narrows the table and asks the index for the list of results. */
  search: (query: string) => void;
  showResults: (open: boolean) => void;
  moveCursor: (step: number) => void;
  /** Opens the hit's applicant on the hit's document, and returns to the table. */
  openResult: (index: number) => void;
  /** Leaves the search: the query is cleared and the whole table returns. */
  endSearch: () => void;
}

/** A search waits until typing pauses; each keystroke would otherwise ask the index again. */
const searchDelayMs = 120;
const resultsKept = 100;

/** One- and two-letter words would match a prefix of half the index: slow, and say little. */
function tooShort(query: string): boolean {
  const words = query.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.length === 0 || words.some((word) => word.length < 3);
}

type Uses = TableSlice & PacketSlice & CatalogSlice & SessionSlice & NoticesSlice;

export const createSearchSlice: Slice<SearchSlice, Uses> = (set, get) => {
  let latest = 0;
  let timer: number | undefined;

  const ask = async (request: number, query: string) => {
    try {
      const results = await get().transport.client.call('search.query', { query, limit: resultsKept });
      if (request === latest) set({ results, resultsQuery: query, resultsLoading: false, cursor: 0 });
    } catch (error) {
      if (request !== latest) return;
      set({ resultsLoading: false });
      get().notify(errorMessage(error), 'error');
    }
  };

  return {
    resultsOpen: false,
    results: [],
    resultsQuery: '',
    resultsLoading: false,
    resultsHint: null,
    cursor: 0,
    searchFocus: null,
    search: (query) => {
      get().setQuery(query);
      const request = ++latest;
      window.clearTimeout(timer);
      const text = query.trim();
      if (text === '') {
        set({ resultsOpen: false, results: [], resultsQuery: '', resultsLoading: false, resultsHint: null, searchFocus: null });
        return;
      }
      if (tooShort(text)) {
        set({ resultsOpen: true, results: [], resultsQuery: text, resultsLoading: false, resultsHint: 'Type at least three letters of each word to search letters, papers and CVs.' });
        return;
      }
      set({ resultsOpen: true, resultsLoading: true, resultsHint: null });
      timer = window.setTimeout(() => void ask(request, text), searchDelayMs);
    },
    showResults: (resultsOpen) => set({ resultsOpen: resultsOpen && get().query.trim() !== '' }),
    moveCursor: (step) => {
      const { results, cursor } = get();
      if (results.length === 0) return;
      set({ cursor: Math.min(results.length - 1, Math.max(0, cursor + step)) });
    },
    openResult: (index) => {
      const hit = get().results[index];
      if (!hit) return;
      if (hit.applicationId === null) {
        get().notify('That match belongs to no application in the local copy (its letter or document is no longer linked). Sync again to bring it back.', 'error');
        return;
      }
      set({ resultsOpen: false, cursor: index, searchFocus: { applicationId: hit.applicationId, documentId: hit.documentId, query: get().resultsQuery } });
      get().openApplication(hit.applicationId, hit.jobId);
      if (hit.documentId !== null) get().openDocument(hit.documentId);
    },
    endSearch: () => get().search(''),
  };
};
