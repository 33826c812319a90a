import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function searchHandlers({ search }: CoreServices): HandlerGroup<'search.query'> {
  return {
    'search.query': (input) => search.query(input.query, input.limit),
  };
}
