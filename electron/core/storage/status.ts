import { offerCursorPrefix, type Offer } from '../providers/kit/connector.ts';
import { Table } from './table.ts';

export interface AccountStatus {
  accountId: number;
  account: string;
  provider: string;
  state: string;
  lastSyncedAt: string | null;
  counts: Record<string, number>;
  pendingDownloads: number;
  /** Downloads that failed and wait for the next sync (each with its error in the ledger). */
  failedDownloads: number;
  /** Queued writes not yet sent, and those that failed (shown until retried). */
  pendingOutbox: number;
  failedOutbox: number;
  /** The last sync's error, when the last sync failed. */
  lastError: { code: string; message: string } | null;
  /** What the account's optional endpoints were last found to offer, by feature (`posting_options`). */
  offers: Record<string, Offer>;
}

const countedTables = ['jobs', 'applicants', 'applications', 'letters', 'documents', 'interview_slots'] as const;

interface AccountLine {
  id: number;
  name: string;
  provider: string;
  state: string;
  last_synced_at: string | null;
}

interface LastRun {
  outcome: string;
  error_code: string | null;
  error_message: string | null;
}

/** Counts per account and kind, last sync and pending downloads: what `dossier status` prints. */
export class AccountStatusQuery extends Table {
  all(): AccountStatus[] {
    const accounts = this.sql<[], AccountLine>('SELECT id, name, provider, state, last_synced_at FROM accounts ORDER BY name').all();
    const count = (sql: string, ...values: (string | number)[]): number => this.sql<(string | number)[], number>(sql).pluck().get(...values) ?? 0;
    const downloads = `SELECT count(*) FROM downloads JOIN documents ON documents.id = downloads.document_id
      WHERE documents.account_id = ? AND documents.removed_at IS NULL AND downloads.state = ?`;
    const outbox = 'SELECT count(*) FROM outbox WHERE account_id = ? AND state IN (?, ?)';
    return accounts.map((account) => {
      const run = this.sql<[number], LastRun>('SELECT outcome, error_code, error_message FROM sync_runs WHERE account_id = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1').get(account.id);
      return {
        accountId: account.id,
        account: account.name,
        provider: account.provider,
        state: account.state,
        lastSyncedAt: account.last_synced_at,
        counts: Object.fromEntries(countedTables.map((table) => [table, count(`SELECT count(*) FROM ${table} WHERE account_id = ? AND removed_at IS NULL`, account.id)])),
        pendingDownloads: count(downloads, account.id, 'pending'),
        failedDownloads: count(downloads, account.id, 'failed'),
        pendingOutbox: count(outbox, account.id, 'pending', 'sending'),
        failedOutbox: count(outbox, account.id, 'failed', 'failed'),
        lastError: run?.outcome === 'error' ? { code: run.error_code ?? 'internal', message: run.error_message ?? '' } : null,
        offers: this.#offers(account.id),
      };
    });
  }

  #offers(accountId: number): Record<string, Offer> {
    const rows = this.sql<[number, string], { resource: string; cursor: string }>('SELECT resource, cursor FROM sync_cursors WHERE account_id = ? AND resource LIKE ?').all(accountId, `${offerCursorPrefix}%`);
    return Object.fromEntries(rows.filter((row) => row.cursor === 'offered' || row.cursor === 'not_offered').map((row) => [row.resource.slice(offerCursorPrefix.length), row.cursor as Offer]));
  }
}
