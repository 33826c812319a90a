import { events, type ApiName, type EventName, type EventPayload } from '../../shared/contract.ts';
import type { DossierErrorValue } from '../../shared/errors.ts';
import type { DispatchOutcome } from '../core/api/dispatch.ts';
import type { Vault } from '../core/auth/vault.ts';
import { toErrorValue } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { coreMethods, coreNotifications, DocumentFile, EventParams, mainMethods, mainNotifications, OpenExternalParams, vaultHandlers } from './core-protocol.ts';
import { createRpcPeer, ErrorValue, type MessagePortLike, type RpcPeer } from './rpc.ts';

/** A running core process as the main process sees it; `index.ts` makes one from `utilityProcess.fork`. */
export interface CoreChild {
  readonly port: MessagePortLike;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface CoreClientOptions {
  readonly spawn: () => CoreChild;
  readonly vault: Vault;
  /** Opens a URL the core produced (an authorize URL) in the system browser, after the shell's own check. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly onEvent: <Name extends EventName>(name: Name, payload: EventPayload<Name>) => void;
  /** The core could not start (a newer database, a damaged file…): the user must be told. */
  readonly onFailed: (error: DossierErrorValue) => void;
  readonly log: Logger;
}

export interface CoreClient {
  call(name: ApiName, input: unknown): Promise<DispatchOutcome>;
  documentFile(documentId: number): Promise<DocumentFile>;
  shutdown(timeoutMs?: number): Promise<void>;
}

/** After this many crashes without a successful start, the core is not restarted again. */
const maxCrashes = 3;
const stoppedUnexpectedly: DossierErrorValue = {
  code: 'internal',
  message: 'The Dossier engine stopped unexpectedly. It restarts with your next action; your data is safe.',
};

/**
 * Starts the core on first use, forwards calls and events, answers its vault and browser requests,
 * and restarts it after a crash (a few times, not forever).
 */
export function createCoreClient(options: CoreClientOptions): CoreClient {
  const { log } = options;
  let running: { child: CoreChild; peer: RpcPeer; exited: Promise<void> } | undefined;
  let crashes = 0;
  let shuttingDown = false;

  const handlers = {
    ...vaultHandlers(options.vault),
    [mainMethods.openExternal]: async (params: unknown) => {
      await options.openExternal(OpenExternalParams.parse(params).url);
      return null;
    },
  };

  const onNotify = (method: string, params: unknown): void => {
    if (method === mainNotifications.ready) {
      crashes = 0;
    } else if (method === mainNotifications.failed) {
      const parsed = ErrorValue.safeParse(params);
      options.onFailed(parsed.success ? parsed.data : stoppedUnexpectedly);
    } else if (method === mainNotifications.event) {
      const parsed = EventParams.safeParse(params);
      if (parsed.success && Object.hasOwn(events, parsed.data.name)) {
        options.onEvent(parsed.data.name as EventName, parsed.data.payload as EventPayload<EventName>);
      } else {
        log.warn('core.unknown_event', { method });
      }
    }
  };

  const start = (): NonNullable<typeof running> => {
    if (running) return running;
    if (crashes >= maxCrashes) throw Object.assign(new Error('core crashed repeatedly'), { code: 'internal' });
    const child = options.spawn();
    const peer = createRpcPeer(child.port, { handlers, onNotify, log });
    const exited = new Promise<void>((resolve) => {
      child.onExit((code) => {
        peer.close(stoppedUnexpectedly);
        if (running?.child === child) running = undefined;
        if (!shuttingDown) {
          crashes += 1;
          log.error('core.exited', { code, crashes });
        }
        resolve();
      });
    });
    running = { child, peer, exited };
    return running;
  };

  const request = async (method: string, params: unknown): Promise<unknown> => {
    if (shuttingDown) throw Object.assign(new Error('shutting down'), { code: 'internal' });
    return start().peer.request(method, params);
  };

  return {
    call: async (name, input) => {
      try {
        return (await request(coreMethods.call, { name, input })) as DispatchOutcome;
      } catch (error) {
        const value = toErrorValue(error);
        return { ok: false, error: value.code === 'internal' ? stoppedUnexpectedly : value };
      }
    },
    documentFile: async (documentId) => DocumentFile.parse(await request(coreMethods.documentFile, { documentId })),
    shutdown: async (timeoutMs = 5000) => {
      shuttingDown = true;
      const current = running;
      if (!current) return;
      current.peer.notify(coreNotifications.shutdown, {});
      const timer = setTimeout(() => current.child.kill(), timeoutMs);
      await current.exited;
      clearTimeout(timer);
    },
  };
}
