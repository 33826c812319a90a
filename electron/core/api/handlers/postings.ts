import type { z } from 'zod';
import type { Lookup } from '../../../../shared/api/postings.ts';
import { savePosting } from '../../outbox/postings.ts';
import { syncEngineFor } from '../../sync/service.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

export function postingsHandlers(deps: CoreDeps): HandlerGroup<'lookups.list' | 'postings.save'> {
  const { db } = deps.context;
  return {
    'lookups.list': (input) =>
      db
        .prepare(`SELECT kind, remote_id AS remoteId, label FROM lookups WHERE account_id = ? AND kind IN ('country', 'job_type', 'job_category') ORDER BY kind, label`)
        .all(input.accountId) as z.output<typeof Lookup>[],
    'postings.save': (input) => {
      const item = savePosting(deps, input);
      // Send it now when possible: a sync of the account sends its outbox first (documents can wait).
      const engine = syncEngineFor(deps);
      if (!engine.isRunning(input.accountId)) engine.start({ accountIds: [input.accountId], documents: false });
      return item;
    },
  };
}
