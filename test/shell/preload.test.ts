import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DossierClient } from '../../shared/contract.ts';

/**
 * The preload bridge (#20: no Electron API reaches the page). Electron's `contextBridge` and
 * `ipcRenderer` are mocked (no Electron binary here); the preload itself is the real file.
 */

type Listener = (event: unknown, ...args: unknown[]) => void;
const exposed = new Map<string, unknown>();
const listeners = new Map<string, Set<Listener>>();
const invocations: unknown[][] = [];
let nextReply: unknown;

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invocations.push(args);
      return nextReply;
    },
    on: (channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
    },
    off: (channel: string, listener: Listener) => void listeners.get(channel)?.delete(listener),
  },
}));

const emit = (...args: unknown[]) => {
  for (const listener of listeners.get('dossier:event') ?? []) listener({ sender: 'the ipcRenderer itself', senderFrame: {} }, ...args);
};

let client: DossierClient;
beforeAll(async () => {
  await import('../../electron/preload/index.ts');
  client = exposed.get('dossier') as DossierClient;
});

describe('the preload bridge', () => {
  it('exposes one object with the two functions of the contract client, and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['dossier']);
    expect(Object.keys(client).sort()).toEqual(['call', 'on']);
    expect(typeof client.call).toBe('function');
    expect(typeof client.on).toBe('function');
  });

  it('sends calls on the one invoke channel and returns the result', async () => {
    nextReply = { ok: true, result: { removed: true } };
    expect(await client.call('accounts.remove', { id: 3 })).toEqual({ removed: true });
    expect(invocations.at(-1)).toEqual(['dossier:call', 'accounts.remove', { id: 3 }]);
  });

  it('turns an error value into an Error with its code', async () => {
    nextReply = { ok: false, error: { code: 'account.not_found', message: 'No such account.' } };
    await expect(client.call('accounts.remove', { id: 9 })).rejects.toMatchObject({ message: 'No such account.', code: 'account.not_found' });
  });

  it('delivers only the payload of the named event, never the IPC event object, and unsubscribes', () => {
    const received: unknown[][] = [];
    const stop = client.on('sync.progress', (...args: unknown[]) => void received.push(args));
    emit('sync.progress', { accountId: 1 });
    emit('account.state', { id: 1 });
    expect(received).toEqual([[{ accountId: 1 }]]);
    stop();
    emit('sync.progress', { accountId: 2 });
    expect(received).toHaveLength(1);
    expect(listeners.get('dossier:event')?.size).toBe(0);
  });
});
