import type { CoreDeps } from '../api/deps.ts';
import { openSession } from '../auth/session.ts';
import { SyncEngine } from './engine.ts';

const engines = new WeakMap<CoreDeps, SyncEngine>();

/** The one sync engine of a composed core, shared by its handlers (sync, outbox, postings). */
export function syncEngineFor(deps: CoreDeps): SyncEngine {
  let engine = engines.get(deps);
  if (!engine) {
    engine = new SyncEngine({ context: deps.context, events: deps.events, openSession: (accountId) => openSession(deps, accountId) });
    engines.set(deps, engine);
  }
  return engine;
}
