import { listOutbox, retryOutbox } from '../../outbox/outbox.ts';
import { accountStatuses } from '../../status.ts';
import { syncEngineFor } from '../../sync/service.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

export function syncHandlers(deps: CoreDeps): HandlerGroup<'sync.start' | 'sync.cancel' | 'sync.status' | 'outbox.list' | 'outbox.retry'> {
  const engine = syncEngineFor(deps);
  const { db } = deps.context;
  return {
    'sync.start': (input) => ({ started: engine.start({ ...(input.accountIds ? { accountIds: input.accountIds } : {}), documents: input.documents }) }),
    'sync.cancel': (input) => ({ cancelled: engine.cancel(input.accountIds) }),
    'sync.status': () =>
      accountStatuses(db).map((status) => ({
        accountId: status.accountId,
        running: engine.isRunning(status.accountId),
        lastSyncedAt: status.lastSyncedAt,
        lastError: status.lastError,
        counts: status.counts,
        pendingDownloads: status.pendingDownloads,
      })),
    'outbox.list': (input) => listOutbox(db, input.accountId),
    'outbox.retry': (input) => retryOutbox(deps, input.id),
  };
}
