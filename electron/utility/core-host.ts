import type { EventName, EventPayload } from '../../shared/contract.ts';
import type { Vault } from '../core/secrets/vault.ts';
import type { DispatchOutcome } from '../core/api/dispatch.ts';
import { toErrorValue } from '../core/base/errors.ts';
import { fileLogger, type Logger } from '../core/base/log.ts';
import { dataPaths } from '../core/base/paths.ts';
import type { DocumentFiles } from '../core/review/document-files.ts';
import { documentResponse } from '../host/documents.ts';
import { appOrigin, CallParams, DocumentFileParams, coreMethods, coreNotifications, mainMethods, mainNotifications, OpenExternalParams, remoteVault } from './core-protocol.ts';
import { createRpcPeer, type MessagePortLike } from './rpc.ts';


/**
 * The core's side of the utility process: it owns the database, the sync and everything slow, and
 * talks to the main process only through the RPC port. No `electron` import, so it runs (and is
 * tested) under plain Node with a MessageChannel.
 */

export interface CoreService {
  readonly services: { readonly documents: DocumentFiles };
  dispatch(name: unknown, input: unknown): Promise<DispatchOutcome>;
  readonly events: { onAny(listener: <Name extends EventName>(name: Name, payload: EventPayload<Name>) => void): () => void };
  close(): void | Promise<void>;
}

export interface CoreOptions {
  readonly dataDir: string;
  readonly vault: Vault;
  readonly openExternal: (url: string) => Promise<void>;
  readonly host: 'electron';
  readonly documentUrl: (documentId: number) => string;
}

export type CreateCore = (options: CoreOptions) => CoreService | Promise<CoreService>;

export function documentUrl(documentId: number): string {
  return `${appOrigin}/documents/${documentId}`;
}

export interface ServeCoreOptions {
  readonly dataDir: string;
  readonly createCore: CreateCore;
  readonly log?: Logger;
  /** Called once the core has closed after the main process asked it to shut down. */
  readonly onStopped?: () => void;
}

/** Starts the core behind `port` and answers the main process until it says to shut down. */
export async function serveCore(port: MessagePortLike, options: ServeCoreOptions): Promise<{ stop(): Promise<void> }> {
  const log = options.log ?? fileLogger(dataPaths(options.dataDir).logFile, { process: 'core' });
  // Requests may arrive while the core is still opening its database; they wait for it.
  const core = Promise.withResolvers<CoreService>();
  core.promise.catch(() => undefined);
  const subscriptions: (() => void)[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
      await (await core.promise.catch(() => undefined))?.close();
      peer.close({ code: 'internal', message: 'The Dossier engine has stopped.' });
    })();
    return stopping;
  };

  const peer = createRpcPeer(port, {
    log,
    handlers: {
      [coreMethods.call]: async (params) => {
        const { name, input } = CallParams.parse(params);
        return (await core.promise).dispatch(name, input);
      },
      [coreMethods.documentFile]: async (params) => {
        const { documentId } = DocumentFileParams.parse(params);
        const { services } = await core.promise;
        const response = await documentResponse(services.documents, documentId, false);
        return response.status === 200 ? { path: response.file, headers: response.headers } : null;
      },
    },
    onNotify: (method) => {
      if (method === coreNotifications.shutdown) void stop().finally(() => options.onStopped?.());
    },
  });

  try {
    const service = await options.createCore({
      dataDir: options.dataDir,
      vault: remoteVault(peer),
      openExternal: async (url) => {
        await peer.request(mainMethods.openExternal, OpenExternalParams.parse({ url }));
      },
      host: 'electron',
      documentUrl,
    });
    subscriptions.push(service.events.onAny((name, payload) => peer.notify(mainNotifications.event, { name, payload })));
    core.resolve(service);
  } catch (error) {
    log.error('core.start_failed', { error });
    core.reject(error);
    peer.notify(mainNotifications.failed, toErrorValue(error));
    throw error;
  }
  return { stop };
}
