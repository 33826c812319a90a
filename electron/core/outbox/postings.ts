import type { z } from 'zod';
import type { PostingInput } from '../../../shared/api/postings.ts';
import type { OutboxItem } from '../../../shared/domain.ts';
import type { CoreDeps } from '../api/deps.ts';
import { getAccount } from '../accounts/store.ts';
import { DossierError } from '../errors.ts';
import type { postingFieldsSchema } from '../providers/jobspace/mapping.ts';
import { providers } from '../providers/registry.ts';
import { enqueue, idempotencyKey } from './outbox.ts';

export type Posting = z.output<typeof PostingInput>;

/** The Job Space's create/update fields (2017-09+ form: handles, not ids). */
export function postingFields(posting: Posting): z.output<typeof postingFieldsSchema> {
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

/**
 * Queues a new job posting or an update of a cached one in the outbox; it is sent on the next
 * sync (or now, when the account is online), and its failure stays visible until retried.
 */
export function savePosting(deps: Pick<CoreDeps, 'context' | 'events'>, posting: Posting): OutboxItem {
  const account = getAccount(deps.context.db, posting.accountId);
  const kind = posting.jobId === undefined ? 'job.create' : 'job.update';
  if (!providers[account.provider].capabilities.writes.includes(kind)) {
    throw new DossierError('provider.unsupported', `${providers[account.provider].label} does not let Dossier ${kind === 'job.create' ? 'create' : 'update'} job postings.`, { provider: account.provider });
  }
  const fields = postingFields(posting);
  if (kind === 'job.create') {
    return enqueue(deps, {
      accountId: account.id,
      kind,
      payload: { fields },
      summary: `Create posting "${posting.title}" (${posting.reference})`,
      // The reference is unique per organisation on The Job Space: the same reference is the same posting.
      key: idempotencyKey(account.id, kind, posting.reference),
    });
  }
  const job = deps.context.db.prepare('SELECT remote_id FROM jobs WHERE id = ? AND account_id = ?').get(posting.jobId, account.id) as { remote_id: string } | undefined;
  if (!job) throw new DossierError('input.invalid', 'That job is not in this account. Sync the account and pick the job again.', { field: 'jobId' });
  return enqueue(deps, {
    accountId: account.id,
    kind,
    payload: { jobRemoteId: job.remote_id, fields },
    summary: `Update posting "${posting.title}" (${posting.reference})`,
    key: idempotencyKey(account.id, kind, { job: job.remote_id, fields }),
  });
}
