import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';

/** Checks an archive with the system's Info-ZIP `unzip -t` (an independent reader) and extracts it. */
export function testAndExtract(zipFile: string): { dir: string; files: Map<string, Buffer> } {
  const tested = spawnSync('unzip', ['-t', zipFile], { encoding: 'utf8' });
  expect(tested.stderr).toBe('');
  expect(tested.status, tested.stdout).toBe(0);
  expect(tested.stdout).toMatch(/No errors detected/);
  const dir = mkdtempSync(join(tmpdir(), 'dossier-unzipped-'));
  const extracted = spawnSync('unzip', ['-q', zipFile, '-d', dir], { encoding: 'utf8' });
  expect(extracted.status, extracted.stderr).toBe(0);
  const files = new Map<string, Buffer>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path));
    }
  };
  walk(dir);
  return { dir, files };
}

/** The entry names as unzip lists them, in archive order. */
export function entryNames(zipFile: string): string[] {
  const listed = spawnSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' });
  expect(listed.status).toBe(0);
  return listed.stdout.split('\n').filter((line) => line !== '');
}
