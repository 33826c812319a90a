import { events, type ApiName, type EventName, type EventPayload } from '../../shared/contract.ts';
import type { DossierErrorValue } from '../../shared/errors.ts';
import type { DispatchOutcome } from '../core/api/dispatch.ts';
import type { Vault } from '../core/secrets/vault.ts';
import { DossierError, toErrorValue } from '../core/base/errors.ts';
import type { Logger } from '../core/base/log.ts';
import { coreMethods, coreNotifications, DocumentFile, EventParams, mainMethods, mainNotifications, OpenExternalParams, vaultHandlers } from '../utility/core-protocol.ts';
import { createRpcPeer, ErrorValue, type MessagePortLike, type RpcPeer } from '../utility/rpc.ts';

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

/** After this many crashes within the window, the core is not restarted again. */
const maxCrashes = 3;
const crashWindowMs = 60_000;
const stoppedUnexpectedly: DossierErrorValue = {
  code: 'internal',
  message: 'The Dossier engine stopped unexpectedly. It restarts with your next action; your data is safe.',
};

/**
 * Starts the core on first use, forwards calls and events, answers its vault and browser requests,
 * and restarts it after a crash (up to three times a minute, not forever).
 */
export function createCoreClient(options: CoreClientOptions): CoreClient {
  const { log } = options;
  let running: { child: CoreChild; peer: RpcPeer; exited: Promise<void> } | undefined;
  const crashTimes: number[] = [];
  const recentCrashes = (): number => {
    while (crashTimes.length > 0 && (crashTimes[0] ?? 0) < Date.now() - crashWindowMs) crashTimes.shift();
    return crashTimes.length;
  };
  let shuttingDown = false;

  const handlers = {
    ...vaultHandlers(options.vault),
    [mainMethods.openExternal]: async (params: unknown) => {
      await options.openExternal(OpenExternalParams.parse(params).url);
      return null;
    },
  };

  const onNotify = (method: string, params: unknown): void => {
    if (method === mainNotifications.failed) {
      const parsed = ErrorValue.safeParse(params);
      options.onFailed(parsed.success ? parsed.data : stoppedUnexpectedly);
    } else if (method === mainNotifications.event) {
      // The window and the OS integrations rely on these shapes, so each payload is checked against the contract.
      const parsed = EventParams.safeParse(params);
      const name = parsed.success && Object.hasOwn(events, parsed.data.name) ? (parsed.data.name as EventName) : undefined;
      const payload = name === undefined ? undefined : events[name].safeParse(parsed.data?.payload);
      if (name !== undefined && payload?.success) options.onEvent(name, payload.data as EventPayload<EventName>);
      else log.warn('core.malformed_event', { name: parsed.data?.name ?? null });
    }
  };

  const start = (): NonNullable<typeof running> => {
    if (running) return running;
    if (recentCrashes() >= maxCrashes) throw new DossierError('internal', 'The Dossier engine keeps stopping. Quit and reopen Dossier; the log file in the data folder has the details.');
    const child = options.spawn();
    const peer = createRpcPeer(child.port, { handlers, onNotify, log });
    const exited = new Promise<void>((resolve) => {
      child.onExit((code) => {
        peer.close(stoppedUnexpectedly);
        if (running?.child === child) running = undefined;
        if (!shuttingDown) {
          crashTimes.push(Date.now());
          log.error('core.exited', { code, recentCrashes: recentCrashes() });
        }
        resolve();
      });
    });
    running = { child, peer, exited };
    return running;
  };

  const request = async (method: string, params: unknown): Promise<unknown> => {
    if (shuttingDown) throw new DossierError('internal', 'Dossier is quitting.');
    return start().peer.request(method, params);
  };

  return {
    call: async (name, input) => {
      try {
        return (await request(coreMethods.call, { name, input })) as DispatchOutcome;
      } catch (error) {
        return { ok: false, error: toErrorValue(error) };
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
