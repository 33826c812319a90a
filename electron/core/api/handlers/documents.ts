import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function documentsHandlers({ documents }: CoreServices): HandlerGroup<'documents.locate' | 'documents.openExternal' | 'documents.saveAs' | 'documents.reads' | 'documents.markRead'> {
  return {
    'documents.locate': (input) => documents.locate(input.documentId),
    'documents.openExternal': (input) => documents.openExternal(input.documentId),
    'documents.saveAs': (input) => documents.saveAs(input.documentId, input.target),
    'documents.reads': (input) => ({ read: documents.readAmong(input.documentIds) }),
    'documents.markRead': (input) => ({ read: documents.markRead(input.documentId, input.read) }),
  };
}
