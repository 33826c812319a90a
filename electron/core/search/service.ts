import type { SearchResult } from '../../../shared/api/browse.ts';
import type { SearchHit } from '../../../shared/domain.ts';
import { ftsQuery } from '../storage/fts-query.ts';
import type { DocumentLabel, RankedRow, SearchQueries } from '../storage/search-queries.ts';
import type { Storage } from '../storage/storage.ts';
import { searchTerms } from '../../../shared/search-terms.ts';

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
  query(text: string, limit: number): SearchResult[] {
    const query = ftsQuery(text);
    if (query === null) return [];
    const ranked = this.#queries.ranked(query, limit);
    const terms = searchTerms(text);
    /**
     * The excerpt is cut here rather than by FTS5's snippet(), which would need the query run again
     * for every hit; excerptAround stops at the first match, so a document's whole text costs little.
     */
    const snippetOf = (hit: RankedRow): string => terms.excerptAround(hit.body) ?? terms.mark(hit.title);
    // A letter's record and its file lead to the same document: the better-ranked of the two stands for both.
    const documentsListed = new Set<number>();
    return ranked.flatMap((row) => {
      const hit = { kind: row.kind, ...this.#located(row), title: row.title, snippet: snippetOf(row), rank: row.rank };
      if (hit.documentId !== null) {
        if (documentsListed.has(hit.documentId)) return [];
        documentsListed.add(hit.documentId);
      }
      return [{ ...hit, ...this.#labelled(hit) }];
    });
  }

  /** Whose the hit is, for which job, and where the words were found, for the list of results. */
  #labelled(hit: SearchHit): Pick<SearchResult, 'applicantName' | 'jobId' | 'jobTitle' | 'documentKind' | 'source'> {
    const application = hit.applicationId === null ? { applicantName: null, jobId: null, jobTitle: null } : this.#queries.applicationLabel(hit.applicationId);
    const document = hit.documentId === null ? undefined : this.#queries.documentLabel(hit.documentId);
    return { ...application, documentKind: document?.kind ?? null, source: sourceOf(hit, document) };
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

/** Where a hit's words were found, as a reviewer names it. */
function sourceOf(hit: SearchHit, document: DocumentLabel | undefined): string {
  switch (hit.kind) {
    case 'applicant':
      return 'Applicant details';
    case 'application':
      return 'Application details';
    case 'letter':
      // The letter's record (writer, institution); its title is the writer's name.
      return `Letter from ${hit.title}`;
    case 'document':
      if (document === undefined) return 'Document';
      if (document.kind === 'letter') return `Letter from ${document.writer ?? document.title.replace(/^letter from /i, '')}`;
      return document.kind === 'cv' ? 'CV' : document.title;
  }
}
