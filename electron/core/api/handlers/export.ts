import { listFolders } from '../../export/folders.ts';
import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/**
 * The export area: each request runs one export, reporting `export.progress`; `export.cancel`
 * stops them. `files.folders` lists the folders an export can be saved in.
 */
export function exportHandlers({ exports }: CoreServices): HandlerGroup<'export.letters' | 'export.packets' | 'export.applicants' | 'export.interviews' | 'export.cancel' | 'files.folders'> {
  return {
    'export.letters': (input) => exports.letters(input),
    'export.packets': (input) => exports.packets(input),
    'export.applicants': (input) => exports.applicants(input),
    'export.interviews': (input) => exports.interviews(input),
    'export.cancel': () => ({ cancelled: exports.cancelAll() }),
    'files.folders': (input) => listFolders(input.path),
  };
}
