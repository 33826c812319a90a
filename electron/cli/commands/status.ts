import type { Command } from 'commander';
import { withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';

export function registerStatus(program: Command, context: () => CommandContext): void {
  program
    .command('status')
    .action(() => {
      const ctx = context();
      return withCore(ctx, (core) => {
        const accounts = core.storage.statuses.all();
        const human = accounts.length === 0
          ? `No accounts yet in ${ctx.dataDir}.\nAdd one with: dossier accounts add --provider <id> --name NAME`
          : accounts
              .map((status) => {
                const counts = Object.entries(status.counts).map(([kind, n]) => `${kind.replace('_', ' ')} ${n}`).join(', ');
                const last = status.lastSyncedAt ?? 'never';
                const failures = status.failedDownloads > 0 ? `; failed downloads ${status.failedDownloads} (retried on the next sync)` : '';
                const outbox = status.pendingOutbox + status.failedOutbox > 0 ? `\n  queued changes ${status.pendingOutbox}, failed ${status.failedOutbox}` : '';
                const error = status.lastError ? `\n  last sync failed: ${status.lastError.message}` : '';
                return `${status.account} (${status.provider}, ${status.state}) — last sync ${last}\n  ${counts}; pending downloads ${status.pendingDownloads}${failures}${outbox}${error}`;
              })
              .join('\n');
        ctx.print({ dataDir: ctx.dataDir, accounts }, human);
      });
    });
}
