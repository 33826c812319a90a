import { dataPaths } from '../core/base/paths.ts';
import { createCore, type Core, type CoreOptions } from '../core/core.ts';
import type { Vault } from '../core/secrets/vault.ts';
import { openCliVault } from '../host/secret-input.ts';
import type { CommandContext } from './io.ts';

/** A vault that opens when first used, or when `unlock` says so. */
export interface LazyVault extends Vault {
  /** Opens the vault now (asking for the passphrase if needed), so a wrong one fails before any work starts. */
  unlock(): Promise<void>;
}

/**
 * A vault opened on its first use: a command that only reads the cache (status, search, list)
 * never asks for the passphrase, and one that needs a secret asks only once it knows it will.
 */
export function vaultOnFirstUse(open: () => Promise<Vault>): LazyVault {
  let opened: Promise<Vault> | undefined;
  const vault = (): Promise<Vault> => (opened ??= open());
  return {
    unlock: async () => {
      await vault();
    },
    get: async (key) => (await vault()).get(key),
    set: async (key, value) => (await vault()).set(key, value),
    delete: async (key) => (await vault()).delete(key),
    deletePrefix: async (prefix) => (await vault()).deletePrefix(prefix),
  };
}

export type CommandCoreOptions = Partial<Pick<CoreOptions, 'openExternal' | 'sandboxes' | 'vault'>>;

/** Runs one command against the profile of `--data-dir`, closing the core however the command ends. */
export async function withCore<T>(ctx: CommandContext, work: (core: Core) => Promise<T> | T, options: CommandCoreOptions = {}): Promise<T> {
  const core = createCore({
    dataDir: ctx.dataDir,
    host: 'cli',
    vault: options.vault ?? vaultOnFirstUse(() => openCliVault(ctx, dataPaths(ctx.dataDir).vault)),
    openExternal: options.openExternal ?? (async () => undefined),
    documentUrl: (id) => `dossier://document/${id}`,
    sandboxes: options.sandboxes,
  });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}
