import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { rendererContentType, rendererFilePath } from '../host/renderer-files.ts';

export interface StaticFile {
  readonly file: string;
  readonly size: number;
  readonly contentType: string;
  /** Vite's hashed assets never change under the same name, so the browser may keep them. */
  readonly immutable: boolean;
}

/** The built renderer file a URL path names (see `rendererFilePath`), if it exists. */
export async function staticFile(root: string, pathname: string): Promise<StaticFile | undefined> {
  const file = rendererFilePath(root, pathname);
  if (file === undefined) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return {
    file,
    size: info.size,
    contentType: rendererContentType(file) ?? 'application/octet-stream',
    immutable: relative(resolve(root), file).startsWith('assets'),
  };
}
