import type { SearchHit } from '../../../shared/domain.ts';
import { ftsQuery } from '../storage/fts-query.ts';
import type { RankedRow, SearchQueries } from '../storage/search-queries.ts';
import type { Storage } from '../storage/storage.ts';
import { queryTerms } from './query.ts';

/** Full-text search over applicants, applications, letters and document texts. */
export class SearchService {
  readonly #queries: SearchQueries;

  constructor(storage: Storage) {
    this.#queries = storage.search;
  }

  /**
   * Ranked search in tiers (names and titles, then applicant, application and letter details and
   * document titles, then document texts) with a highlighted snippet, each hit resolved to the
   * application a reviewer opens. Snippets (which read each row's text) are made for the kept hits alone.
   */
  query(text: string, limit: number): SearchHit[] {
    const query = ftsQuery(text);
    if (query === null) return [];
    const ranked = this.#queries.ranked(query, limit);
    const terms = queryTerms(text);
    /**
     * The excerpt is cut here rather than by FTS5's snippet(), which would need the query run again
     * for every hit; excerptAround stops at the first match, so a document's whole text costs little.
     */
    const snippetOf = (hit: RankedRow): string => terms.excerptAround(hit.body) ?? terms.mark(hit.title);
    return ranked.map((hit) => ({ kind: hit.kind, ...this.#located(hit), title: hit.title, snippet: snippetOf(hit), rank: hit.rank }));
  }

  #located(hit: RankedRow): Pick<SearchHit, 'applicationId' | 'documentId'> {
    switch (hit.kind) {
      case 'application':
        return { applicationId: hit.ref, documentId: null };
      case 'applicant':
        return { applicationId: this.#queries.applicationOfApplicant(hit.ref), documentId: null };
      case 'letter':
        return this.#queries.letterTarget(hit.ref);
      case 'document':
        return { applicationId: this.#queries.applicationOfDocument(hit.ref), documentId: hit.ref };
    }
  }
}
