import type { LookupRecord } from '../providers/kit/records.ts';
import { Table } from './table.ts';

export interface Lookup {
  readonly kind: LookupRecord['kind'];
  readonly remoteId: string;
  readonly label: string;
}

/** A provider's option lists (countries, job types and categories) that postings choose from. */
export class LookupsTable extends Table {
  list(accountId: number): Lookup[] {
    return this.sql<[number], Lookup>(
      `SELECT kind, remote_id AS remoteId, label FROM lookups WHERE account_id = ? AND kind IN ('country', 'job_type', 'job_category') ORDER BY kind, label`,
    ).all(accountId);
  }
}
