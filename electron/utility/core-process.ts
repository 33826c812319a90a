import type { MessageEvent } from 'electron';
import { createCore } from '../core/core.ts';
import { sandboxLauncher } from '../host/sandboxes.ts';
import { serveCore, type CreateCore } from './core-host.ts';
import type { MessagePortLike } from './rpc.ts';

/**
 * Entry of the utility process (`utilityProcess.fork`) that runs the core, so a full sync or a bulk
 * export never blocks the main process or the window. The data directory is its one argument.
 */
const dataDir = process.argv.at(-1);
if (dataDir === undefined || dataDir === '') throw new Error('core-process needs the data directory as its last argument');

const parent = process.parentPort;
const port: MessagePortLike = {
  postMessage: (message) => parent.postMessage(message),
  onMessage: (listener) => {
    const receive = (event: MessageEvent): void => listener(event.data);
    parent.on('message', receive);
    return () => parent.off('message', receive);
  },
};

// A core that cannot open its data stays up to answer every request with the reason, instead of
// crash-looping; serveCore has already logged it and told the main process.
// The packaged app carries the demo workspace; its sandboxes load only when the demo starts.
// The window shows committees live: the ones joined here reconnect as the core starts (a failure is logged per committee, never fatal).
const appCore: CreateCore = (options) => {
  const core = createCore({ ...options, sandboxes: sandboxLauncher });
  void core.services.committees.start();
  return core;
};
await serveCore(port, { dataDir, createCore: appCore, onStopped: () => process.exit(0) }).catch(() => undefined);
