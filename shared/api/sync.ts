import { z } from 'zod';
import { Id, OutboxItem } from '../domain.ts';
import { endpoint } from './define.ts';

export const AccountSyncStatus = z.object({
  accountId: Id,
  running: z.boolean(),
  lastSyncedAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  pendingDownloads: z.number().int().nonnegative(),
  /** What the account's optional endpoints were last found to offer, by feature (e.g. `posting_options`). */
  offers: z.record(z.string(), z.enum(['offered', 'not_offered'])),
});
export type AccountSyncStatus = z.infer<typeof AccountSyncStatus>;

export const syncApi = {
  'sync.start': endpoint({
    input: z.object({ accountIds: z.array(Id).optional(), documents: z.boolean().default(true) }),
    result: z.object({ started: z.array(Id) }),
    errors: ['account.not_found', 'sync.busy'],
  }),
  'sync.cancel': endpoint({ input: z.object({ accountIds: z.array(Id).optional() }), result: z.object({ cancelled: z.array(Id) }), errors: [] }),
  'sync.status': endpoint({ input: z.object({}), result: z.array(AccountSyncStatus), errors: [] }),
  'outbox.list': endpoint({ input: z.object({ accountId: Id.optional() }), result: z.array(OutboxItem), errors: [] }),
  'outbox.retry': endpoint({ input: z.object({ id: Id }), result: OutboxItem, errors: ['input.invalid'] }),
};
