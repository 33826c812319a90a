import { extname, resolve, sep } from 'node:path';
import { isAppUrl, parseUrl } from './security.ts';

/**
 * What an `app://dossier/…` request maps to: a file of the built renderer, a stored document
 * (served by id, never by a path from the page), or nothing.
 */
export type AppRoute =
  | { kind: 'asset'; file: string; contentType: string }
  | { kind: 'document'; documentId: number }
  | { kind: 'not-found' };

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const documentPath = /^\/documents\/([1-9][0-9]{0,14})$/;
const notFound: AppRoute = { kind: 'not-found' };

export function routeAppRequest(raw: string, rendererRoot: string): AppRoute {
  const url = parseUrl(raw);
  if (!url || !isAppUrl(raw)) return notFound;
  const document = documentPath.exec(url.pathname);
  if (document?.[1] !== undefined) return { kind: 'document', documentId: Number(document[1]) };

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return notFound;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return notFound;
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return notFound;

  // The renderer routes in-page; any extension-less path is the app itself.
  const relativePath = segments.length === 0 || extname(pathname) === '' ? 'index.html' : segments.join('/');
  const root = resolve(rendererRoot);
  const file = resolve(root, relativePath);
  if (!file.startsWith(`${root}${sep}`)) return notFound;
  const contentType = contentTypes[extname(file).toLowerCase()];
  return contentType === undefined ? notFound : { kind: 'asset', file, contentType };
}
