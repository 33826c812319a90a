import { InvalidArgumentError, type Command } from 'commander';
import { syncPhaseLabels, type SyncProgress } from '../../../shared/domain.ts';
import { DossierError } from '../../core/base/errors.ts';
import { defaultMaxReplyMb } from '../../core/providers/kit/http.ts';
import type { AccountSyncResult } from '../../core/sync/engine.ts';
import { cliVault, withCore } from '../core.ts';
import { withCommandHint } from '../hints.ts';
import type { CommandContext } from '../io.ts';

/** Renders progress: a redrawn bar on a terminal, one plain line per phase change otherwise. */
function progressPrinter(ctx: CommandContext, names: ReadonlyMap<number, string>): (progress: SyncProgress) => void {
  const tty = ctx.stderr.isTTY === true;
  let lastLine = '';
  let lastDraw = 0;
  return (progress) => {
    const name = names.get(progress.accountId) ?? String(progress.accountId);
    const counts = progress.total === null ? `${progress.done}` : `${progress.done}/${progress.total}`;
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 80 && progress.done !== progress.total) return;
      lastDraw = now;
      const width = 24;
      const filled = progress.total ? Math.round((progress.done / Math.max(progress.total, 1)) * width) : 0;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      const mb = (progress.bytes / 1024 / 1024).toFixed(1);
      ctx.stderr.write(`\r\u001b[2K${name} ${syncPhaseLabels[progress.phase].padEnd(20)} ${bar} ${counts} ${mb} MB ${(progress.current ?? '').slice(0, 30)}`);
      return;
    }
    const line = `${name}: ${syncPhaseLabels[progress.phase]}`;
    if (line === lastLine) return;
    lastLine = line;
    ctx.stderr.write(`${line}\n`);
  };
}

function describe(result: AccountSyncResult, name: string): string {
  if (!result.ok) return `${name}: failed — ${result.error ? withCommandHint(result.error, name) : 'unknown error'}`;
  const c = result.counts;
  const changed = ['applicants', 'applications', 'documents', 'letters', 'interview_slots', 'jobs'].map((key) => `${key.replace('_', ' ')} ${c[key] ?? 0}`).join(', ');
  return `${name}: ok — changed: ${changed}; removed upstream ${c.removed ?? 0}; downloaded ${c.downloaded ?? 0}, failed ${c.downloadFailures ?? 0}, still owed ${c.pendingDownloads ?? 0}`;
}

function parseMegabytes(value: string): number {
  const mb = Number(value);
  if (!Number.isInteger(mb) || mb < 1 || mb > 4096) throw new InvalidArgumentError('give a whole number of megabytes between 1 and 4096.');
  return mb;
}

export function registerSync(program: Command, context: () => CommandContext): void {
  program
    .command('sync')
    .argument('[names...]', 'account names')
    .option('--no-documents', 'skip document downloads (they stay on the ledger for the next sync)')
    .option('--max-reply-mb <mb>', `the largest reply read for one page of a list, in MB (default ${defaultMaxReplyMb}); the profile keeps it for later syncs`, parseMegabytes)
    .action(async (names: string[], options: { documents: boolean; maxReplyMb?: number }) => {
      const ctx = context();
      const vault = cliVault(ctx);
      await withCore(ctx, async (core) => {
        const { accounts, sync } = core.services;
        const accountIds = names.map((name) => accounts.findByName(name).id);
        await vault.unlock();
        const accountNames = new Map(accounts.list().map((account) => [account.id, account.name]));
        if (!ctx.json) core.events.on('sync.progress', progressPrinter(ctx, accountNames));
        const cancel = (): void => {
          sync.cancel();
        };
        process.once('SIGINT', cancel);
        let results: AccountSyncResult[];
        try {
          results = await sync.run({ ...(accountIds.length > 0 ? { accountIds } : {}), documents: options.documents, maxReplyMb: options.maxReplyMb });
        } finally {
          process.off('SIGINT', cancel);
        }
        if (!ctx.json && ctx.stderr.isTTY === true) ctx.stderr.write('\n');
        const named = results.map((result) => ({ account: accountNames.get(result.accountId) ?? String(result.accountId), ...result }));
        const human = named.length === 0 ? 'No accounts to sync. Add one with: dossier accounts add --provider <id> --name NAME' : named.map((result) => describe(result, result.account)).join('\n');
        ctx.print({ results: named }, human);
        const failed = results.filter((result) => !result.ok);
        if (failed.length > 0) {
          const first = failed[0]?.error;
          const firstName = accountNames.get(failed[0]?.accountId ?? -1);
          throw new DossierError(
            first?.code ?? 'internal',
            failed.length === 1 ? (first ? withCommandHint(first, firstName) : 'The sync failed.') : `${failed.length} accounts failed to sync; see above.`,
          );
        }
      }, { vault });
    });
}
