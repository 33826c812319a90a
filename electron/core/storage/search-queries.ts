import type { DocumentKind } from '../../../shared/domain.ts';
import type { SearchPhrase } from '../../../shared/search-terms.ts';
import { displayName } from './applications-query.ts';
import { ftsMatch } from './fts-query.ts';
import { searchKinds, type SearchKind } from './search-index.ts';
import { Table } from './table.ts';

/** An index row a search found, with its score on one scale across the tiers (lower is better). */
export interface RankedRow {
  readonly rowid: number;
  readonly kind: SearchKind;
  readonly ref: number;
  readonly title: string;
  /** The row's indexed text (a document's whole text), for the snippet. */
  readonly body: string;
  readonly rank: number;
}

/** Where a hit leads (the application and document a reviewer opens) and how the list of results names it. */
export interface ResolvedHit {
  readonly applicationId: number | null;
  readonly documentId: number | null;
  /** The applicant's name and the job of the application, when the hit leads to one. */
  readonly applicantName: string | null;
  readonly jobId: number | null;
  readonly jobTitle: string | null;
  /** The kind and title of the document, null when the hit leads to none or it is gone. */
  readonly documentKind: DocumentKind | null;
  readonly documentTitle: string | null;
  /** For a letter's file, the letter's writer. */
  readonly writer: string | null;
}

/**
 * At most this many rows of one tier are scored by bm25 (a few milliseconds per thousand documents):
 * a word in more rows than this ("economics", a university) is ranked among the most recently indexed
 * rows that contain it rather than among all of them, which keeps every search within a keystroke.
 */
const rankedCandidates = 1000;

/** SQL true for an index row of a document (see searchRowId). */
const isDocumentRow = `rowid % ${searchKinds.length} = ${searchKinds.indexOf('document')}`;

/**
 * The tiers of a search, each ranked by bm25 (a title match weighing more than a body match) and
 * placed after the one before: a person's name first (an applicant, an application, a letter writer),
 * then a match anywhere in those rows or in a document's title, then one in a document's text.
 * Names are a tier of their own because bm25 normalises by a row's whole length, which would put a
 * document whose file name holds the name ("Johnson_CV.pdf") before the applicant. The document
 * texts are by far the largest index, so they are ranked only when the first tiers leave room.
 */
const tiers = [
  { table: 'search_records', match: (query: string) => `{title} : (${query})`, rows: `NOT (${isDocumentRow})` },
  { table: 'search_records', match: (query: string) => query, rows: null },
  { table: 'search_index', match: (query: string) => query, rows: isDocumentRow },
] as const;

type Tier = (typeof tiers)[number];

// Scores are computed in the inner query for rowids alone; stored columns are read for the kept hits
// only, from search_index (same rowids), which also holds the text of a document found by its title.
function tierSql(tier: Tier): string {
  return `SELECT r.rowid, s.kind, s.ref, s.title, s.body, r.rank FROM (
       SELECT rowid, rank FROM (
         SELECT rowid, bm25(${tier.table}, 0, 0, 0, 4.0, 1.0) AS rank FROM ${tier.table}
         WHERE ${tier.table} MATCH @query ${tier.rows === null ? '' : `AND ${tier.rows}`} ORDER BY rowid DESC LIMIT @candidates
       ) ORDER BY rank LIMIT @limit
     ) r JOIN search_index s ON s.rowid = r.rowid ORDER BY r.rank`;
}

/** Reads both full-text indexes for a search, and the application each kind of hit opens. */
export class SearchQueries extends Table {
  /** The best `limit` rows for a search's phrases (at least one), tier by tier; a row already found in an earlier tier keeps its place. */
  ranked(phrases: readonly SearchPhrase[], limit: number): RankedRow[] {
    const hits: RankedRow[] = [];
    const found = new Set<number>();
    const query = ftsMatch(phrases);
    for (const [tierIndex, tier] of tiers.entries()) {
      if (hits.length >= limit) break;
      // Rows read past the room left are those found before that this tier finds again (and skips).
      const foundAgain = tier.rows === isDocumentRow ? hits.filter((hit) => hit.kind === 'document').length : hits.length;
      const rows = this.sql<[{ query: string; candidates: number; limit: number }], RankedRow>(tierSql(tier))
        .all({ query: tier.match(query), candidates: Math.max(rankedCandidates, limit), limit: limit - hits.length + foundAgain });
      for (const row of rows) {
        if (hits.length >= limit) break;
        if (found.has(row.rowid)) continue;
        found.add(row.rowid);
        // One scale for every hit, in the order given: the tier, then its bm25 (≤ 0) mapped into (0, 1].
        hits.push({ ...row, rank: tierIndex + 1 / (1 - row.rank) });
      }
    }
    return hits;
  }

  /**
   * Where each hit leads and how the list of results names it, for all the hits in one statement
   * (a query per hit and per label cost more than the ranking itself): the application a hit opens
   * (an applicant's first one still listed upstream, else their first; a letter's; a document's own,
   * else its applicant's first), the document it opens, whose it is and for which job, and the document's kind,
   * title and, for a letter's file, the letter's writer. A hit whose row is gone leads nowhere.
   */
  resolved(hits: readonly Pick<RankedRow, 'rowid' | 'kind' | 'ref'>[]): Map<number, ResolvedHit> {
    const rows = this.sql<[string], ResolvedHit & { rowid: number }>(
      `WITH hit AS (
         SELECT json_extract(value, '$[0]') AS rowid, json_extract(value, '$[1]') AS kind, json_extract(value, '$[2]') AS ref FROM json_each(?)
       ), located AS (
         SELECT h.rowid, CASE h.kind
             WHEN 'application' THEN h.ref
             WHEN 'applicant' THEN (SELECT id FROM applications WHERE applicant_id = h.ref ORDER BY removed_at IS NOT NULL, id LIMIT 1)
             WHEN 'letter' THEN (SELECT p.id FROM letters l JOIN applications p ON p.account_id = l.account_id AND p.remote_id = l.application_remote_id WHERE l.id = h.ref)
             WHEN 'document' THEN (SELECT coalesce(
                 (SELECT p.id FROM applications p WHERE p.account_id = d.account_id AND p.remote_id = d.application_remote_id),
                 (SELECT p.id FROM applicants a JOIN applications p ON p.applicant_id = a.id WHERE a.account_id = d.account_id AND a.remote_id = d.applicant_remote_id ORDER BY p.id LIMIT 1))
               FROM documents d WHERE d.id = h.ref)
           END AS applicationId,
           CASE h.kind WHEN 'letter' THEN (SELECT document_id FROM letters WHERE id = h.ref) WHEN 'document' THEN h.ref END AS documentId
         FROM hit h
       )
       SELECT x.rowid, x.applicationId, x.documentId,
         ${displayName} AS applicantName, a.job_id AS jobId, coalesce(j.title, a.job_title) AS jobTitle,
         d.kind AS documentKind, coalesce(d.title, '') AS documentTitle,
         (SELECT l.writer_name FROM letters l WHERE l.document_id = d.id AND l.removed_at IS NULL LIMIT 1) AS writer
       FROM located x LEFT JOIN applications a ON a.id = x.applicationId LEFT JOIN applicants ap ON ap.id = a.applicant_id
         LEFT JOIN jobs j ON j.id = a.job_id LEFT JOIN documents d ON d.id = x.documentId`,
    ).all(JSON.stringify(hits.map((hit) => [hit.rowid, hit.kind, hit.ref])));
    return new Map(rows.map(({ rowid, ...hit }) => [rowid, hit]));
  }
}
