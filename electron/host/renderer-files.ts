import { extname, resolve, sep } from 'node:path';

/**
 * The built renderer is served by two hosts, the desktop app's `app://` scheme and the browser
 * host's HTTP server; both map a URL path to a file with these rules, so they serve the same files.
 */

const contentTypes: Readonly<Record<string, string>> = {
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

/** The content type of a renderer file by its extension; undefined for a kind of file the build does not contain. */
export function rendererContentType(file: string): string | undefined {
  return contentTypes[extname(file).toLowerCase()];
}

/**
 * The absolute path of the renderer file a URL path (still percent-encoded) names, never outside
 * `root`. Paths without an extension are the single-page app's own routes and name index.html.
 * Undefined for a path that does not decode, holds a NUL or a backslash, or has a segment starting
 * with a dot (`..`, `.env`).
 */
export function rendererFilePath(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  const relativePath = segments.length === 0 || extname(decoded) === '' ? 'index.html' : segments.join('/');
  const base = resolve(root);
  const file = resolve(base, relativePath);
  return file.startsWith(`${base}${sep}`) ? file : undefined;
}

