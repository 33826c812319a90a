import { ExportService } from '../../export/service.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

/** The export area: each request runs one export, reporting `export.progress`; `export.cancel` stops them. */
export function exportHandlers(deps: CoreDeps): HandlerGroup<'export.letters' | 'export.packets' | 'export.applicants' | 'export.interviews' | 'export.cancel'> {
  const service = new ExportService(deps.context, (kind, progress) => deps.events.emit('export.progress', { kind, ...progress }));
  return {
    'export.letters': (input) => service.letters(input),
    'export.packets': (input) => service.packets(input),
    'export.applicants': (input) => service.applicants(input),
    'export.interviews': (input) => service.interviews(input),
    'export.cancel': () => ({ cancelled: service.cancelAll() }),
  };
}
