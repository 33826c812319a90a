import { Table } from './table.ts';
import { writeTransaction } from './database.ts';

/**
 * Two FTS5 indexes, self-contained so the indexed text can be read back. `search_index` holds every
 * row with its whole text (documents with their extracted text); `search_records` holds the same rows
 * without document texts, small enough to rank in full on every keystroke. Each indexed row has a
 * rowid derived from its kind and local id, the same in both, so one row is replaced without scanning.
 */
export const searchKinds = ['applicant', 'application', 'letter', 'document'] as const;
export type SearchKind = (typeof searchKinds)[number];

export function searchRowId(kind: SearchKind, ref: number): number {
  return ref * searchKinds.length + searchKinds.indexOf(kind);
}

export interface ChangedRows {
  readonly applicants?: readonly number[];
  readonly applications?: readonly number[];
  readonly letters?: readonly number[];
  readonly documents?: readonly number[];
}

interface Entry {
  readonly accountId: number;
  readonly title: string;
  readonly body: string;
}

const sources: Record<SearchKind, string> = {
  applicant: `SELECT account_id AS accountId,
      trim(coalesce(first_name, '') || ' ' || coalesce(middle_name || ' ', '') || coalesce(last_name, '')) AS title,
      concat_ws(' · ', institution, current_institution, current_position, degree, primary_field,
        (SELECT group_concat(value, ', ') FROM json_each(fields_json)), country, nationality, email) AS body
    FROM applicants WHERE id = ?
      -- A removed applicant no application names any more (one re-keyed to its person, decision 0014) would be a
      -- second hit for the person that opens nothing.
      AND (removed_at IS NULL OR EXISTS (SELECT 1 FROM applications p WHERE p.applicant_id = applicants.id))`,
  application: `SELECT p.account_id AS accountId,
      trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')) || coalesce(' — ' || p.job_title, '') AS title,
      coalesce((SELECT group_concat(json_extract(value, '$.question') || ': ' || json_extract(value, '$.answer'), ' · ') FROM json_each(p.answers_json)), '') AS body
    FROM applications p LEFT JOIN applicants a ON a.id = p.applicant_id WHERE p.id = ?`,
  letter: `SELECT l.account_id AS accountId, l.writer_name AS title,
      concat_ws(' · ', l.writer_institution, l.writer_department, l.writer_email,
        'letter for ' || trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, ''))) AS body
    FROM letters l LEFT JOIN applicants a ON a.account_id = l.account_id AND a.remote_id = l.applicant_remote_id WHERE l.id = ?`,
  document: `SELECT d.account_id AS accountId, concat_ws(' · ', d.title, d.file_name) AS title, coalesce(t.text, '') AS body
    FROM documents d LEFT JOIN document_texts t ON t.sha256 = d.sha256 WHERE d.id = ?`,
};

/** Below this many new rows, FTS5's automerge keeps the index compact enough on its own. */
const rowsWorthOptimizing = 100;

/** Writes both full-text indexes. */
export class SearchIndexTable extends Table {
  /** Replaces the index rows of the given local rows (removing those whose row is gone), in one transaction. */
  reindex(changed: ChangedRows): void {
    const remove = this.sql<[number]>('DELETE FROM search_index WHERE rowid = ?');
    const insert = this.sql<[number, SearchKind, number, number, string, string]>('INSERT INTO search_index (rowid, kind, ref, account_id, title, body) VALUES (?, ?, ?, ?, ?, ?)');
    const removeRecord = this.sql<[number]>('DELETE FROM search_records WHERE rowid = ?');
    const insertRecord = this.sql<[number, SearchKind, number, number, string, string]>('INSERT INTO search_records (rowid, kind, ref, account_id, title, body) VALUES (?, ?, ?, ?, ?, ?)');
    const lists: Record<SearchKind, readonly number[] | undefined> = {
      applicant: changed.applicants,
      application: changed.applications,
      letter: changed.letters,
      document: changed.documents,
    };
    writeTransaction(this.db, () => {
      for (const kind of searchKinds) {
        const ids = lists[kind];
        if (!ids || ids.length === 0) continue;
        const source = this.sql<[number], Entry>(sources[kind]);
        for (const id of ids) {
          const rowid = searchRowId(kind, id);
          remove.run(rowid);
          removeRecord.run(rowid);
          const entry = source.get(id);
          if (!entry) continue;
          insert.run(rowid, kind, id, entry.accountId, entry.title ?? '', entry.body ?? '');
          insertRecord.run(rowid, kind, id, entry.accountId, entry.title ?? '', kind === 'document' ? '' : (entry.body ?? ''));
        }
      }
    });
  }

  /** Applications whose index rows show the applicant's name must follow a renamed applicant. */
  applicationsOfApplicants(applicantIds: readonly number[]): number[] {
    if (applicantIds.length === 0) return [];
    const statement = this.sql<[number], number>('SELECT id FROM applications WHERE applicant_id = ?').pluck();
    return applicantIds.flatMap((id) => statement.all(id));
  }

  /**
   * Merges each index into one segment after a bulk arrival (a first sync indexes each document in its
   * own transaction, leaving many small segments that every query would otherwise walk).
   */
  compact(addedRows: number): void {
    if (addedRows < rowsWorthOptimizing) return;
    this.sql("INSERT INTO search_index (search_index) VALUES ('optimize')").run();
    this.sql("INSERT INTO search_records (search_records) VALUES ('optimize')").run();
  }
}
