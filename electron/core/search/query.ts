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
  // Ranking reads only rowids and scores; the stored columns are read afterwards for the kept hits alone.
  const ranked = db
    .prepare(
      `SELECT s.rowid, s.kind, s.ref, s.title, r.rank FROM (
         SELECT rowid, bm25(search_index, 0, 0, 0, 4.0, 1.0) AS rank FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?
       ) r JOIN search_index s ON s.rowid = r.rowid ORDER BY r.rank`,
    )
    .all(query, limit) as Ranked[];
  const indexedBody = db.prepare('SELECT body FROM search_index WHERE rowid = ?').pluck();
  // Only a window of a long document text crosses into JavaScript: around the first term, found by SQLite.
  const documentWindow = db
    .prepare(
      `WITH found AS MATERIALIZED (
         SELECT t.text, instr(lower(t.text), @term) AS at FROM documents d JOIN document_texts t ON t.sha256 = d.sha256 WHERE d.id = @id
       )
       SELECT CASE WHEN at > 0 THEN CASE WHEN at > 300 THEN '… ' ELSE '' END || substr(text, max(1, at - 300), 900) END FROM found`,
    )
    .pluck();
  const terms = queryTerms(input);
  const firstTerm = terms[0]?.text.toLowerCase() ?? '';
  /**
   * The excerpt is cut here rather than by FTS5's snippet(), which would run the whole query
   * again for every hit (reading the doclists of common words each time).
   */
  const snippetOf = (hit: Ranked): string => {
    const text = (hit.kind === 'document' ? documentWindow.get({ term: firstTerm, id: hit.ref }) : indexedBody.get(hit.rowid)) as string | null | undefined;
    return (text === undefined || text === null ? null : excerptAround(text, terms)) ?? markTerms(hit.title, terms);
  };
  const statements = {
    applicant: db.prepare('SELECT id FROM applications WHERE applicant_id = ? ORDER BY removed_at IS NOT NULL, id LIMIT 1').pluck(),
    letter: db.prepare('SELECT p.id FROM letters l JOIN applications p ON p.account_id = l.account_id AND p.remote_id = l.application_remote_id WHERE l.id = ?').pluck(),
    letterDocument: db.prepare('SELECT document_id FROM letters WHERE id = ?').pluck(),
    // Two indexed lookups: the document's own application, else its applicant's first application.
    document: db.prepare(
      `SELECT coalesce(
         (SELECT p.id FROM applications p WHERE p.account_id = d.account_id AND p.remote_id = d.application_remote_id),
         (SELECT p.id FROM applicants a JOIN applications p ON p.applicant_id = a.id WHERE a.account_id = d.account_id AND a.remote_id = d.applicant_remote_id ORDER BY p.id LIMIT 1))
       FROM documents d WHERE d.id = ?`,
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
    snippet: snippetOf(hit),
    rank: hit.rank,
  }));
}

interface Term {
  readonly text: string;
  readonly prefix: boolean;
}

function queryTerms(input: string): Term[] {
  const query = ftsQuery(input);
  if (query === null) return [];
  return [...query.matchAll(/"([^"]*)"(\*?)/g)].map((match) => ({ text: match[1] ?? '', prefix: match[2] === '*' }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression matching any term as a whole word (the last also as a word prefix), ignoring case. */
function termPattern(terms: readonly Term[], flags: string): RegExp {
  const alternatives = terms.map((term) => `${escapeRegExp(term.text)}${term.prefix ? '[\\p{L}\\p{N}]*' : ''}`).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, flags);
}

/** Marks every occurrence of the terms in a short text (a title). */
export function markTerms(text: string, terms: readonly Term[]): string {
  return terms.length === 0 ? text : text.replace(termPattern(terms, 'giu'), (match) => `${markOpen}${match}${markClose}`);
}

/**
 * About sixteen words of a document's text around the first match, every match inside marked,
 * as FTS5's snippet() would give; null when no term occurs in the text (the match was in the title).
 * Only the first match is searched for and only the window is examined, so a long text costs little.
 */
export function excerptAround(text: string, terms: readonly Term[], words = 16): string | null {
  if (terms.length === 0) return null;
  const first = termPattern(terms, 'iu').exec(text);
  if (!first) return null;
  const before = text.slice(Math.max(0, first.index - 200), first.index).split(/(?<=\s)/u);
  const lead = before.slice(-Math.floor(words / 4)).join('');
  const from = first.index - lead.length;
  let to = first.index;
  for (let count = 0; count < words - Math.floor(words / 4) && to < text.length; count += 1) {
    const next = /\s+/u.exec(text.slice(to + 1, to + 400));
    to = next ? to + 1 + next.index + next[0].length : Math.min(text.length, to + 400);
  }
  const window = text.slice(from, to).replace(/\s+/gu, ' ').trim();
  return `${from > 0 ? '…' : ''}${markTerms(window, terms)}${to < text.length ? '…' : ''}`;
}
