import { api, type ApiName } from '../../shared/contract.ts';
import type { CoreDeps } from './api/deps.ts';
import { dispatch, type DispatchOutcome, type Handler, type Handlers } from './api/dispatch.ts';
import { accountsHandlers } from './api/handlers/accounts.ts';
import { appHandlers } from './api/handlers/app.ts';
import { browseHandlers } from './api/handlers/browse.ts';
import { documentsHandlers } from './api/handlers/documents.ts';
import { exportHandlers } from './api/handlers/export.ts';
import { postingsHandlers } from './api/handlers/postings.ts';
import { reviewHandlers } from './api/handlers/review.ts';
import { searchHandlers } from './api/handlers/search.ts';
import { syncHandlers } from './api/handlers/sync.ts';
import type { Vault } from './auth/vault.ts';
import { openCore, type CoreContext } from './context.ts';
import { DossierError } from './errors.ts';
import { CoreEvents } from './events.ts';
import type { Logger } from './log.ts';
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

/** Each area of the core contributes the handlers for its part of the contract. */
type HandlerFactory = (deps: CoreDeps) => Partial<Handlers>;

const areas: readonly HandlerFactory[] = [
  appHandlers, accountsHandlers, syncHandlers, browseHandlers, searchHandlers, reviewHandlers, documentsHandlers, postingsHandlers, exportHandlers,
];

function notBuiltYet(name: ApiName): Handler<ApiName> {
  return () => {
    throw new DossierError('internal', `"${name}" is not built into this version of Dossier yet.`, { name });
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
  const provided: Partial<Handlers> = Object.assign({}, ...areas.map((area) => area(deps)));
  const handlers = Object.fromEntries(
    (Object.keys(api) as ApiName[]).map((name) => [name, provided[name] ?? notBuiltYet(name)]),
  ) as Handlers;
  let closing: Promise<void> | undefined;
  return {
    context,
    events,
    handlers,
    dispatch: (name, input) => dispatch(handlers, name, input, context.log),
    close: () =>
      (closing ??= (async () => {
        // Syncs and exports use the database: stop them and let syncs wind down before it closes.
        await Promise.resolve(handlers['export.cancel']({})).catch(() => undefined);
        await syncEngineFor(deps).close();
        context.close();
      })()),
  };
}
