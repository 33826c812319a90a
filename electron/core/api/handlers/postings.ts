import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function postingsHandlers({ outbox, sync, storage }: CoreServices): HandlerGroup<'lookups.list' | 'postings.save'> {
  return {
    'lookups.list': (input) => storage.lookups.list(input.accountId),
    'postings.save': (input) => {
      const item = outbox.savePosting(input);
      // Send it now when possible: a sync of the account sends its outbox first (documents can wait).
      if (!sync.isRunning(input.accountId)) sync.start({ accountIds: [input.accountId], documents: false });
      return item;
    },
  };
}
