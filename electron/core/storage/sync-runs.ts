import type { DossierErrorValue } from '../../../shared/errors.ts';
import { nowIso } from '../base/time.ts';
import { Table } from './table.ts';

export type RunOutcome = 'ok' | 'error' | 'cancelled';

/** Each sync of an account (`sync_runs`) and the incremental cursors its passes leave (`sync_cursors`). */
export class SyncRunsTable extends Table {
  /** Records that a sync of the account began; returns the run's id. */
  begin(accountId: number): number {
    return Number(this.sql<[number, string]>('INSERT INTO sync_runs (account_id, started_at) VALUES (?, ?)').run(accountId, nowIso()).lastInsertRowid);
  }

  finish(runId: number, outcome: RunOutcome, counts: Readonly<Record<string, number>>, error: DossierErrorValue | null): void {
    this.sql<[string, RunOutcome, string | null, string | null, string, number]>(
      'UPDATE sync_runs SET finished_at = ?, outcome = ?, error_code = ?, error_message = ?, counts_json = ? WHERE id = ?',
    ).run(nowIso(), outcome, error?.code ?? null, error?.message ?? null, JSON.stringify(counts), runId);
  }

  /** Runs that never recorded an outcome: their process ended mid-sync, or is still syncing. */
  unfinished(): { id: number; accountId: number }[] {
    return this.sql<[], { id: number; accountId: number }>('SELECT id, account_id AS accountId FROM sync_runs WHERE outcome IS NULL ORDER BY id').all();
  }

  /**
   * Whether the providers were reachable last time we tried: false when every account's latest
   * finished sync failed for want of a network. With no sync yet we have no reason to say offline.
   */
  lastKnownOnline(): boolean {
    const outcomes = this.sql<[], { errorCode: string | null }>(
      `SELECT r.error_code AS errorCode FROM sync_runs r
        WHERE r.finished_at IS NOT NULL AND r.id = (SELECT max(id) FROM sync_runs WHERE account_id = r.account_id AND finished_at IS NOT NULL)`,
    ).all();
    return outcomes.length === 0 || outcomes.some((outcome) => outcome.errorCode !== 'network.unreachable');
  }

  /** The cursor each resource's last successful pass saved. */
  cursors(accountId: number): Map<string, string> {
    const rows = this.sql<[number], { resource: string; cursor: string }>('SELECT resource, cursor FROM sync_cursors WHERE account_id = ?').all(accountId);
    return new Map(rows.map((row) => [row.resource, row.cursor]));
  }

  saveCursors(accountId: number, cursors: Readonly<Record<string, string>>, at: string): void {
    const save = this.sql<[number, string, string, string]>(
      `INSERT INTO sync_cursors (account_id, resource, cursor, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    );
    for (const [resource, cursor] of Object.entries(cursors)) save.run(accountId, resource, cursor, at);
  }
}
