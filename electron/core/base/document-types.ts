import { extname } from 'node:path';

/**
 * Kinds of file a system viewer may be handed: documents and images, never anything that runs.
 * The extension decides because it is what the desktop's opener dispatches on; a provider's
 * declared type is not trusted (a "PDF" named `cv.sh` would run as a script).
 */
const openableExtensions: ReadonlySet<string> = new Set([
  'pdf', 'doc', 'docx', 'odt', 'rtf', 'txt', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'tif', 'tiff', 'csv', 'xls', 'xlsx', 'ods', 'ppt', 'pptx', 'odp',
]);

/** True when a file of this name may be opened in the system viewer: the one rule for every host. */
export function isOpenableDocument(fileName: string): boolean {
  return openableExtensions.has(extname(fileName).slice(1).toLowerCase());
}
