import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/**
 * The demo workspace: the provider sandboxes run beside the core (small, the sandboxes' own seed)
 * until it closes, one account is connected to each, and a sync starts; its progress arrives as
 * `sync.progress` events.
 */
export function demoHandlers({ demo }: CoreServices): HandlerGroup<'demo.start'> {
  return {
    // Nobody is at a browser for InfoJobs' consent page: that account waits, signed out, with a message saying so.
    'demo.start': async () => ({ accounts: await demo.start({ scale: 'small' }) }),
  };
}
