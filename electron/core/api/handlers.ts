import type { Handlers } from './dispatch.ts';
import { accountsHandlers } from './handlers/accounts.ts';
import { appHandlers } from './handlers/app.ts';
import { browseHandlers } from './handlers/browse.ts';
import { committeeHandlers } from './handlers/committee.ts';
import { demoHandlers } from './handlers/demo.ts';
import { documentsHandlers } from './handlers/documents.ts';
import { exportHandlers } from './handlers/export.ts';
import { postingsHandlers } from './handlers/postings.ts';
import { reviewHandlers } from './handlers/review.ts';
import { searchHandlers } from './handlers/search.ts';
import { syncHandlers } from './handlers/sync.ts';
import { writesHandlers } from './handlers/writes.ts';
import type { CoreServices } from './services.ts';

/** Each area contributes the handlers for its part of the contract; the type checker refuses a name none handles. */
export function composeHandlers(services: CoreServices): Handlers {
  return {
    ...appHandlers(services), ...accountsHandlers(services), ...syncHandlers(services), ...browseHandlers(services), ...searchHandlers(services),
    ...reviewHandlers(services), ...documentsHandlers(services), ...postingsHandlers(services), ...exportHandlers(services), ...demoHandlers(services),
    ...writesHandlers(services), ...committeeHandlers(services),
  };
}
