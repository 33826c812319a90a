/**
 * `npm start`: builds what is stale, then runs the desktop app where an Electron runtime exists,
 * and otherwise the browser host (docs/decisions/0001-core-under-plain-node.md: these machines cannot download Electron's binary).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../electron/core/base/paths.ts';
import { launchBrowserHost } from '../electron/web/launch.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestChange(folder: string): number {
  if (!existsSync(folder)) return 0;
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.split(/[/\\]/).includes('node_modules'))
    .reduce((newest, file) => Math.max(newest, statSync(join(folder, file)).mtimeMs), 0);
}

/** Rebuilds `output` when any of `sources` changed after it was built. */
function buildIfStale(label: string, output: string, sources: readonly string[], command: readonly string[]): void {
  const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
  if (sources.every((source) => newestChange(join(root, source)) <= builtAt)) return;
  console.log(`Building ${label}…`);
  const [program, ...args] = command as [string, ...string[]];
  const result = spawnSync(program, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`Building ${label} failed; see the messages above.`);
    process.exit(result.status ?? 1);
  }
}

/**
 * The Electron binary the `electron` package installed, if it did. Reads the package's own
 * `path.txt` instead of requiring it, because requiring it starts a download when the binary is missing.
 */
function electronBinary(): string | undefined {
  const packageDir = dirname(fileURLToPath(import.meta.resolve('electron/package.json')));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

buildIfStale('the interface', join(root, 'dist/renderer/index.html'), ['renderer', 'shared'], ['npm', 'run', 'build:renderer']);

const electron = electronBinary();
if (electron) {
  buildIfStale('the desktop shell', join(root, 'dist/electron/main.js'), ['electron', 'shared'], [process.execPath, 'scripts/build-shell.ts']);
  const app = spawn(electron, [root], { cwd: root, stdio: 'inherit' });
  app.once('exit', (code) => process.exit(code ?? 0));
} else {
  const dataDir = defaultDataDir();
  console.log('No Electron runtime can be had on this machine, so Dossier runs as a local web app in your browser instead.');
  const launched = await launchBrowserHost({ dataDir });
  console.log(`Open ${launched.host.url}`);
  console.log(`Data: ${dataDir}. Serving on 127.0.0.1 only; press Ctrl+C to stop.`);
  const stop = () => void launched.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
