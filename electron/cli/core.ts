import { dataPaths } from '../core/base/paths.ts';
import { createCore, type Core, type CoreOptions } from '../core/core.ts';
import { fileLogger } from '../core/base/log.ts';
import { hostVault, type LazyVault } from '../host/host-vault.ts';
import type { CommandContext } from './io.ts';

/** The data folder's vault (the system keyring, else the passphrase file), opened on first use. */
export function cliVault(ctx: CommandContext): LazyVault {
  return hostVault({ dataDir: ctx.dataDir, secrets: ctx, log: fileLogger(dataPaths(ctx.dataDir).logFile, { process: 'cli' }) });
}

export type CommandCoreOptions = Partial<Pick<CoreOptions, 'openExternal' | 'sandboxes' | 'vault'>>;

/** Runs one command against the profile of `--data-dir`, closing the core however the command ends. */
export async function withCore<T>(ctx: CommandContext, work: (core: Core) => Promise<T> | T, options: CommandCoreOptions = {}): Promise<T> {
  const core = createCore({
    dataDir: ctx.dataDir,
    host: 'cli',
    vault: options.vault ?? cliVault(ctx),
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
