import { mkdirSync } from 'node:fs';
import { AccountService } from './accounts/service.ts';
import { dispatch, type DispatchOutcome, type Handlers } from './api/dispatch.ts';
import { composeHandlers } from './api/handlers.ts';
import type { CoreServices, HostKind } from './api/services.ts';
import { AuthService } from './auth/service.ts';
import { CoreEvents } from './base/events.ts';
import { CommitteeService } from './committee/service.ts';
import { fileLogger, type Logger } from './base/log.ts';
import { dataPaths, type DataPaths } from './base/paths.ts';
import { DemoService, type LoadSandboxes } from './demo/service.ts';
import { ExportService } from './export/service.ts';
import { OutboxService } from './outbox/service.ts';
import { accountConnector } from './providers/connectors.ts';
import { DocumentFiles } from './review/document-files.ts';
import { ReviewService } from './review/service.ts';
import { SearchService } from './search/service.ts';
import { accountKeyPrefix } from './secrets/tokens.ts';
import { ThrowawayAccountsVault } from './secrets/throwaway-vault.ts';
import type { Vault } from './secrets/vault.ts';
import { Storage } from './storage/storage.ts';
import { SyncEngine, type RetryTiming } from './sync/engine.ts';

export interface CoreOptions {
  readonly dataDir: string;
  readonly vault: Vault;
  /** Opens a URL in the system browser: shell.openExternal in the app, a printed line in the command line. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly host: HostKind;
  /** The transport-specific URL the renderer loads a stored document from. */
  readonly documentUrl: (documentId: number) => string;
  readonly logger?: Logger | undefined;
  /** Loads the provider sandboxes for the demo; hosts that offer the demo pass it (the core never loads them itself). */
  readonly sandboxes?: LoadSandboxes | undefined;
  /** How long the sync waits out transient provider failures; tests shorten it. */
  readonly retry?: RetryTiming | undefined;
  /** How long joining a committee waits for its first sync before answering offline; tests shorten it. */
  readonly committeeFirstSyncMs?: number | undefined;
}

export interface Core {
  readonly paths: DataPaths;
  readonly log: Logger;
  readonly events: CoreEvents;
  readonly storage: Storage;
  readonly services: CoreServices;
  readonly handlers: Handlers;
  dispatch(name: unknown, input: unknown): Promise<DispatchOutcome>;
  close(): Promise<void>;
}

/**
 * The composition root: opens one profile (its database, log and folders) and builds each
 * service of the core once, handing each the others it uses. The hosts (the Electron utility
 * process, the browser host, the command line and the tests) create one core per profile and talk
 * to it through `dispatch` or its services; `close` winds everything down in order.
 */
export function createCore(options: CoreOptions): Core {
  const paths = dataPaths(options.dataDir);
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const storage = Storage.open(paths.database);
  const log = options.logger ?? fileLogger(paths.logFile);
  const events = new CoreEvents();
  // The demo's sandbox accounts keep their throwaway secrets in memory: no passphrase, no keyring prompt, nothing beside the real sign-ins.
  const vault: Vault = new ThrowawayAccountsVault(options.vault, (): string[] => demo.sandboxAccountIds().map(accountKeyPrefix));

  const accounts = new AccountService({ table: storage.accounts, vault, events, log });
  const auth = new AuthService({ accounts, log, locksDir: paths.locks, openExternal: options.openExternal, events });
  const outbox = new OutboxService({ table: storage.outbox, jobs: storage.jobs, sources: storage.writeSources, accounts, events });
  const sync = new SyncEngine({
    storage, accounts, outbox, events, log, paths, retry: options.retry,
    connectorFor: (account) => accountConnector(account.provider, accounts.manifest(account.id)),
    openSession: (accountId) => auth.openSession(accountId),
  });
  // A sync killed with its process left its account `syncing`; nothing else would ever end it.
  sync.recoverInterrupted();
  const demo = new DemoService({ accounts, auth, sync, log, loadSandboxes: options.sandboxes });
  const review = new ReviewService(storage);
  // The committees this machine joined open on first use, or when a host showing the UI asks for them live (committees.start).
  const committees = new CommitteeService({ storage, vault, events, log, review, firstSyncTimeoutMs: options.committeeFirstSyncMs });
  const services: CoreServices = {
    accounts,
    auth,
    sync,
    outbox,
    search: new SearchService(storage),
    review,
    documents: new DocumentFiles({ storage, paths, openExternal: options.openExternal, documentUrl: options.documentUrl, savesToDownloads: options.host === 'browser' }),
    exports: new ExportService({ storage, storeDir: paths.store, log, onProgress: (kind, progress) => events.emit('export.progress', { kind, ...progress }) }),
    demo,
    committees,
    storage,
    about: { host: options.host, dataDir: paths.root },
  };
  const handlers = composeHandlers(services);
  let closing: Promise<void> | undefined;
  return {
    paths,
    log,
    events,
    storage,
    services,
    handlers,
    dispatch: (name, input) => dispatch(handlers, name, input, log),
    close: () =>
      (closing ??= (async () => {
        // Exports and syncs use the database, and syncs the demo's sandboxes: stop them, let syncs wind down, then the rest.
        services.exports.cancelAll();
        await committees.close();
        await sync.close();
        await services.demo.close();
        await auth.close();
        storage.close();
      })()),
  };
}
