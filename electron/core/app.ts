import type { CoreDeps } from './api/deps.ts';
import { dispatch, type DispatchOutcome, type Handlers } from './api/dispatch.ts';
import { accountsHandlers } from './api/handlers/accounts.ts';
import { appHandlers } from './api/handlers/app.ts';
import { browseHandlers } from './api/handlers/browse.ts';
import { demoHandlers } from './api/handlers/demo.ts';
import { documentsHandlers } from './api/handlers/documents.ts';
import { exportHandlers } from './api/handlers/export.ts';
import { postingsHandlers } from './api/handlers/postings.ts';
import { reviewHandlers } from './api/handlers/review.ts';
import { searchHandlers } from './api/handlers/search.ts';
import { syncHandlers } from './api/handlers/sync.ts';
import type { Vault } from './auth/vault.ts';
import { openCore, type CoreContext } from './context.ts';
import { CoreEvents } from './events.ts';
import type { Logger } from './log.ts';
import { closeDemoSandboxes } from './sync/demo.ts';
import { syncEngineFor } from './sync/service.ts';

export interface CoreOptions {
  readonly dataDir: string;
  readonly vault: Vault;
  readonly openExternal: (url: string) => Promise<void>;
  readonly host: CoreDeps['host'];
  readonly documentUrl: (documentId: number) => string;
  readonly logger?: Logger;
}

export interface Core {
  readonly context: CoreContext;
  readonly events: CoreEvents;
  readonly handlers: Handlers;
  dispatch(name: unknown, input: unknown): Promise<DispatchOutcome>;
  close(): Promise<void>;
}

/** Each area of the core contributes the handlers for its part; the type checker refuses a name none handles. */
function composeHandlers(deps: CoreDeps): Handlers {
  return {
    ...appHandlers(deps), ...accountsHandlers(deps), ...syncHandlers(deps), ...browseHandlers(deps), ...searchHandlers(deps), ...reviewHandlers(deps),
    ...documentsHandlers(deps), ...postingsHandlers(deps), ...exportHandlers(deps), ...demoHandlers(deps),
  };
}

/**
 * Composes the core the hosts (Electron utility process, browser host, tests) talk to: one
 * profile's database and log, the event bus, and a handler for every name in the contract.
 */
export function createCore(options: CoreOptions): Core {
  const context = openCore(options.dataDir, options.logger ? { logger: options.logger } : {});
  const events = new CoreEvents();
  const deps: CoreDeps = {
    context,
    events,
    vault: options.vault,
    openExternal: options.openExternal,
    host: options.host,
    documentUrl: options.documentUrl,
  };
  const handlers = composeHandlers(deps);
  let closing: Promise<void> | undefined;
  return {
    context,
    events,
    handlers,
    dispatch: (name, input) => dispatch(handlers, name, input, context.log),
    close: () =>
      (closing ??= (async () => {
        // Syncs and exports use the database (and syncs the demo's emulators): stop them and let syncs wind down first.
        await Promise.resolve(handlers['export.cancel']({})).catch(() => undefined);
        await syncEngineFor(deps).close();
        await closeDemoSandboxes(deps);
        context.close();
      })()),
  };
}
