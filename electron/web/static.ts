import { stat } from 'node:fs/promises';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

export interface StaticFile {
  readonly file: string;
  readonly size: number;
  readonly contentType: string;
  /** Vite's hashed assets never change under the same name, so the browser may keep them. */
  readonly immutable: boolean;
}

/**
 * Maps a URL path to a file of the built renderer, never outside its folder. Paths without an
 * extension are the single-page app's own routes and get index.html.
 */
export async function staticFile(root: string, pathname: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const wanted = extname(decoded) === '' ? '/index.html' : decoded;
  const file = join(root, normalize(wanted));
  const inside = relative(root, file);
  if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return {
    file,
    size: info.size,
    contentType: contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
    immutable: inside.startsWith('assets'),
  };
}
