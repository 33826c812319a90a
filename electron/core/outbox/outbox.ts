import { createHash } from 'node:crypto';
import type { OutboxItem } from '../../../shared/domain.ts';
import type { CoreDeps } from '../api/deps.ts';
import { nowIso, type Db } from '../db/database.ts';
import { DossierError, toErrorValue } from '../errors.ts';
import type { Connector, ConnectorContext } from '../sync/connector.ts';

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

/** Failures worth retrying on the next sync without asking; anything else waits for the user's retry. */
const transientCodes = new Set(['provider.throttled', 'provider.unavailable', 'network.unreachable', 'auth.expired', 'auth.needs_login', 'sync.cancelled', 'internal']);
const maxAutomaticAttempts = 5;

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    state: row.state,
    summary: row.summary,
    attempts: row.attempts,
    lastError: row.last_error,
    remoteId: row.remote_id,
    createdAt: row.created_at,
  };
}

/** A key that is the same for the same write, so enqueuing twice (a double click, a retry) queues it once. */
export function idempotencyKey(accountId: number, kind: OutboxKind, identity: unknown): string {
  return `${kind}:${accountId}:${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32)}`;
}

/**
 * Queues a write durably (it survives restarts and is sent on the next sync). Queuing the same
 * write again returns the existing item instead of a second one.
 */
export function enqueue(
  deps: Pick<CoreDeps, 'context' | 'events'>,
  write: { accountId: number; kind: OutboxKind; payload: Record<string, unknown>; summary: string; key: string },
): OutboxItem {
  const { db } = deps.context;
  const now = nowIso();
  db.prepare(
    `INSERT INTO outbox (account_id, kind, idempotency_key, payload_json, summary, state, attempts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  ).run(write.accountId, write.kind, write.key, JSON.stringify(write.payload), write.summary, now, now);
  const item = toItem(db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?').get(write.key) as OutboxRow);
  deps.events.emit('outbox.changed', item);
  return item;
}

export function listOutbox(db: Db, accountId?: number): OutboxItem[] {
  const rows = (accountId === undefined
    ? db.prepare('SELECT * FROM outbox ORDER BY id').all()
    : db.prepare('SELECT * FROM outbox WHERE account_id = ? ORDER BY id').all(accountId)) as OutboxRow[];
  return rows.map(toItem);
}

/** Puts a failed item back in the queue (the user's "retry"); a sent item cannot be sent twice. */
export function retryOutbox(deps: Pick<CoreDeps, 'context' | 'events'>, id: number): OutboxItem {
  const { db } = deps.context;
  const row = db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
  if (!row) throw new DossierError('input.invalid', `There is no queued change with id ${id}.`, { id });
  if (row.state === 'sent') throw new DossierError('input.invalid', 'This change was already sent; there is nothing to retry.', { id });
  db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, updated_at = ? WHERE id = ? AND state <> 'sent'`).run(nowIso(), id);
  const item = toItem(db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow);
  deps.events.emit('outbox.changed', item);
  return item;
}

/**
 * Sends an account's queued writes in order. Each item is marked `sending` durably before the
 * request; an item found in `sending` (a crash mid-send) is sent with `resumed`, so the connector
 * looks for the earlier send first and never applies the write twice. Returns how many were sent.
 */
export async function sendOutbox(deps: Pick<CoreDeps, 'context' | 'events'>, connector: Connector, context: ConnectorContext): Promise<number> {
  const send = connector.send;
  if (!send) return 0;
  const { db } = deps.context;
  const rows = db
    .prepare(`SELECT * FROM outbox WHERE account_id = ? AND (state IN ('pending', 'sending') OR (state = 'failed' AND attempts < ?)) ORDER BY id`)
    .all(context.accountId, maxAutomaticAttempts) as OutboxRow[];
  let sent = 0;
  const changed = (id: number) => deps.events.emit('outbox.changed', toItem(db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow));
  for (const row of rows) {
    if (row.state === 'failed' && !transientCodes.has(row.last_error?.split(':', 1)[0] ?? '')) continue;
    const resumed = row.state !== 'pending' || row.attempts > 0;
    db.prepare(`UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ?`).run(nowIso(), row.id);
    changed(row.id);
    context.progress('outbox', sent, rows.length, row.summary);
    try {
      const result = await send.call(connector, context, { item: toItem(row), payload: JSON.parse(row.payload_json) as Record<string, unknown>, idempotencyKey: row.idempotency_key, resumed });
      db.prepare(`UPDATE outbox SET state = 'sent', remote_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`).run(result.remoteId, nowIso(), row.id);
      sent += 1;
    } catch (error) {
      const value = toErrorValue(error);
      db.prepare(`UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?`).run(`${value.code}: ${value.message}`, nowIso(), row.id);
      changed(row.id);
      if (value.code === 'sync.cancelled' || value.code.startsWith('auth.')) throw error;
      continue;
    }
    changed(row.id);
  }
  return sent;
}
