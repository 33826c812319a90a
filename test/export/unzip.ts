import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { runTool } from '../helpers/system-tool.ts';

/** Checks an archive with the system's Info-ZIP `unzip -t` (an independent reader) and extracts it. */
export function testAndExtract(zipFile: string): { dir: string; files: Map<string, Buffer> } {
  expect(runTool('unzip', ['-t', zipFile])).toMatch(/No errors detected/);
  const dir = mkdtempSync(join(tmpdir(), 'dossier-unzipped-'));
  runTool('unzip', ['-q', zipFile, '-d', dir]);
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
  return runTool('unzip', ['-Z1', zipFile]).split('\n').filter((line) => line !== '');
}
