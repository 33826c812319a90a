import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md §2: the layers and their arrows. A file's layer is the first rule whose folder
 * contains it; every import it makes must stay within what that layer may reach.
 */
const root = resolve(import.meta.dirname, '../..');

interface Layer {
  readonly folder: string;
  /** Folders of ours this layer may import from (its own folder is always allowed). */
  readonly mayImport: readonly string[];
  readonly mayImportNodeBuiltins: boolean;
  readonly mayImportElectron: boolean;
  readonly mayImportPackages: boolean;
}

const layers: readonly Layer[] = [
  { folder: 'renderer', mayImport: ['shared'], mayImportNodeBuiltins: false, mayImportElectron: false, mayImportPackages: true },
  { folder: 'electron/preload', mayImport: ['shared'], mayImportNodeBuiltins: false, mayImportElectron: true, mayImportPackages: false },
  { folder: 'electron/main', mayImport: ['electron/core', 'electron/web', 'electron/preload', 'shared'], mayImportNodeBuiltins: true, mayImportElectron: true, mayImportPackages: true },
  { folder: 'electron/web', mayImport: ['electron/core', 'shared'], mayImportNodeBuiltins: true, mayImportElectron: false, mayImportPackages: true },
  { folder: 'electron/core', mayImport: ['shared'], mayImportNodeBuiltins: true, mayImportElectron: false, mayImportPackages: true },
  { folder: 'shared', mayImport: [], mayImportNodeBuiltins: false, mayImportElectron: false, mayImportPackages: true },
];

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const importPattern = /(?:^|[\s;])(?:import|export)\s(?:[^'"`;]*?\sfrom\s)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) found.push(specifier);
  }
  return found;
}

function sourceFiles(folder: string): string[] {
  const absolute = join(root, folder);
  try {
    statSync(absolute);
  } catch {
    return [];
  }
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|mts|js|mjs)$/.test(file) && !file.split(sep).includes('node_modules'))
    .map((file) => join(folder, file));
}

function layerOf(file: string): Layer | undefined {
  return layers.find((layer) => file === layer.folder || file.startsWith(`${layer.folder}/`));
}

export function violations(file: string, source: string): string[] {
  const layer = layerOf(file);
  if (!layer) return [];
  const problems: string[] = [];
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith('.')) {
      const target = relative(root, resolve(root, dirname(file), specifier)).split(sep).join('/');
      const allowed = [layer.folder, ...layer.mayImport].some((folder) => target === folder || target.startsWith(`${folder}/`));
      if (!allowed) problems.push(`${file} imports ${specifier} (${target}), but ${layer.folder}/ may only import ${[layer.folder, ...layer.mayImport].join(', ')}`);
    } else if (specifier === 'electron' || specifier.startsWith('electron/')) {
      if (!layer.mayImportElectron) problems.push(`${file} imports '${specifier}', which ${layer.folder}/ must never import (DESIGN.md §2)`);
    } else if (nodeBuiltins.has(specifier)) {
      if (!layer.mayImportNodeBuiltins) problems.push(`${file} imports the Node built-in '${specifier}', which ${layer.folder}/ must never import`);
    } else if (!layer.mayImportPackages) {
      problems.push(`${file} imports the package '${specifier}'; ${layer.folder}/ runs sandboxed and may only import shared/ and electron`);
    }
  }
  return problems;
}

describe('layer import rules (DESIGN.md §2)', () => {
  it('finds static, dynamic and require imports', () => {
    expect(importsOf(`import a from 'x';\nimport type { B } from "../y.ts";\nexport * from './z.ts';\nconst c = await import('w');\nrequire('v');`))
      .toEqual(['x', '../y.ts', './z.ts', 'w', 'v']);
  });

  it('rejects each forbidden arrow', () => {
    expect(violations('electron/core/db/x.ts', `import { app } from 'electron';`)).toHaveLength(1);
    expect(violations('electron/core/db/x.ts', `import { x } from '../../../renderer/src/a.ts';`)).toHaveLength(1);
    expect(violations('electron/web/server.ts', `import { BrowserWindow } from 'electron';`)).toHaveLength(1);
    expect(violations('renderer/src/app.tsx', `import { openCore } from '../../electron/core/context.ts';`)).toHaveLength(1);
    expect(violations('renderer/src/app.tsx', `import { readFileSync } from 'node:fs';`)).toHaveLength(1);
    expect(violations('renderer/src/app.tsx', `import fs from 'fs';`)).toHaveLength(1);
    expect(violations('shared/x.ts', `import { join } from 'node:path';`)).toHaveLength(1);
    expect(violations('shared/x.ts', `import { a } from '../electron/core/errors.ts';`)).toHaveLength(1);
    expect(violations('electron/preload/index.ts', `import { openCore } from '../core/context.ts';`)).toHaveLength(1);
    expect(violations('electron/main/window.ts', `import { App } from '../../renderer/src/App.tsx';`)).toHaveLength(1);
  });

  it('allows each permitted arrow', () => {
    expect(violations('electron/core/db/x.ts', `import { z } from 'zod';\nimport { api } from '../../../shared/contract.ts';\nimport { join } from 'node:path';`)).toEqual([]);
    expect(violations('electron/main/index.ts', `import { app } from 'electron';\nimport { openCore } from '../core/context.ts';`)).toEqual([]);
    expect(violations('electron/preload/index.ts', `import { contextBridge } from 'electron';\nimport { api } from '../../shared/contract.ts';`)).toEqual([]);
    expect(violations('renderer/src/app.tsx', `import { api } from '../../shared/contract.ts';\nimport { create } from 'zustand';`)).toEqual([]);
  });

  it('holds for every file in the tree', () => {
    const files = layers.flatMap((layer) => sourceFiles(layer.folder));
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((file) => violations(file, readFileSync(join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });
});
