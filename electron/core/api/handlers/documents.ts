import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function documentsHandlers({ documents }: CoreServices): HandlerGroup<'documents.locate' | 'documents.openExternal' | 'documents.saveAs'> {
  return {
    'documents.locate': (input) => documents.locate(input.documentId),
    'documents.openExternal': (input) => documents.openExternal(input.documentId),
    'documents.saveAs': (input) => documents.saveAs(input.documentId, input.target),
  };
}
