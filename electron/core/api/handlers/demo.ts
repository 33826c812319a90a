import { getAccount } from '../../accounts/store.ts';
import { DossierError } from '../../errors.ts';
import { defaultSeed } from '../../sandbox/registry.ts';
import { demoSandboxesFor, signedInIds } from '../../sync/demo.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import { syncEngineFor } from '../../sync/service.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

/**
 * The demo workspace: the provider emulators run inside the core (small, fixed seed) until it
 * closes, one account is connected to each, and a sync starts; its progress arrives as
 * `sync.progress` events. Asking again returns the same accounts (the emulators start only once
 * per core, on the ports the accounts already point at).
 */
export function demoHandlers(deps: CoreDeps): HandlerGroup<'demo.start'> {
  const engine = syncEngineFor(deps);
  return {
    'demo.start': async () => {
      const sandboxes = await demoSandboxesFor(deps, {
        scale: 'small',
        seed: defaultSeed,
        // Nobody is at a browser for InfoJobs' consent page: that account waits, signed out, with a message saying so.
        browser: false,
        report: (line) => deps.context.log.info('demo.account', { line }),
      });
      startSyncUnlessRunning(engine, signedInIds(sandboxes));
      return { accounts: sandboxes.accounts.map((account) => getAccount(deps.context.db, account.accountId)) };
    },
  };
}

function startSyncUnlessRunning(engine: SyncEngine, accountIds: number[]): void {
  try {
    engine.start({ accountIds, documents: true });
  } catch (error) {
    if (!(error instanceof DossierError && error.code === 'sync.busy')) throw error;
  }
}
