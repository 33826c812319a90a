import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { PostingInput } from '../../../shared/api/postings.ts';
import type { OutboxItem } from '../../../shared/domain.ts';
import { DossierError, toErrorValue } from '../base/errors.ts';
import type { CoreEvents } from '../base/events.ts';
import type { AccountService } from '../accounts/service.ts';
import { providers } from '../providers/catalogue.ts';
import type { Connector, ConnectorContext } from '../providers/kit/connector.ts';
import type { JobsTable } from '../storage/jobs.ts';
import type { OutboxKind, OutboxTable } from '../storage/outbox.ts';

export type Posting = z.output<typeof PostingInput>;

/** Failures worth retrying on the next sync without asking; anything else waits for the user's retry. */
const transientCodes = new Set(['provider.throttled', 'provider.unavailable', 'network.unreachable', 'auth.expired', 'auth.needs_login', 'sync.cancelled', 'internal']);
const maxAutomaticAttempts = 5;

/** A key that is the same for the same write, so enqueuing twice (a double click, a retry) queues it once. */
export function idempotencyKey(accountId: number, kind: OutboxKind, identity: unknown): string {
  return `${kind}:${accountId}:${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32)}`;
}

/** The Job Space's create/update fields (2017-09+ form: handles, not ids). */
export function postingFields(posting: Posting): Record<string, string> {
  return {
    reference: posting.reference,
    name: posting.title,
    summary: posting.summary,
    description: posting.description,
    job_type: posting.jobType,
    job_category: posting.jobCategory,
    country: posting.country,
    locality: posting.locality,
    open_date: posting.openDate,
    close_date: posting.closeDate,
    salary_text: posting.salaryText,
  };
}

export interface OutboxServiceDeps {
  readonly table: OutboxTable;
  readonly jobs: JobsTable;
  readonly accounts: AccountService;
  readonly events: CoreEvents;
}

/**
 * Writes to providers (new and updated postings, applications), queued durably and sent by the
 * next sync of their account; every change of an item is announced as `outbox.changed`.
 */
export class OutboxService {
  readonly #deps: OutboxServiceDeps;

  constructor(deps: OutboxServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Queues a write durably (it survives restarts and is sent on the next sync). Queuing the same
   * write again returns the existing item instead of a second one.
   */
  enqueue(write: { accountId: number; kind: OutboxKind; payload: Record<string, unknown>; summary: string; key: string }): OutboxItem {
    const item = this.#deps.table.enqueue(write);
    this.#deps.events.emit('outbox.changed', item);
    return item;
  }

  list(accountId?: number): OutboxItem[] {
    return this.#deps.table.list(accountId);
  }

  /** Puts a failed item back in the queue (the user's "retry"); a sent item cannot be sent twice. */
  retry(id: number): OutboxItem {
    const { table } = this.#deps;
    const existing = table.get(id);
    if (!existing) throw new DossierError('input.invalid', `There is no queued change with id ${id}.`, { id });
    if (existing.state === 'sent') throw new DossierError('input.invalid', 'This change was already sent; there is nothing to retry.', { id });
    table.requeue(id);
    return this.#announce(id);
  }

  /**
   * Queues a new job posting or an update of a cached one in the outbox; it is sent on the next
   * sync (or now, when the account is online), and its failure stays visible until retried.
   */
  savePosting(posting: Posting): OutboxItem {
    const account = this.#deps.accounts.get(posting.accountId);
    const kind = posting.jobId === undefined ? 'job.create' : 'job.update';
    const provider = providers[account.provider];
    if (!provider.capabilities.writes.includes(kind)) {
      throw new DossierError('provider.unsupported', `${provider.label} does not let Dossier ${kind === 'job.create' ? 'create' : 'update'} job postings.`, { provider: account.provider });
    }
    const fields = postingFields(posting);
    if (posting.jobId === undefined) {
      return this.enqueue({
        accountId: account.id,
        kind,
        payload: { fields },
        summary: `Create posting "${posting.title}" (${posting.reference})`,
        // The reference is unique per organisation on The Job Space: the same reference is the same posting.
        key: idempotencyKey(account.id, kind, posting.reference),
      });
    }
    const jobRemoteId = this.#deps.jobs.remoteIdOf(posting.jobId, account.id);
    if (jobRemoteId === undefined) throw new DossierError('input.invalid', 'That job is not in this account. Sync the account and pick the job again.', { field: 'jobId' });
    return this.enqueue({
      accountId: account.id,
      kind,
      payload: { jobRemoteId, fields },
      summary: `Update posting "${posting.title}" (${posting.reference})`,
      key: idempotencyKey(account.id, kind, { job: jobRemoteId, fields }),
    });
  }

  /**
   * Sends an account's queued writes in order. Each item is marked `sending` durably before the
   * request; an item found in `sending` (a crash mid-send) is sent with `resumed`, so the connector
   * looks for the earlier send first and never applies the write twice. Returns how many were sent.
   */
  async send(connector: Connector, context: ConnectorContext): Promise<number> {
    const send = connector.send;
    if (!send) return 0;
    const { table } = this.#deps;
    const due = table.due(context.accountId, maxAutomaticAttempts);
    let sent = 0;
    for (const write of due) {
      const { item } = write;
      if (item.state === 'failed' && !transientCodes.has(item.lastError?.split(':', 1)[0] ?? '')) continue;
      const resumed = item.state !== 'pending' || item.attempts > 0;
      table.markSending(item.id);
      this.#announce(item.id);
      context.progress('outbox', sent, due.length, item.summary);
      try {
        const result = await send.call(connector, context, { ...write, resumed });
        table.markSent(item.id, result.remoteId);
        sent += 1;
      } catch (error) {
        const value = toErrorValue(error);
        table.markFailed(item.id, `${value.code}: ${value.message}`);
        this.#announce(item.id);
        if (value.code === 'sync.cancelled' || value.code.startsWith('auth.')) throw error;
        continue;
      }
      this.#announce(item.id);
    }
    return sent;
  }

  #announce(id: number): OutboxItem {
    const item = this.#deps.table.get(id) as OutboxItem;
    this.#deps.events.emit('outbox.changed', item);
    return item;
  }
}
