import type { Command } from 'commander';
import { dataPaths } from '../../core/base/paths.ts';
import { FileVault } from '../../host/file-vault.ts';
import type { CommandContext } from '../io.ts';

export function registerVault(program: Command, context: () => CommandContext): void {
  const vault = program.command('vault');
  vault
    .command('reset')
    .description('start a new, empty vault (for a forgotten passphrase): the old file is kept aside, every account signs in again, the cached data stays')
    .action(() => {
      const ctx = context();
      const file = dataPaths(ctx.dataDir).vault;
      const aside = FileVault.setAside(file, 'reset');
      ctx.print(
        { keptAs: aside ?? null },
        aside === undefined
          ? `There is no vault file at ${file}; nothing to reset.`
          : `The old vault is kept as ${aside} (move it back to ${file} to use it again). The next sign-in starts a new vault; every account signs in again, and your cached data is untouched.`,
      );
    });
}
