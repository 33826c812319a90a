import { useEffect, useRef } from 'react';
import { Snippet } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';

/** The id of the list the search box controls (aria-controls), and of each option (aria-activedescendant). */
export const resultsListId = 'search-results';
export const resultId = (index: number) => `search-result-${index}`;

/**
 * The full-text search's hits, in the table's place while the reviewer searches: each names the
 * applicant, the job, where the words were found and a passage with them marked. The search box
 * keeps focus; ↓/↑ move the cursor, Enter or a click opens the hit, Esc returns to the table.
 */
export function SearchResults() {
  const results = useApp((state) => state.results);
  const cursor = useApp((state) => state.cursor);
  const loading = useApp((state) => state.resultsLoading);
  const hint = useApp((state) => state.resultsHint);
  const query = useApp((state) => state.resultsQuery);
  const openResult = useApp((state) => state.openResult);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    listRef.current?.querySelector(`#${resultId(cursor)}`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor, results]);

  const empty = hint ?? (loading ? 'Searching…' : `Nothing in the applicants, letters, papers or CVs matches “${query}”.`);
  return (
    <section className="search-results" aria-label="Search results" aria-busy={loading}>
      <div className="search-results-head">
        <span>{results.length > 0 ? `${results.length.toLocaleString()} ${results.length === 1 ? 'match' : 'matches'} for “${query}”` : 'Search'}</span>
        <span className="grow" />
        <span>
          <kbd>↓</kbd>/<kbd>↑</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> back to the table
        </span>
      </div>
      {results.length === 0 || hint !== null ? (
        <div className="empty">{empty}</div>
      ) : (
        <ol id={resultsListId} role="listbox" aria-label="Matches" ref={listRef}>
          {results.map((hit, index) => (
            <li
              key={`${hit.kind}-${hit.documentId ?? ''}-${hit.applicationId ?? ''}-${hit.title}-${index}`}
              id={resultId(index)}
              role="option"
              aria-selected={index === cursor}
              data-application-id={hit.applicationId ?? undefined}
              data-document-id={hit.documentId ?? undefined}
              // The search box keeps focus: a click opens the hit without moving it first.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => openResult(index)}
            >
              <span className="hit-who">
                <strong>{hit.applicantName ?? 'Unknown applicant'}</strong>
                {hit.jobTitle ? <span className="hit-job">{hit.jobTitle}</span> : null}
              </span>
              <span className="hit-source">{hit.source}</span>
              <span className="hit-snippet">
                <Snippet text={hit.snippet} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
