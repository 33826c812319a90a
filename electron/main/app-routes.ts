import { rendererContentType, rendererFilePath } from '../host/renderer-files.ts';
import { parseUrl } from '../host/open.ts';
import { isAppUrl } from './security.ts';

/**
 * What an `app://dossier/…` request maps to: a file of the built renderer, a stored document
 * (served by id, never by a path from the page), or nothing.
 */
export type AppRoute =
  | { kind: 'asset'; file: string; contentType: string }
  | { kind: 'document'; documentId: number }
  | { kind: 'not-found' };

const documentPath = /^\/documents\/([1-9][0-9]{0,14})$/;
const notFound: AppRoute = { kind: 'not-found' };

export function routeAppRequest(raw: string, rendererRoot: string): AppRoute {
  const url = parseUrl(raw);
  if (!url || !isAppUrl(raw)) return notFound;
  const document = documentPath.exec(url.pathname);
  if (document?.[1] !== undefined) return { kind: 'document', documentId: Number(document[1]) };

  const file = rendererFilePath(rendererRoot, url.pathname);
  if (file === undefined) return notFound;
  const contentType = rendererContentType(file);
  return contentType === undefined ? notFound : { kind: 'asset', file, contentType };
}
