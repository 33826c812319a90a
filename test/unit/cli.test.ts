import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHeapFlags } from '../../electron/host/heap.ts';
import { Command } from 'commander';
import { commandOf, commands } from '../../electron/cli/commands/index.ts';
import { runCli } from '../helpers/cli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('dossier command line', () => {
  it('prints help listing the global options', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--data-dir');
    expect(result.stdout).toContain('--json');
    expect(result.stdout).toContain('status');
  });

  it('loads the file of each listed command, and that file defines the command by the listed name', async () => {
    for (const entry of commands) {
      const program = new Command('dossier');
      (await entry.load())(program, () => { throw new Error('not run'); });
      expect(program.commands.map((command) => command.name()), entry.name).toContain(entry.name);
    }
  });

  it('finds the command an argument list runs past the global options, and none for help alone', () => {
    const withValue = new Set(['--data-dir']);
    expect(commandOf(['--data-dir', 'search', 'search', 'mit'], withValue)?.name).toBe('search');
    expect(commandOf(['--json', 'export', 'letters'], withValue)?.name).toBe('export');
    expect(commandOf(['help', 'sync'], withValue)?.name).toBe('sync');
    expect(commandOf(['--help'], withValue)).toBeUndefined();
    expect(commandOf(['frobnicate'], withValue)).toBeUndefined();
  });

  it('shows a command\'s own options when asked for its help, and every command in the overview', async () => {
    const search = await runCli(['search', '--help']);
    expect(search.stdout).toContain('--limit');
    const overview = await runCli(['--help']);
    for (const entry of commands) expect(overview.stdout).toContain(entry.name);
  });

  it('reports status of an empty data directory, in text and JSON', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
    dirs.push(dataDir);
    const text = await runCli(['--data-dir', dataDir, 'status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No accounts yet');
    const json = await runCli(['--data-dir', dataDir, '--json', 'status']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ dataDir, accounts: [] });
  });

  it('honours DOSSIER_DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
    dirs.push(dataDir);
    const json = await runCli(['--json', 'status'], { DOSSIER_DATA_DIR: dataDir });
    expect(JSON.parse(json.stdout).dataDir).toBe(dataDir);
  });

  it('exits non-zero with a message on stderr for an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('runs as a real process through the package bin, with the core heap limits from its #! line', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
    dirs.push(dataDir);
    const bin = join(import.meta.dirname, '../../bin/dossier.js');
    const result = spawnSync(bin, ['--data-dir', dataDir, '--json', 'status'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).accounts).toEqual([]);
    const shebang = readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '';
    expect(shebang.split(' ').slice(3)).toEqual(coreHeapFlags);
  });
});
