import { z } from 'zod';
import { errorCodes, type DossierErrorValue } from '../../shared/errors.ts';
import { DossierError, toErrorValue } from '../core/base/errors.ts';
import type { Logger } from '../core/base/log.ts';

/**
 * The message protocol between the main process and the core's utility process. Either side may
 * ask the other (requests with ids, answered once) or tell it something (notifications). Every
 * incoming message is checked against these schemas; anything else is dropped and logged.
 */

/** The one thing both ends need from a port: Electron's parentPort/UtilityProcess and Node's MessagePort fit it. */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

export const ErrorValue = z.object({ code: z.enum(errorCodes), message: z.string(), detail: z.record(z.string(), z.unknown()).optional() });

const Message = z.union([
  z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), method: z.string().min(1).max(100), params: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int().nonnegative(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int().nonnegative(), ok: z.literal(false), error: ErrorValue }),
  z.object({ type: z.literal('notify'), method: z.string().min(1).max(100), params: z.unknown() }),
]);

export type RpcHandler = (params: unknown) => unknown;

export interface RpcPeer {
  request(method: string, params: unknown): Promise<unknown>;
  notify(method: string, params: unknown): void;
  /** Rejects every request still waiting (the other side is gone) and stops listening. */
  close(reason: DossierErrorValue): void;
}

export interface RpcOptions {
  readonly handlers: Readonly<Record<string, RpcHandler>>;
  readonly onNotify?: (method: string, params: unknown) => void;
  readonly log: Logger;
}

export function createRpcPeer(port: MessagePortLike, options: RpcOptions): RpcPeer {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: DossierError) => void }>();
  let nextId = 0;
  let closed: DossierErrorValue | undefined;

  const answer = async (id: number, method: string, params: unknown): Promise<void> => {
    const handler = Object.hasOwn(options.handlers, method) ? options.handlers[method] : undefined;
    if (!handler) {
      port.postMessage({ type: 'response', id, ok: false, error: { code: 'internal', message: `No handler for ${method}.` } });
      return;
    }
    try {
      port.postMessage({ type: 'response', id, ok: true, value: await handler(params) });
    } catch (error) {
      const value = toErrorValue(error);
      if (value.code === 'internal') options.log.warn('rpc.handler_failed', { method, error });
      port.postMessage({ type: 'response', id, ok: false, error: value });
    }
  };

  const stopListening = port.onMessage((raw) => {
    const parsed = Message.safeParse(raw);
    if (!parsed.success) {
      options.log.warn('rpc.malformed_message', { issues: parsed.error.issues.slice(0, 3).map((issue) => issue.message) });
      return;
    }
    const message = parsed.data;
    if (message.type === 'request') {
      void answer(message.id, message.method, message.params);
    } else if (message.type === 'notify') {
      options.onNotify?.(message.method, message.params);
    } else {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (!waiting) return;
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new DossierError(message.error.code, message.error.message, message.error.detail));
    }
  });

  return {
    request: (method, params) => {
      if (closed) return Promise.reject(new DossierError(closed.code, closed.message));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ type: 'request', id, method, params });
      });
    },
    notify: (method, params) => {
      if (!closed) port.postMessage({ type: 'notify', method, params });
    },
    close: (reason) => {
      if (closed) return;
      closed = reason;
      stopListening();
      for (const waiting of pending.values()) waiting.reject(new DossierError(reason.code, reason.message));
      pending.clear();
    },
  };
}
