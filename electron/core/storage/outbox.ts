import type { OutboxItem } from '../../../shared/domain.ts';
import { nowIso } from '../base/time.ts';
import { Table } from './table.ts';

export type OutboxKind = OutboxItem['kind'];

interface OutboxRow {
  id: number;
  account_id: number;
  kind: OutboxKind;
  state: OutboxItem['state'];
  summary: string;
  attempts: number;
  last_error: string | null;
  remote_id: string | null;
  created_at: string;
  idempotency_key: string;
  payload_json: string;
}

/** A queued write as the sync sends it: the item the UI shows, with its payload and key. */
export interface QueuedWrite {
  readonly item: OutboxItem;
  readonly payload: Record<string, unknown>;
  readonly idempotencyKey: string;
}

function toItem(row: OutboxRow): OutboxItem {
  const { jobId, applicationId } = JSON.parse(row.payload_json) as { jobId?: unknown; applicationId?: unknown };
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    jobId: typeof jobId === 'number' ? jobId : null,
    applicationId: typeof applicationId === 'number' ? applicationId : null,
    state: row.state,
    summary: row.summary,
    attempts: row.attempts,
    lastError: row.last_error,
    remoteId: row.remote_id,
    createdAt: row.created_at,
  };
}

function toWrite(row: OutboxRow): QueuedWrite {
  return { item: toItem(row), payload: JSON.parse(row.payload_json) as Record<string, unknown>, idempotencyKey: row.idempotency_key };
}

/** The outbox: writes to a provider queued durably until a sync sends them. */
export class OutboxTable extends Table {
  /** Queues a write unless one with the same key is queued already; returns the item either way. */
  enqueue(write: { accountId: number; kind: OutboxKind; payload: Record<string, unknown>; summary: string; key: string }): OutboxItem {
    const now = nowIso();
    this.sql<(string | number)[]>(
      `INSERT INTO outbox (account_id, kind, idempotency_key, payload_json, summary, state, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    ).run(write.accountId, write.kind, write.key, JSON.stringify(write.payload), write.summary, now, now);
    return toItem(this.sql<[string], OutboxRow>('SELECT * FROM outbox WHERE idempotency_key = ?').get(write.key) as OutboxRow);
  }

  get(id: number): OutboxItem | undefined {
    const row = this.sql<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
    return row === undefined ? undefined : toItem(row);
  }

  list(accountId?: number): OutboxItem[] {
    const rows = accountId === undefined
      ? this.sql<[], OutboxRow>('SELECT * FROM outbox ORDER BY id').all()
      : this.sql<[number], OutboxRow>('SELECT * FROM outbox WHERE account_id = ? ORDER BY id').all(accountId);
    return rows.map(toItem);
  }

  /** Puts a failed or waiting item back in the queue with its attempts reset; a sent item stays sent. */
  requeue(id: number): void {
    this.sql<[string, number]>(`UPDATE outbox SET state = 'pending', attempts = 0, updated_at = ? WHERE id = ? AND state <> 'sent'`).run(nowIso(), id);
  }

  /** What a sync of the account sends, in order: pending items, items a crash left mid-send, and failures with attempts left. */
  due(accountId: number, maxAttempts: number): QueuedWrite[] {
    return this.sql<[number, number], OutboxRow>(
      `SELECT * FROM outbox WHERE account_id = ? AND (state IN ('pending', 'sending') OR (state = 'failed' AND attempts < ?)) ORDER BY id`,
    ).all(accountId, maxAttempts).map(toWrite);
  }

  /** Claims an item for sending; false when it is gone (withdrawn since the sync listed it) or already sent. */
  markSending(id: number): boolean {
    return this.sql<[string, number]>(`UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ? AND state <> 'sent'`).run(nowIso(), id).changes === 1;
  }

  /** Removes an item not yet on its way (pending or failed); false when it is sending, sent or gone. */
  withdraw(id: number): boolean {
    return this.sql<[number]>(`DELETE FROM outbox WHERE id = ? AND state IN ('pending', 'failed')`).run(id).changes === 1;
  }

  markSent(id: number, remoteId: string | null): void {
    this.sql<[string | null, string, number]>(`UPDATE outbox SET state = 'sent', remote_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`).run(remoteId, nowIso(), id);
  }

  markFailed(id: number, error: string): void {
    this.sql<[string, string, number]>(`UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?`).run(error, nowIso(), id);
  }
}
