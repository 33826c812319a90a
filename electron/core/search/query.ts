import type { SearchHit } from '../../../shared/domain.ts';
import type { Db } from '../db/database.ts';
import type { SearchKind } from './index.ts';

/** Private-use marks around each match, so the UI highlights without parsing HTML. */
export const markOpen = '\uE000';
export const markClose = '\uE001';

/**
 * Turns what a person typed into an FTS5 query: every word must match (as a phrase, so FTS5
 * syntax characters are inert), and the last word also matches as a prefix while typing.
 */
export function ftsQuery(input: string): string | null {
  const words = input
    .normalize('NFKC')
    .split(/[\s"]+/u)
    .map((word) => word.replace(/\p{Cc}/gu, '').trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

interface Row {
  kind: SearchKind;
  ref: number;
  title: string;
  snippet: string;
  rank: number;
  application_id: number | null;
  document_id: number | null;
}

/**
 * Ranked search (bm25, a title match weighing more than a body match) with a highlighted snippet
 * from the best-matching column, each hit resolved to the application a reviewer opens.
 */
export function search(db: Db, input: string, limit: number): SearchHit[] {
  const query = ftsQuery(input);
  if (query === null) return [];
  const rows = db
    .prepare(
      `WITH hits AS (
         SELECT kind, ref, account_id, title, snippet(search_index, -1, ?, ?, '…', 16) AS snippet, bm25(search_index, 0, 0, 0, 4.0, 1.0) AS rank
         FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?)
       SELECT kind, ref, title, snippet, rank,
         CASE kind
           WHEN 'application' THEN ref
           WHEN 'applicant' THEN (SELECT p.id FROM applications p WHERE p.applicant_id = hits.ref ORDER BY p.removed_at IS NOT NULL, p.id LIMIT 1)
           WHEN 'letter' THEN (SELECT p.id FROM letters l JOIN applications p ON p.account_id = l.account_id AND p.remote_id = l.application_remote_id WHERE l.id = hits.ref)
           WHEN 'document' THEN (SELECT p.id FROM documents d JOIN applications p ON p.account_id = d.account_id
                                 AND p.remote_id = coalesce(d.application_remote_id, (SELECT q.remote_id FROM applications q WHERE q.account_id = d.account_id AND q.applicant_remote_id = d.applicant_remote_id LIMIT 1))
                                 WHERE d.id = hits.ref)
         END AS application_id,
         CASE kind
           WHEN 'document' THEN ref
           WHEN 'letter' THEN (SELECT l.document_id FROM letters l WHERE l.id = hits.ref)
         END AS document_id
       FROM hits ORDER BY rank`,
    )
    .all(markOpen, markClose, query, limit) as Row[];
  return rows.map((row) => ({
    kind: row.kind,
    applicationId: row.application_id,
    documentId: row.document_id,
    title: row.title,
    snippet: row.snippet,
    rank: row.rank,
  }));
}
