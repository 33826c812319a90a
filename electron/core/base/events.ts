import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../../shared/contract.ts';

/** The core's typed event bus; hosts forward it to the UI (IPC in the shell, WebSocket in the browser host). */
export class CoreEvents {
  readonly #emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.#emitter.setMaxListeners(100);
  }

  emit<Name extends EventName>(name: Name, payload: EventPayload<Name>): void {
    this.#emitter.emit(name, payload);
    this.#emitter.emit('*', name, payload);
  }

  on<Name extends EventName>(name: Name, listener: (payload: EventPayload<Name>) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }

  onAny(listener: <Name extends EventName>(name: Name, payload: EventPayload<Name>) => void): () => void {
    this.#emitter.on('*', listener);
    return () => this.#emitter.off('*', listener);
  }
}
