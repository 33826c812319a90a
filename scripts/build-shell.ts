/**
 * Builds the Electron shell into dist/electron/: main.js and core-process.js (ES modules, every npm
 * dependency left external so electron-builder packs node_modules and unpacks better-sqlite3), and
 * preload.cjs (a sandboxed preload must be a single CommonJS file that requires only `electron`).
 * Usage: npx node scripts/build-shell.ts
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/electron', import.meta.url));

/**
 * Worker threads are started from their own file, so each is built as an entry of its own next to
 * core-process.js: only dist/ ships in the package, never the TypeScript sources.
 */
const workerEntries = {
  'pdf-text-worker': 'electron/core/search/pdf-text-worker.ts',
  'hash-worker': 'electron/sandbox/ejm/hash-worker.ts',
};
const workerSources = new Map(Object.entries(workerEntries).map(([name, source]) => [resolve(root, source), `./${name}.js`]));

/**
 * Source files find their neighbours with `new URL('../x', import.meta.url)`; once bundled into
 * dist/electron/ that base moves, so each such relative path is rewritten to stay pointed at the
 * same file, and a worker's path to its built entry.
 */
function keepFileUrls(): Plugin {
  const pattern = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;
  return {
    name: 'dossier-keep-file-urls',
    transform(code, id) {
      if (!id.startsWith(root) || !pattern.test(code)) return null;
      pattern.lastIndex = 0;
      const rewritten = code.replace(pattern, (_match, _quote: string, path: string) => {
        const target = resolve(dirname(id), path);
        const url = workerSources.get(target) ?? relative(outDir, target).split('\\').join('/');
        return `new URL(${JSON.stringify(url)}, import.meta.url)`;
      });
      // Only string literals change, within their own lines: the existing source map still holds.
      return { code: rewritten, map: null };
    },
  };
}

function shellBuild(options: { entries: Record<string, string>; format: 'es' | 'cjs'; fileName: string; emptyOutDir: boolean }): InlineConfig {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { target: 'node' },
    plugins: [keepFileUrls()],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: options.emptyOutDir,
      target: 'node24',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        input: options.entries,
        external: ['electron', /^electron\//, ...builtinModules, /^node:/],
        output: { format: options.format, entryFileNames: options.fileName, chunkFileNames: '[name]-[hash].js' },
      },
    },
  };
}

await build(shellBuild({
  entries: { main: 'electron/main/index.ts', 'core-process': 'electron/utility/core-process.ts', ...workerEntries },
  format: 'es',
  fileName: '[name].js',
  emptyOutDir: true,
}));
await build(shellBuild({ entries: { preload: 'electron/preload/index.ts' }, format: 'cjs', fileName: '[name].cjs', emptyOutDir: false }));
console.log(`shell built into ${outDir}`);
