import type { Command } from 'commander';
import { DossierError } from '../../core/base/errors.ts';
import { launchBrowserHost } from '../../web/launch.ts';
import type { CommandContext } from '../io.ts';
import { untilInterrupted } from '../signals.ts';

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DossierError('input.invalid', `--port must be a number from 1 to 65535 (or 0 for any free port), not "${text}".`, { field: 'port' });
  }
  return port;
}

export function registerServe(program: Command, context: () => CommandContext): void {
  program
    .command('serve')
    .option('--port <n>', 'port to listen on (default: any free port)', '0')
    .action(async (options: { port: string }) => {
      const ctx = context();
      const port = parsePort(options.port);
      // The terminal stays available to the host, so it can ask for the vault passphrase when none is set.
      const launched = await launchBrowserHost({ dataDir: ctx.dataDir, port, secrets: { stdin: ctx.stdin, stderr: ctx.stderr, env: ctx.env } });
      try {
        const { url } = launched.host;
        ctx.stdout.write(ctx.json ? `${JSON.stringify({ url, port: launched.host.port, dataDir: ctx.dataDir })}\n` : `${url}\n`);
        if (!ctx.json) ctx.stderr.write('Dossier is serving on 127.0.0.1 only. Open the address above in your browser; press Ctrl+C to stop.\n');
        await untilInterrupted();
      } finally {
        await launched.close();
      }
    });
}
