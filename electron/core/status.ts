import type { Db } from './db/database.ts';

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
}

const countedTables = ['jobs', 'applicants', 'applications', 'letters', 'documents', 'interview_slots'] as const;

/** Counts per account and kind, last sync and pending downloads: what `dossier status` prints. */
export function accountStatuses(db: Db): AccountStatus[] {
  const accounts = db.prepare('SELECT id, name, provider, state, last_synced_at FROM accounts ORDER BY name').all() as {
    id: number; name: string; provider: string; state: string; last_synced_at: string | null;
  }[];
  const countStatements = countedTables.map((table) => [
    table,
    db.prepare(`SELECT count(*) AS n FROM ${table} WHERE account_id = ? AND removed_at IS NULL`),
  ] as const);
  const pending = db.prepare(
    `SELECT count(*) AS n FROM downloads JOIN documents ON documents.id = downloads.document_id
     WHERE documents.account_id = ? AND documents.removed_at IS NULL AND downloads.state = ?`,
  );
  const outbox = db.prepare(`SELECT count(*) AS n FROM outbox WHERE account_id = ? AND state IN (?, ?)`);
  const lastRun = db.prepare(`SELECT outcome, error_code, error_message FROM sync_runs WHERE account_id = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1`);
  const count = (statement: typeof pending, ...values: unknown[]): number => (statement.get(...values) as { n: number }).n;
  return accounts.map((account) => {
    const run = lastRun.get(account.id) as { outcome: string; error_code: string | null; error_message: string | null } | undefined;
    return {
      accountId: account.id,
      account: account.name,
      provider: account.provider,
      state: account.state,
      lastSyncedAt: account.last_synced_at,
      counts: Object.fromEntries(countStatements.map(([table, statement]) => [table, (statement.get(account.id) as { n: number }).n])),
      pendingDownloads: count(pending, account.id, 'pending'),
      failedDownloads: count(pending, account.id, 'failed'),
      pendingOutbox: count(outbox, account.id, 'pending', 'sending'),
      failedOutbox: count(outbox, account.id, 'failed', 'failed'),
      lastError: run?.outcome === 'error' ? { code: run.error_code ?? 'internal', message: run.error_message ?? '' } : null,
    };
  });
}
