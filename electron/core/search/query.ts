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

interface Ranked {
  rowid: number;
  kind: SearchKind;
  ref: number;
  title: string;
  rank: number;
}

/**
 * Ranked search (bm25, a title match weighing more than a body match) with a highlighted snippet
 * from the best-matching column, each hit resolved to the application a reviewer opens.
 * Ranking reads only the index; snippets (which read each row's text) are made for the kept hits alone.
 */
export function search(db: Db, input: string, limit: number): SearchHit[] {
  const query = ftsQuery(input);
  if (query === null) return [];
  const ranked = db
    .prepare('SELECT rowid, kind, ref, title, bm25(search_index, 0, 0, 0, 4.0, 1.0) AS rank FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?')
    .all(query, limit) as Ranked[];
  const snippet = db.prepare("SELECT snippet(search_index, -1, ?, ?, '…', 16) FROM search_index WHERE search_index MATCH ? AND rowid = ?").pluck();
  const statements = {
    applicant: db.prepare('SELECT id FROM applications WHERE applicant_id = ? ORDER BY removed_at IS NOT NULL, id LIMIT 1').pluck(),
    letter: db.prepare('SELECT p.id FROM letters l JOIN applications p ON p.account_id = l.account_id AND p.remote_id = l.application_remote_id WHERE l.id = ?').pluck(),
    letterDocument: db.prepare('SELECT document_id FROM letters WHERE id = ?').pluck(),
    document: db.prepare(
      `SELECT p.id FROM documents d JOIN applications p ON p.account_id = d.account_id
         AND (p.remote_id = d.application_remote_id OR (d.application_remote_id IS NULL AND p.applicant_remote_id = d.applicant_remote_id))
       WHERE d.id = ? ORDER BY p.remote_id = d.application_remote_id DESC, p.id LIMIT 1`,
    ).pluck(),
  };
  const applicationOf = (hit: Ranked): number | null => {
    switch (hit.kind) {
      case 'application':
        return hit.ref;
      case 'applicant':
        return (statements.applicant.get(hit.ref) as number | undefined) ?? null;
      case 'letter':
        return (statements.letter.get(hit.ref) as number | undefined) ?? null;
      case 'document':
        return (statements.document.get(hit.ref) as number | undefined) ?? null;
    }
  };
  return ranked.map((hit) => ({
    kind: hit.kind,
    applicationId: applicationOf(hit),
    documentId: hit.kind === 'document' ? hit.ref : hit.kind === 'letter' ? ((statements.letterDocument.get(hit.ref) as number | null | undefined) ?? null) : null,
    title: hit.title,
    snippet: snippet.get(markOpen, markClose, query, hit.rowid) as string,
    rank: hit.rank,
  }));
}
