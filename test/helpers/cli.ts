import { PassThrough } from 'node:stream';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRun {
  readonly done: Promise<CliResult>;
  /** Resolves with the first line written to stderr that matches. */
  stderrLine(pattern: RegExp): Promise<string>;
}

/**
 * Starts one `dossier` command in-process, with its own streams and `env` as its whole environment,
 * its output observable while it runs (for commands that wait, like `login`).
 */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = {}, stdinText = ''): Promise<CliRun> {
  // Loaded on first use, so test files that import this module without running the CLI stay light.
  const { main } = await import('../../electron/cli/main.ts');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const watchers: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => {
    err.push(chunk);
    for (const line of Buffer.concat(err).toString().split('\n')) {
      for (const watcher of watchers.filter((candidate) => candidate.pattern.test(line))) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(line);
      }
    }
  });
  const done = main(args, { stdout, stderr, stdin, env }).then((code) => ({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  return {
    done,
    stderrLine: (pattern) => new Promise((resolve) => watchers.push({ pattern, resolve })),
  };
}

/** Runs one `dossier` command in-process to the end (see `startCli`). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, stdinText = ''): Promise<CliResult> {
  return (await startCli(args, env, stdinText)).done;
}
