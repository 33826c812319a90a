import type { DocumentKind } from '../../../shared/domain.ts';
import { displayName } from './applications-query.ts';
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

/** Where a letter leads: the application it was written for and its file. */
export interface LetterTarget {
  readonly applicationId: number | null;
  readonly documentId: number | null;
}

/** Whose a hit is and for which job, as the list of results names them. */
export interface ApplicationLabel {
  readonly applicantName: string | null;
  readonly jobId: number | null;
  readonly jobTitle: string | null;
}

/** What a document hit names: its kind, its title and, for a letter's file, the letter's writer. */
export interface DocumentLabel {
  readonly kind: DocumentKind;
  readonly title: string;
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
  /** The best `limit` rows for an FTS5 query (see ftsQuery), tier by tier; a row already found in an earlier tier keeps its place. */
  ranked(query: string, limit: number): RankedRow[] {
    const hits: RankedRow[] = [];
    const found = new Set<number>();
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

  /** The application a hit on an applicant opens: their first one still listed upstream, else their first. */
  applicationOfApplicant(applicantId: number): number | null {
    return this.sql<[number], number>('SELECT id FROM applications WHERE applicant_id = ? ORDER BY removed_at IS NOT NULL, id LIMIT 1').pluck().get(applicantId) ?? null;
  }

  /** Where a hit on a letter leads; nowhere when the letter is gone. */
  letterTarget(letterId: number): LetterTarget {
    const target = this.sql<[number], LetterTarget>(
      `SELECT (SELECT p.id FROM applications p WHERE p.account_id = l.account_id AND p.remote_id = l.application_remote_id) AS applicationId,
         l.document_id AS documentId FROM letters l WHERE l.id = ?`,
    ).get(letterId);
    return target ?? { applicationId: null, documentId: null };
  }

  /** Two indexed lookups: the document's own application, else its applicant's first application. */
  applicationOfDocument(documentId: number): number | null {
    return this.sql<[number], number | null>(
      `SELECT coalesce(
         (SELECT p.id FROM applications p WHERE p.account_id = d.account_id AND p.remote_id = d.application_remote_id),
         (SELECT p.id FROM applicants a JOIN applications p ON p.applicant_id = a.id WHERE a.account_id = d.account_id AND a.remote_id = d.applicant_remote_id ORDER BY p.id LIMIT 1))
       FROM documents d WHERE d.id = ?`,
    ).pluck().get(documentId) ?? null;
  }

  /** The applicant's name and the job of an application, for a hit that leads to it. */
  applicationLabel(applicationId: number): ApplicationLabel {
    return this.sql<[number], ApplicationLabel>(
      `SELECT ${displayName} AS applicantName, a.job_id AS jobId, coalesce(j.title, a.job_title) AS jobTitle
       FROM applications a LEFT JOIN applicants ap ON ap.id = a.applicant_id LEFT JOIN jobs j ON j.id = a.job_id WHERE a.id = ?`,
    ).get(applicationId) ?? { applicantName: null, jobId: null, jobTitle: null };
  }

  documentLabel(documentId: number): DocumentLabel | undefined {
    return this.sql<[number], DocumentLabel>(
      `SELECT d.kind, d.title, (SELECT l.writer_name FROM letters l WHERE l.document_id = d.id AND l.removed_at IS NULL LIMIT 1) AS writer
       FROM documents d WHERE d.id = ?`,
    ).get(documentId);
  }
}
