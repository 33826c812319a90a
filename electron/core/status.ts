import type { Db } from './db/database.ts';

export interface AccountStatus {
  account: string;
  provider: string;
  state: string;
  lastSyncedAt: string | null;
  counts: Record<string, number>;
  pendingDownloads: number;
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
     WHERE documents.account_id = ? AND downloads.state <> 'verified'`,
  );
  return accounts.map((account) => ({
    account: account.name,
    provider: account.provider,
    state: account.state,
    lastSyncedAt: account.last_synced_at,
    counts: Object.fromEntries(countStatements.map(([table, statement]) => [table, (statement.get(account.id) as { n: number }).n])),
    pendingDownloads: (pending.get(account.id) as { n: number }).n,
  }));
}
