import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md and the arrows between them, checked on every source file:
 * which folders a file may import from (static, dynamic and type imports, and the files it reaches
 * by a path built with `new URL('…', import.meta.url)`, such as a worker or a spawned entry), that
 * no import cycle exists, that only the storage layer prepares SQL, and that product code never
 * loads the sandboxes.
 */
const root = resolve(import.meta.dirname, '../..');

export interface Reference {
  readonly specifier: string;
  /** `import type` / `export type`: erased at run time. */
  readonly typeOnly: boolean;
  /** `import()` or a `new URL('…', import.meta.url)` path: loaded only when that code runs. */
  readonly deferred: boolean;
}

/** Every module and file a source file refers to, read with TypeScript's own parser. */
export function referencesOf(fileName: string, source: string): Reference[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Reference[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true || (node.importClause !== undefined && !node.importClause.name && node.importClause.namedBindings !== undefined &&
          ts.isNamedImports(node.importClause.namedBindings) && node.importClause.namedBindings.elements.length > 0 &&
          node.importClause.namedBindings.elements.every((element) => element.isTypeOnly))
        : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly, deferred: false });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false, deferred: true });
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false, deferred: false });
    } else if (
      ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2 &&
      node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0]) && node.arguments[0].text.startsWith('.') &&
      node.arguments[1]?.getText(file) === 'import.meta.url'
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false, deferred: true });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true, deferred: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

interface Layer {
  /** A folder, or a single file; `electron/core/providers/*` stands for each provider's own folder. */
  readonly path: string;
  /** Layers of ours this layer may import from (its own is always allowed). */
  readonly mayImport: readonly string[];
  /** Layers it may reach only by `import()` (loaded when that code runs, never when it starts) or for types. */
  readonly mayLoadLater?: readonly string[];
  readonly nodeBuiltins: boolean;
  /** 'types' allows only `import type` from 'electron' (code that runs in an Electron process but never calls its API directly). */
  readonly electron: boolean | 'types';
  readonly packages: boolean;
}

const node = { nodeBuiltins: true, electron: false, packages: true } as const;
const coreBelowApi = [
  'electron/core/base', 'electron/core/storage', 'electron/core/secrets', 'electron/core/blobs', 'electron/core/providers/kit',
  'electron/core/providers/*', 'electron/core/providers', 'electron/core/search', 'electron/core/accounts', 'electron/core/auth',
  'electron/core/review', 'electron/core/outbox', 'electron/core/sync', 'electron/core/export', 'electron/core/demo', 'electron/core/committee',
];

/**
 * Most specific first: a file belongs to the first layer whose path contains it. The core's inner
 * layers come before the core itself; every one of them may also import shared/.
 */
export const layers: readonly Layer[] = [
  { path: 'renderer', mayImport: ['shared'], nodeBuiltins: false, electron: false, packages: true },
  { path: 'electron/preload', mayImport: ['shared'], nodeBuiltins: false, electron: true, packages: false },
  { path: 'electron/main', mayImport: ['electron/utility/rpc.ts', 'electron/utility/core-protocol.ts', 'electron/core', 'electron/host', 'shared'], ...node, electron: true },
  { path: 'electron/utility', mayImport: ['electron/core', 'electron/host', 'shared'], ...node, electron: 'types' },
  { path: 'electron/web', mayImport: ['electron/core', 'electron/host', 'shared'], ...node },
  { path: 'electron/cli', mayImport: ['electron/core', 'electron/host', 'electron/web', 'shared'], mayLoadLater: ['electron/sandbox', 'electron/committee-server'], ...node },
  { path: 'electron/host', mayImport: ['electron/core', 'shared'], mayLoadLater: ['electron/sandbox'], ...node },
  { path: 'electron/sandbox', mayImport: ['shared'], ...node },
  // The committee server is its own process with its own database; it shares only the wire format with the app.
  { path: 'electron/committee-server', mayImport: ['shared'], ...node },

  { path: 'electron/core/base', mayImport: ['shared'], ...node },
  { path: 'electron/core/blobs', mayImport: ['electron/core/base', 'shared'], ...node },
  { path: 'electron/core/secrets', mayImport: ['electron/core/base', 'shared'], ...node },
  { path: 'electron/core/providers/kit', mayImport: ['electron/core/base', 'electron/core/blobs', 'shared'], ...node },
  { path: 'electron/core/providers/*', mayImport: ['electron/core/base', 'electron/core/providers/kit', 'electron/core/blobs', 'shared'], ...node },
  { path: 'electron/core/providers', mayImport: ['electron/core/base', 'electron/core/providers/kit', 'electron/core/providers/*', 'shared'], ...node },
  { path: 'electron/core/storage', mayImport: ['electron/core/base', 'electron/core/providers/kit', 'shared'], ...node },
  { path: 'electron/core/search', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/blobs', 'shared'], ...node },
  { path: 'electron/core/accounts', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/secrets', 'electron/core/providers', 'electron/core/providers/kit', 'shared'], ...node },
  { path: 'electron/core/auth', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/secrets', 'electron/core/providers', 'electron/core/providers/kit', 'electron/core/accounts', 'shared'], ...node },
  { path: 'electron/core/review', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/blobs', 'electron/core/search', 'shared'], ...node },
  { path: 'electron/core/outbox', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/providers', 'electron/core/providers/kit', 'electron/core/accounts', 'shared'], ...node },
  {
    path: 'electron/core/sync',
    mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/blobs', 'electron/core/search', 'electron/core/providers', 'electron/core/providers/kit', 'electron/core/accounts', 'electron/core/outbox', 'shared'],
    ...node,
  },
  { path: 'electron/core/export', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/blobs', 'electron/core/review', 'shared'], ...node },
  { path: 'electron/core/demo', mayImport: ['electron/core/base', 'electron/core/accounts', 'electron/core/auth', 'electron/core/sync', 'electron/core/providers', 'shared'], ...node },
  { path: 'electron/core/committee', mayImport: ['electron/core/base', 'electron/core/storage', 'electron/core/secrets', 'electron/core/review', 'electron/core/export', 'shared'], ...node },
  { path: 'electron/core/api', mayImport: [...coreBelowApi, 'shared'], ...node },
  // The composition root (electron/core/core.ts) is the one file of the core's own folder: it builds everything.
  { path: 'electron/core', mayImport: [...coreBelowApi, 'electron/core/api', 'shared'], ...node },

  { path: 'shared', mayImport: [], nodeBuiltins: false, electron: false, packages: true },
];

const providerFolder = /^electron\/core\/providers\/(?!kit\/)[^/]+\//;

function contains(layerPath: string, file: string): boolean {
  if (layerPath === 'electron/core/providers/*') return providerFolder.test(file);
  if (layerPath === 'electron/core/providers') return /^electron\/core\/providers\/[^/]+\.tsx?$/.test(file);
  return file === layerPath || file.startsWith(`${layerPath}/`);
}

export function layerOf(file: string): Layer | undefined {
  return layers.find((layer) => contains(layer.path, file));
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|mts|js|mjs)$/.test(file) && !file.split(sep).includes('node_modules'))
    .map((file) => join(folder, file).split(sep).join('/'));
}

const tree = [...sourceFiles('electron'), ...sourceFiles('renderer'), ...sourceFiles('shared')];

function resolveRelative(file: string, specifier: string): string {
  return relative(root, resolve(root, dirname(file), specifier)).split(sep).join('/');
}

export function violations(file: string, source: string): string[] {
  const layer = layerOf(file);
  if (!layer) return [];
  const problems: string[] = [];
  const own = (target: string) => layerOf(target) === layer && (layer.path !== 'electron/core/providers/*' || providerFolder.exec(target)?.[0] === providerFolder.exec(file)?.[0]);
  for (const reference of referencesOf(file, source)) {
    const { specifier } = reference;
    if (specifier.startsWith('.')) {
      const target = resolveRelative(file, specifier);
      if (!/^(electron|renderer|shared)\//.test(target)) continue;
      if (own(target) || layer.mayImport.some((allowed) => contains(allowed, target))) continue;
      if ((reference.deferred || reference.typeOnly) && layer.mayLoadLater?.some((allowed) => contains(allowed, target))) continue;
      const later = layer.mayLoadLater?.some((allowed) => contains(allowed, target)) ? ' except through import()' : '';
      problems.push(`${file} imports ${target}, but ${layer.path} may import only ${[layer.path, ...layer.mayImport].join(', ')}${later}`);
    } else if (specifier === 'electron' || specifier.startsWith('electron/')) {
      if (layer.electron === true || (layer.electron === 'types' && reference.typeOnly)) continue;
      problems.push(`${file} imports '${specifier}'${layer.electron === 'types' ? ' as a value' : ''}, which ${layer.path} must not (it runs outside Electron's API)`);
    } else if (nodeBuiltins.has(specifier)) {
      if (!layer.nodeBuiltins) problems.push(`${file} imports the Node built-in '${specifier}', which ${layer.path} must never import`);
    } else if (!layer.packages) {
      problems.push(`${file} imports the package '${specifier}'; ${layer.path} runs sandboxed and may import only shared/ and electron`);
    }
  }
  return problems;
}

/** The import graph of the tree: every reference (types and deferred loads included) between files of ours. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(files.map((file) => [
    file,
    referencesOf(file, readFileSync(join(root, file), 'utf8'))
      .filter((reference) => reference.specifier.startsWith('.'))
      .map((reference) => resolveRelative(file, reference.specifier))
      .filter((target) => known.has(target)),
  ]));
}

/** Strongly connected components of more than one file (Tarjan), each sorted: the import cycles. */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

/** What only the storage layer may do: prepare or run SQL, set pragmas, or hold the database handle itself. */
const sqlPattern = /\.(prepare|pragma)\(|\.exec\(\s*[`'"]|from\s+['"]better-sqlite3['"]/;

export function preparesSql(source: string): boolean {
  return sqlPattern.test(source);
}

describe('architecture (docs/architecture.md)', () => {
  it('reads static, dynamic, type-only and path-built references', () => {
    const references = referencesOf('x.ts', [
      `import a from 'x';`, `import type { B } from "../y.ts";`, `import { type C } from './c.ts';`, `export * from './z.ts';`,
      `const c = await import('w');`, `require('v');`, `new Worker(new URL('./worker.ts', import.meta.url));`, `new URL('https://example.org', base);`,
    ].join('\n'));
    expect(references).toEqual([
      { specifier: 'x', typeOnly: false, deferred: false },
      { specifier: '../y.ts', typeOnly: true, deferred: false },
      { specifier: './c.ts', typeOnly: true, deferred: false },
      { specifier: './z.ts', typeOnly: false, deferred: false },
      { specifier: 'w', typeOnly: false, deferred: true },
      { specifier: 'v', typeOnly: false, deferred: false },
      { specifier: './worker.ts', typeOnly: false, deferred: true },
    ]);
  });

  it('rejects each forbidden arrow', () => {
    const rejected: [string, string][] = [
      ['electron/core/storage/x.ts', `import { app } from 'electron';`],
      ['electron/core/storage/x.ts', `import { x } from '../../../renderer/src/a.ts';`],
      ['electron/core/storage/x.ts', `import { CoreDeps } from '../api/handlers.ts';`],
      ['electron/core/auth/x.ts', `import type { Core } from '../core.ts';`],
      ['electron/core/base/x.ts', `import { openStorage } from '../storage/storage.ts';`],
      ['electron/core/providers/ejm/client.ts', `import { x } from '../careerplug/mapping.ts';`],
      ['electron/core/providers/ejm/client.ts', `import { x } from '../../sync/engine.ts';`],
      ['electron/core/providers/kit/http.ts', `import { x } from '../../auth/session.ts';`],
      ['electron/core/accounts/x.ts', `import { x } from '../auth/login.ts';`],
      ['electron/core/sync/demo.ts', `import { emulators } from '../../sandbox/index.ts';`],
      ['electron/core/demo/x.ts', `const sandboxes = await import('../../sandbox/index.ts');`],
      ['electron/host/demo.ts', `import { emulators } from '../sandbox/index.ts';`],
      ['electron/sandbox/ejm/server.ts', `import { DossierError } from '../../core/base/errors.ts';`],
      ['electron/web/server.ts', `import { BrowserWindow } from 'electron';`],
      ['electron/web/x.ts', `import { x } from '../cli/main.ts';`],
      ['electron/utility/core-host.ts', `import { utilityProcess } from 'electron';`],
      ['electron/main/index.ts', `import { serveCore } from '../utility/core-host.ts';`],
      ['electron/main/index.ts', `import { x } from '../sandbox/index.ts';`],
      ['renderer/src/app.tsx', `import { x } from '../../electron/core/base/errors.ts';`],
      ['renderer/src/app.tsx', `import { readFileSync } from 'node:fs';`],
      ['renderer/src/app.tsx', `import fs from 'fs';`],
      ['shared/x.ts', `import { join } from 'node:path';`],
      ['shared/x.ts', `import { a } from '../electron/core/base/errors.ts';`],
      ['electron/preload/index.ts', `import { x } from '../core/core.ts';`],
      ['electron/cli/commands/serve.ts', `const entry = new URL('../../main/index.ts', import.meta.url);`],
    ];
    for (const [file, source] of rejected) expect(violations(file, source), `${file}: ${source}`).toHaveLength(1);
  });

  it('allows each permitted arrow', () => {
    const allowed: [string, string][] = [
      ['electron/core/storage/x.ts', `import { z } from 'zod';\nimport { api } from '../../../shared/contract.ts';\nimport { join } from 'node:path';\nimport { DossierError } from '../base/errors.ts';`],
      ['electron/core/providers/ejm/client.ts', `import { walkPages } from '../kit/paging.ts';\nimport { mapEjm } from './mapping.ts';`],
      ['electron/core/providers/catalogue.ts', `import { profile } from './ejm/profile.ts';`],
      ['electron/core/sync/engine.ts', `import { connectors } from '../providers/connectors.ts';\nimport type { Storage } from '../storage/storage.ts';`],
      ['electron/core/core.ts', `import { composeHandlers } from './api/handlers.ts';\nimport { SyncEngine } from './sync/engine.ts';`],
      ['electron/host/demo.ts', `const { emulators } = await import('../sandbox/index.ts');`],
      ['electron/utility/core-process.ts', `import type { MessageEvent } from 'electron';\nimport { createCore } from '../core/core.ts';`],
      ['electron/main/index.ts', `import { app } from 'electron';\nimport { createRpcPeer } from '../utility/rpc.ts';\nimport { DossierError } from '../core/base/errors.ts';`],
      ['electron/cli/commands/serve.ts', `import { launchBrowserHost } from '../../web/launch.ts';`],
      ['electron/sandbox/ejm/server.ts', `import type { ProviderId } from '../../../shared/domain.ts';\nimport { Random } from '../random.ts';`],
      ['electron/preload/index.ts', `import { contextBridge } from 'electron';\nimport { api } from '../../shared/contract.ts';`],
      ['renderer/src/app.tsx', `import { api } from '../../shared/contract.ts';\nimport { create } from 'zustand';`],
    ];
    for (const [file, source] of allowed) expect(violations(file, source), `${file}: ${source}`).toEqual([]);
  });

  it('holds for every file in the tree', () => {
    expect(tree.length).toBeGreaterThan(200);
    const unplaced = tree.filter((file) => layerOf(file) === undefined);
    expect(unplaced).toEqual([]);
    const problems = tree.flatMap((file) => violations(file, readFileSync(join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('finds cycles, and there are none', () => {
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cyclesOf(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(cyclesOf(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
    expect(cyclesOf(importGraph(tree))).toEqual([]);
  });

  it('lets only the storage layer prepare SQL', () => {
    expect(preparesSql(`db.prepare('SELECT 1')`)).toBe(true);
    expect(preparesSql('db.exec(`CREATE TABLE t (x)`)')).toBe(true);
    expect(preparesSql(`db.pragma('user_version')`)).toBe(true);
    expect(preparesSql(`import Database from 'better-sqlite3';`)).toBe(true);
    expect(preparesSql(`const match = /x/.exec(text);`)).toBe(false);
    // The committee server is another process with its own database (members, invites, documents), not the profile's: its SQL lives in its one store file.
    const ownDatabases = ['electron/committee-server/store.ts'];
    const outside = tree.filter((file) => !file.startsWith('electron/core/storage/') && !ownDatabases.includes(file) && preparesSql(readFileSync(join(root, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('hands the rest of the product tables, never the database handle', () => {
    const handleFiles = ['electron/core/storage/database.ts', 'electron/core/storage/migrate.ts', 'electron/core/storage/table.ts'];
    const reachingIn = tree
      .filter((file) => !file.startsWith('electron/core/storage/'))
      .filter((file) => {
        const source = readFileSync(join(root, file), 'utf8');
        const imported = referencesOf(file, source).some((reference) => reference.specifier.startsWith('.') && handleFiles.includes(resolveRelative(file, reference.specifier)));
        return imported || /\bstorage\.db\b/.test(source);
      });
    expect(reachingIn).toEqual([]);
  });

  it('keeps the sandboxes out of the product: the core never refers to them, hosts load them only on demand', () => {
    const sandboxReferences = tree
      .filter((file) => !file.startsWith('electron/sandbox/'))
      .flatMap((file) => referencesOf(file, readFileSync(join(root, file), 'utf8'))
        .filter((reference) => reference.specifier.startsWith('.') && resolveRelative(file, reference.specifier).startsWith('electron/sandbox/'))
        .map((reference) => ({ file, ...reference })));
    expect(sandboxReferences.filter((reference) => reference.file.startsWith('electron/core/'))).toEqual([]);
    expect(sandboxReferences.filter((reference) => !reference.deferred && !reference.typeOnly)).toEqual([]);
    // The demo is wired by the hosts, in one place.
    expect([...new Set(sandboxReferences.map((reference) => reference.file))]).toEqual(['electron/host/sandboxes.ts']);
  });
});
