import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CommanderError, type Command } from 'commander';
import { DossierError } from '../../errors.ts';
import type { CommandContext } from '../io.ts';

/** The browser host is the web layer, which the core may not import: `serve` runs it as its own process. */
const browserHostEntry = fileURLToPath(new URL('../../../web/main.ts', import.meta.url));

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
    .description('serve the app to your browser on 127.0.0.1 (prints the address to open; Ctrl+C stops)')
    .option('--port <n>', 'port to listen on (default: any free port)', '0')
    .action(async (options: { port: string }) => {
      const ctx = context();
      const port = parsePort(options.port);
      const child = spawn(process.execPath, [browserHostEntry, '--data-dir', ctx.dataDir, '--port', String(port), ...(ctx.json ? ['--json'] : [])], {
        env: { ...process.env, ...ctx.env },
        // The terminal stays the host's, so it can ask for the vault passphrase when none is set.
        stdio: ['inherit', 'pipe', 'pipe'],
      });
      child.stdout.pipe(ctx.stdout, { end: false });
      child.stderr.pipe(ctx.stderr, { end: false });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInterrupt = forward('SIGINT');
      const onTerminate = forward('SIGTERM');
      process.on('SIGINT', onInterrupt);
      process.on('SIGTERM', onTerminate);
      const code = await new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (exitCode) => resolve(exitCode ?? 0));
      }).finally(() => {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onTerminate);
      });
      // The host already said what went wrong on stderr; only the exit status is left to pass on.
      if (code !== 0) throw new CommanderError(code, 'dossier.serve', '');
    });
}
