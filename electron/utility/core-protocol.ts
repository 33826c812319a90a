import { z } from 'zod';
import { Id } from '../../shared/domain.ts';
import type { Vault } from '../core/secrets/vault.ts';
import type { RpcHandler, RpcPeer } from './rpc.ts';

/**
 * The methods main and the core's utility process call on each other, with the schema each side
 * checks. Both ends import this one file, so the two sides cannot drift apart.
 */

export const appScheme = 'app';
export const appHost = 'dossier';
/** The renderer's origin (served by main's `app://` scheme, documents included); the only origin whose frames may talk to the main process. */
export const appOrigin = `${appScheme}://${appHost}`;

/** Main → core. */
export const coreMethods = { call: 'core.call', documentFile: 'core.documentFile' } as const;
/** Main → core: the main process is about to quit. */
export const coreNotifications = { shutdown: 'core.shutdown' } as const;
/** Core → main. */
export const mainMethods = {
  vaultGet: 'vault.get',
  vaultSet: 'vault.set',
  vaultDelete: 'vault.delete',
  vaultDeletePrefix: 'vault.deletePrefix',
  openExternal: 'shell.openExternal',
} as const;
/** Core → main: an event of the contract to forward to the window, or why the core could not start. */
export const mainNotifications = { event: 'core.event', failed: 'core.failed' } as const;

export const CallParams = z.object({ name: z.string().min(1).max(100), input: z.unknown() });
export const DocumentFileParams = z.object({ documentId: Id });
/** A stored document ready to stream: its verified file and the headers the document route chose; null when absent. */
export const DocumentFile = z.object({ path: z.string().min(1), headers: z.record(z.string(), z.string()) }).nullable();
export type DocumentFile = z.infer<typeof DocumentFile>;
export const EventParams = z.object({ name: z.string().min(1).max(100), payload: z.unknown() });
export const OpenExternalParams = z.object({ url: z.string().min(1).max(8192) });

const VaultKey = z.string().min(1).max(512);
const VaultKeyParams = z.object({ key: VaultKey });
const VaultSetParams = z.object({ key: VaultKey, value: z.string().max(1_000_000) });
const VaultPrefixParams = z.object({ prefix: VaultKey });

/** The core's view of the vault: every call goes to the main process, which holds the vault. */
export function remoteVault(main: Pick<RpcPeer, 'request'>): Vault {
  return {
    get: async (key) => {
      const value = await main.request(mainMethods.vaultGet, { key });
      return typeof value === 'string' ? value : undefined;
    },
    set: async (key, value) => {
      await main.request(mainMethods.vaultSet, { key, value });
    },
    delete: async (key) => {
      await main.request(mainMethods.vaultDelete, { key });
    },
    deletePrefix: async (prefix) => {
      await main.request(mainMethods.vaultDeletePrefix, { prefix });
    },
  };
}

/** The main process's side of `remoteVault`. */
export function vaultHandlers(vault: Vault): Record<string, RpcHandler> {
  return {
    [mainMethods.vaultGet]: async (params) => (await vault.get(VaultKeyParams.parse(params).key)) ?? null,
    [mainMethods.vaultSet]: async (params) => {
      const { key, value } = VaultSetParams.parse(params);
      await vault.set(key, value);
      return null;
    },
    [mainMethods.vaultDelete]: async (params) => {
      await vault.delete(VaultKeyParams.parse(params).key);
      return null;
    },
    [mainMethods.vaultDeletePrefix]: async (params) => {
      await vault.deletePrefix(VaultPrefixParams.parse(params).prefix);
      return null;
    },
  };
}
