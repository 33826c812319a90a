import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function syncHandlers({ sync, outbox, storage }: CoreServices): HandlerGroup<'sync.start' | 'sync.cancel' | 'sync.status' | 'outbox.list' | 'outbox.retry'> {
  return {
    'sync.start': (input) => ({ started: sync.start({ ...(input.accountIds ? { accountIds: input.accountIds } : {}), documents: input.documents }) }),
    'sync.cancel': (input) => ({ cancelled: sync.cancel(input.accountIds) }),
    'sync.status': () =>
      storage.statuses.all().map((status) => ({
        accountId: status.accountId,
        running: sync.isRunning(status.accountId),
        lastSyncedAt: status.lastSyncedAt,
        lastError: status.lastError,
        counts: status.counts,
        pendingDownloads: status.pendingDownloads,
        offers: status.offers,
      })),
    'outbox.list': (input) => outbox.list(input.accountId),
    'outbox.retry': (input) => outbox.retry(input.id),
  };
}
