import type { SearchResult } from '../../../shared/api/browse.ts';
import type { DocumentKind } from '../../../shared/domain.ts';
import type { RankedRow, ResolvedHit, SearchQueries } from '../storage/search-queries.ts';
import type { Storage } from '../storage/storage.ts';
import { searchPhrases, searchTerms } from '../../../shared/search-terms.ts';

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
    const phrases = searchPhrases(text);
    if (phrases.length === 0) return [];
    const ranked = this.#queries.ranked(phrases, limit);
    const resolved = this.#queries.resolved(ranked);
    const terms = searchTerms(text);
    /**
     * The excerpt is cut here rather than by FTS5's snippet(), which would need the query run again
     * for every hit; excerptAround stops at the first match, so a document's whole text costs little.
     */
    const snippetOf = (hit: RankedRow): string => terms.excerptAround(hit.body) ?? terms.mark(hit.title);
    // A letter's record and its file lead to the same document: the better-ranked of the two stands for both.
    const documentsListed = new Set<number>();
    return ranked.flatMap((row) => {
      const { applicationId, documentId, applicantName, jobId, jobTitle, documentKind, documentTitle, writer } = resolved.get(row.rowid) ?? nowhere;
      if (documentId !== null) {
        if (documentsListed.has(documentId)) return [];
        documentsListed.add(documentId);
      }
      const document = documentKind === null ? undefined : { kind: documentKind, title: documentTitle ?? '', writer };
      return [{
        kind: row.kind, applicationId, documentId, title: row.title, snippet: snippetOf(row), rank: row.rank,
        applicantName, jobId, jobTitle, documentKind, source: sourceOf(row, document),
      }];
    });
  }
}

/** What a hit whose row is gone leads to: nothing. */
const nowhere: ResolvedHit = { applicationId: null, documentId: null, applicantName: null, jobId: null, jobTitle: null, documentKind: null, documentTitle: null, writer: null };

/** Where a hit's words were found, as a reviewer names it. */
function sourceOf(hit: Pick<RankedRow, 'kind' | 'title'>, document: { kind: DocumentKind; title: string; writer: string | null } | undefined): string {
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
