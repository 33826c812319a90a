import { search } from '../../search/query.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

export function searchHandlers(deps: CoreDeps): HandlerGroup<'search.query'> {
  return {
    'search.query': (input) => search(deps.context.db, input.query, input.limit),
  };
}
