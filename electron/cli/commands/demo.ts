import type { Command } from 'commander';
import { DossierError } from '../../core/base/errors.ts';
import { loadSandboxes, sandboxLauncher } from '../../host/sandboxes.ts';
import { withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';
import { untilInterrupted } from '../signals.ts';

export function registerDemo(program: Command, context: () => CommandContext): void {
  program
    .command('demo')
    .option('--scale <scale>', 'dataset size: small, medium or season', 'small')
    .option('--seed <n>', 'dataset seed (default: the sandboxes\' own)')
    .option('--no-documents', 'sync without document downloads')
    .option('--once', 'stop the sandboxes and exit once the first sync is done')
    .action(async (options: { scale: string; seed?: string; documents: boolean; once?: boolean }) => {
      const ctx = context();
      const { scales } = await loadSandboxes();
      const scale = scales.find((known) => known === options.scale);
      if (scale === undefined) throw new DossierError('input.invalid', `Unknown scale "${options.scale}". Choose ${scales.join(' or ')}.`);
      await withCore(ctx, async ({ services: { demo } }) => {
        const { accounts: started, results } = await demo.run({
          scale,
          seed: options.seed === undefined ? undefined : Number(options.seed),
          documents: options.documents,
          report: (line) => ctx.stderr.write(`${line}\n`),
        });
        const accounts = started.map((account) => {
          const result = results.find((candidate) => candidate.accountId === account.accountId);
          return { ...account, synced: result?.ok ?? false, error: result?.error ?? null, counts: result?.counts ?? {} };
        });
        ctx.print(
          { accounts },
          accounts.map((account) => `${account.name}: ${account.synced ? `synced (${account.counts.applications ?? 0} applications changed, ${account.counts.downloaded ?? 0} documents)` : account.signedIn ? `failed — ${account.error?.message ?? ''}` : 'not signed in'}`).join('\n'),
        );
        if (options.once) return;
        ctx.stderr.write('The sandboxes keep running at the addresses above until Ctrl-C. Their sign-ins live in this process only; the app\'s "Try the demo workspace" starts its own.\n');
        await untilInterrupted();
      }, { sandboxes: sandboxLauncher });
    });
}
