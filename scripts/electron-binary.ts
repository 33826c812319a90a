import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron binary `npm install electron` downloaded, or undefined where there is none (our
 * build machines: docs/decisions/0001-core-under-plain-node.md). Found without `require('electron')`, which would try to download
 * it from a host these machines cannot reach.
 */
export function electronBinary(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const packageDir = join(projectRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, relative ?? 'electron') : relative ? join(packageDir, 'dist', relative) : undefined;
  return candidate !== undefined && existsSync(candidate) ? candidate : undefined;
}
