import { Command, CommanderError } from 'commander';
import { toErrorValue } from '../core/base/errors.ts';
import { defaultDataDir } from '../core/base/paths.ts';
import { commandOf, commands } from './commands/index.ts';
import { withCommandHint } from './hints.ts';
import { createContext, type CliIo, type CommandContext } from './io.ts';

const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

/** Runs one `dossier` invocation and returns its exit code; never calls process.exit itself. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = new Command('dossier')
    .description('Dossier: offline applicant-packet review for recruiters and hiring committees')
    .option('--data-dir <dir>', 'profile folder (default: the platform application-data folder, or $DOSSIER_DATA_DIR)')
    .option('--json', 'print one JSON document on stdout')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  const context = (): CommandContext => {
    const options = program.opts<{ dataDir?: string; json?: boolean }>();
    return createContext(io, { dataDir: options.dataDir ?? defaultDataDir(io.env), json: options.json === true });
  };
  try {
    const running = commandOf(argv, new Set(['--data-dir']));
    if (running) (await running.load())(program, context);
    for (const command of commands) {
      const registered = program.commands.find((candidate) => candidate.name() === command.name);
      // The others are listed by name and summary only; their files are not loaded.
      (registered ?? program.command(command.name)).description(command.summary);
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const value = toErrorValue(error);
    const message = withCommandHint(value);
    const json = program.opts<{ json?: boolean }>().json === true;
    io.stderr.write(json ? `${JSON.stringify({ error: { code: value.code, message } })}\n` : `dossier: ${message}\n`);
    return 1;
  }
}
