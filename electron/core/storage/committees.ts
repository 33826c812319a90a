import type { MemberRole } from '../../../shared/committee.ts';
import { displayName } from './applications-query.ts';
import { writeTransaction } from './database.ts';
import { stringArray } from './json-columns.ts';
import { Table } from './table.ts';

export type CommitteeState = 'active' | 'revoked';

export interface CommitteeRow {
  readonly id: string;
  readonly name: string;
  readonly serverUrl: string;
  readonly memberId: string;
  readonly role: MemberRole;
  readonly memberName: string;
  readonly accountId: number;
  readonly jobRemoteIds: readonly string[];
  readonly joinedAt: string;
  readonly lastSyncedAt: string | null;
  readonly state: CommitteeState;
  /** Edits made here since the last completed sync: what is still to be delivered, shown while offline. */
  readonly unsyncedLocal: number;
}

/** An application of a committee's jobs in this machine's cache, matched by the provider's ids. */
export interface CommitteeApplication {
  readonly id: number;
  readonly accountId: number;
  readonly remoteId: string;
  readonly jobRemoteId: string | null;
  readonly name: string;
  readonly jobTitle: string;
}

type StoredRow = Omit<CommitteeRow, 'jobRemoteIds'> & { jobRemoteIds: string };

const columns = `id, name, server_url AS serverUrl, member_id AS memberId, role, member_name AS memberName, account_id AS accountId,
  job_remote_ids AS jobRemoteIds, joined_at AS joinedAt, last_synced_at AS lastSyncedAt, state, unsynced_local AS unsyncedLocal`;

const applicationColumns = `a.id AS id, a.account_id AS accountId, a.remote_id AS remoteId, coalesce(j.remote_id, a.job_remote_id) AS jobRemoteId,
  coalesce(${displayName}, 'Applicant ' || a.remote_id) AS name, coalesce(j.title, a.job_title, '') AS jobTitle
  FROM applications a LEFT JOIN jobs j ON j.id = a.job_id LEFT JOIN applicants ap ON ap.id = a.applicant_id`;

const parsed = (row: StoredRow): CommitteeRow => ({ ...row, jobRemoteIds: stringArray(row.jobRemoteIds) });

/** Committees (`committees`) and their shared documents as an append-only log of Yjs updates (`committee_updates`). */
export class CommitteesTable extends Table {
  list(): CommitteeRow[] {
    return this.sql<[], StoredRow>(`SELECT ${columns} FROM committees ORDER BY name COLLATE NOCASE, id`).all().map(parsed);
  }

  get(id: string): CommitteeRow | undefined {
    const row = this.sql<[string], StoredRow>(`SELECT ${columns} FROM committees WHERE id = ?`).get(id);
    return row === undefined ? undefined : parsed(row);
  }

  /** Records a committee with its document's first state, in one transaction. */
  insert(row: Omit<CommitteeRow, 'lastSyncedAt' | 'state' | 'unsyncedLocal'>, firstUpdate: Uint8Array): void {
    writeTransaction(this.db, () => {
      this.sql(`INSERT INTO committees (id, name, server_url, member_id, role, member_name, account_id, job_remote_ids, joined_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(row.id, row.name, row.serverUrl, row.memberId, row.role, row.memberName, row.accountId, JSON.stringify(row.jobRemoteIds), row.joinedAt);
      this.appendUpdate(row.id, firstUpdate, true);
    });
  }

  /** What the shared document says the committee is called and covers, as it changes. */
  setDescription(id: string, name: string, jobRemoteIds: readonly string[]): void {
    this.sql<[string, string, string]>('UPDATE committees SET name = ?, job_remote_ids = ? WHERE id = ?').run(name, JSON.stringify(jobRemoteIds), id);
  }

  /** A completed sync: the server holds every edit made here until now. */
  markSynced(id: string, at: string): void {
    this.sql<[string, string]>('UPDATE committees SET last_synced_at = ?, unsynced_local = 0 WHERE id = ?').run(at, id);
  }

  setState(id: string, state: CommitteeState): void {
    this.sql<[string, string]>('UPDATE committees SET state = ? WHERE id = ?').run(state, id);
  }

  remove(id: string): boolean {
    return this.sql<[string]>('DELETE FROM committees WHERE id = ?').run(id).changes > 0;
  }

  /** Appends one update, counting it as undelivered when it was made here (`local`). */
  appendUpdate(id: string, update: Uint8Array, local: boolean): void {
    writeTransaction(this.db, () => {
      this.sql<[string, Buffer]>('INSERT INTO committee_updates (committee_id, update_bytes) VALUES (?, ?)').run(id, Buffer.from(update.buffer, update.byteOffset, update.byteLength));
      if (local) this.sql<[string]>('UPDATE committees SET unsynced_local = unsynced_local + 1 WHERE id = ?').run(id);
    });
  }

  updates(id: string): Buffer[] {
    return this.sql<[string], Buffer>('SELECT update_bytes FROM committee_updates WHERE committee_id = ? ORDER BY id').pluck().all(id);
  }

  /**
   * Replaces the first `merged` updates of the log (those `state` was built from) with `state`, in
   * one transaction: an update appended meanwhile stays, and a crash midway leaves the old log.
   */
  compact(id: string, state: Uint8Array, merged: number): void {
    writeTransaction(this.db, () => {
      this.sql<[string, number]>('DELETE FROM committee_updates WHERE id IN (SELECT id FROM committee_updates WHERE committee_id = ? ORDER BY id LIMIT ?)').run(id, merged);
      this.sql<[string, Buffer]>('INSERT INTO committee_updates (committee_id, update_bytes) VALUES (?, ?)').run(id, Buffer.from(state.buffer, state.byteOffset, state.byteLength));
    });
  }

  /** The account's applications of the given jobs (by the provider's job ids) still in the cache. */
  applications(accountId: number, jobRemoteIds: readonly string[]): CommitteeApplication[] {
    return this.sql<[number, string], CommitteeApplication>(
      `SELECT ${applicationColumns}
       WHERE a.account_id = ? AND a.removed_at IS NULL AND coalesce(j.remote_id, a.job_remote_id) IN (SELECT value FROM json_each(?))
       ORDER BY a.id`,
    ).all(accountId, JSON.stringify(jobRemoteIds));
  }

  application(applicationId: number): CommitteeApplication | undefined {
    return this.sql<[number], CommitteeApplication>(`SELECT ${applicationColumns} WHERE a.id = ?`).get(applicationId);
  }

  /** The ids of the local jobs with these provider ids, in the given order (a job not synced here is left out). */
  jobIds(accountId: number, jobRemoteIds: readonly string[]): number[] {
    return this.sql<[string, number], number>(
      'SELECT j.id FROM json_each(?) ids JOIN jobs j ON j.account_id = ? AND j.remote_id = ids.value ORDER BY ids.key',
    ).pluck().all(JSON.stringify(jobRemoteIds), accountId);
  }
}
