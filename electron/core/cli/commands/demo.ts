import type { Command } from 'commander';
import type { CoreDeps } from '../../api/deps.ts';
import { openCliVault } from '../../auth/secret-input.ts';
import { openCore } from '../../context.ts';
import { DossierError } from '../../errors.ts';
import { CoreEvents } from '../../events.ts';
import { scales, type Scale } from '../../sandbox/registry.ts';
import { startDemo } from '../../sync/demo.ts';
import type { CommandContext } from '../io.ts';
import { untilInterrupted } from '../signals.ts';

export function registerDemo(program: Command, context: () => CommandContext): void {
  program
    .command('demo')
    .description('starts every provider sandbox with generated data, connects an account to each through the real sign-in path, syncs, and keeps the sandboxes running until Ctrl-C')
    .option('--scale <scale>', `dataset size: ${scales.join(' or ')}`, 'small')
    .option('--seed <n>', 'dataset seed', '20251101')
    .option('--no-browser', 'skip accounts whose sign-in needs a browser (InfoJobs); sign them in later with "dossier login"')
    .option('--no-documents', 'sync without document downloads')
    .option('--once', 'stop the sandboxes and exit once the first sync is done')
    .action(async (options: { scale: string; seed: string; browser: boolean; documents: boolean; once?: boolean }) => {
      const ctx = context();
      if (!scales.includes(options.scale as Scale)) throw new DossierError('input.invalid', `Unknown scale "${options.scale}". Choose ${scales.join(' or ')}.`);
      const core = openCore(ctx.dataDir);
      try {
        const vault = await openCliVault(ctx, core.paths.vault);
        const deps: CoreDeps = {
          context: core,
          events: new CoreEvents(),
          vault,
          openExternal: async (url) => {
            ctx.stderr.write(`Open this address in your browser to sign in:\n  ${url}\n`);
          },
          host: 'cli',
          documentUrl: (id) => `dossier://document/${id}`,
        };
        const demo = await startDemo(deps, {
          scale: options.scale as Scale,
          seed: Number(options.seed),
          browser: options.browser,
          documents: options.documents,
          report: (line) => ctx.stderr.write(`${line}\n`),
        });
        const accounts = demo.accounts.map((account) => {
          const result = demo.results.find((candidate) => candidate.accountId === account.accountId);
          return { ...account, synced: result?.ok ?? false, error: result?.error ?? null, counts: result?.counts ?? {} };
        });
        ctx.print(
          { accounts },
          accounts.map((account) => `${account.name}: ${account.synced ? `synced (${account.counts.applications ?? 0} applications changed, ${account.counts.downloaded ?? 0} documents)` : account.signedIn ? `failed — ${account.error?.message ?? ''}` : 'not signed in'}`).join('\n'),
        );
        if (options.once) {
          await demo.close();
          return;
        }
        ctx.stderr.write('The sandboxes keep running for the app ("dossier serve" in another terminal). Press Ctrl-C to stop them.\n');
        await untilInterrupted();
        await demo.close();
      } finally {
        core.close();
      }
    });
}
