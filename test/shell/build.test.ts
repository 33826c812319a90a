import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** `npm run build:shell` really produces the files package.json `main` and the shell load. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${root}dist/electron/`;

/** package.json `dependencies` and everything they depend on: what electron-builder copies into the app. */
function productionClosure(): Set<string> {
  const manifest = (name: string) =>
    JSON.parse(readFileSync(name === '' ? `${root}package.json` : `${root}node_modules/${name}/package.json`, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const shipped = new Set<string>();
  const pending = [''];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const { dependencies = {}, optionalDependencies = {} } = manifest(name);
    for (const dependency of [...Object.keys(dependencies), ...Object.keys(optionalDependencies)]) {
      if (shipped.has(dependency) || !existsSync(`${root}node_modules/${dependency}/package.json`)) continue;
      shipped.add(dependency);
      pending.push(dependency);
    }
  }
  return shipped;
}

beforeAll(() => {
  const result = spawnSync(process.execPath, ['scripts/build-shell.ts'], { cwd: root, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
}, 120_000);

describe('the shell build', () => {
  it('writes main, the core process and the preload next to each other', () => {
    expect(readdirSync(outDir)).toEqual(expect.arrayContaining(['main.js', 'core-process.js', 'preload.cjs']));
  });

  it('makes the sandboxed preload one CommonJS file that requires nothing but electron', () => {
    const preload = readFileSync(`${outDir}preload.cjs`, 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/^import /m);
  });

  it('leaves npm packages external, so better-sqlite3 loads from its unpacked prebuild', () => {
    const bundled = readdirSync(outDir).filter((file) => file.endsWith('.js')).map((file) => readFileSync(`${outDir}${file}`, 'utf8')).join('\n');
    expect(bundled).toMatch(/from "better-sqlite3"/);
    expect(bundled).not.toMatch(/prebuilds\/linux-x64\.node/);
  });

  it('imports at run time only Node built-ins, electron, and the production dependencies electron-builder ships', () => {
    const shipped = productionClosure();
    const builtins = new Set(builtinModules);
    const bundled = readdirSync(outDir).filter((file) => /\.(c?js)$/.test(file)).map((file) => readFileSync(`${outDir}${file}`, 'utf8')).join('\n');
    const specifiers = [...bundled.matchAll(/(?:^import[^'"]*?from |^import |import\(|require\()["']([^"'.][^"']*)["']/gm)].map((match) => match[1] ?? '');
    const packages = new Set(specifiers.map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0] ?? '')));
    const undeclared = [...packages].filter((name) => name !== 'electron' && !name.startsWith('node:') && !builtins.has(name) && !shipped.has(name));
    expect(undeclared).toEqual([]);
    expect(packages.has('better-sqlite3')).toBe(true);
  });

  it('carries the demo sandboxes as chunks of their own, which the core process and main load only through import()', () => {
    const modulesOf = (file: string) => [...readFileSync(`${outDir}${file}`, 'utf8').matchAll(/^\/\/ (electron\/[^\s]+\.ts)$/gm)].map((match) => match[1] ?? '');
    const staticChunks = (file: string) => [...readFileSync(`${outDir}${file}`, 'utf8').matchAll(/^import [^'"]*?from "\.\/([^"]+)"/gm)].map((match) => match[1] ?? '');
    for (const entry of ['core-process.js', 'main.js']) {
      const loadedAtStart = [entry, ...staticChunks(entry)].flatMap(modulesOf);
      expect(loadedAtStart.length, entry).toBeGreaterThan(5);
      expect(loadedAtStart.filter((module) => module.startsWith('electron/sandbox/')), entry).toEqual([]);
    }
    const chunks = readdirSync(outDir).filter((file) => file.endsWith('.js'));
    expect(chunks.flatMap(modulesOf)).toContain('electron/sandbox/ejm/server.ts');
  });

  it('keeps every file URL relative to the bundle pointing at an existing file inside the app', () => {
    for (const file of readdirSync(outDir).filter((name) => name.endsWith('.js'))) {
      for (const match of readFileSync(`${outDir}${file}`, 'utf8').matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) {
        const target = resolve(outDir, match[1] ?? '');
        expect(target.startsWith(root)).toBe(true);
        expect(existsSync(target)).toBe(true);
      }
    }
  });
});
