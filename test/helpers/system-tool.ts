import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** The Debian package each independent checker comes from (.ci/run installs them). */
const packages = { unzip: 'unzip', pdfinfo: 'poppler-utils' } as const;

export type SystemTool = keyof typeof packages;

/**
 * Runs a system tool that checks Dossier's output independently of the libraries that wrote it, and
 * returns what it printed. A machine without the tool fails the test, naming the package to install:
 * the check is never skipped.
 */
export function runTool(tool: SystemTool, args: readonly string[], options: { input?: Uint8Array; cwd?: string } = {}): string {
  const result = spawnSync(tool, args, { ...options, encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new Error(`${tool} could not run (${result.error.message}). Install ${packages[tool]}: apt-get install ${packages[tool]}`, { cause: result.error });
  }
  expect(result.status, `${tool} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}
