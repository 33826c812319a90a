import type { ApplicantFilter, ApplicantSort, SavedView } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { Storage } from '../storage/storage.ts';

/**
 * Saves a view. Without an id, a view of the same name is replaced (saving "Shortlist" again
 * updates it); with an id, that view is renamed or updated, refusing a name another view has.
 */
export function saveView(
  storage: Pick<Storage, 'transaction' | 'savedViews'>,
  view: { id?: number | undefined; name: string; filter: ApplicantFilter; sort: ApplicantSort | null },
): SavedView {
  const { savedViews } = storage;
  return storage.transaction(() => {
    const sameName = savedViews.idNamed(view.name);
    let id: number;
    if (view.id === undefined && sameName !== undefined) {
      savedViews.update(sameName, view);
      id = sameName;
    } else if (view.id === undefined) {
      id = savedViews.insert(view);
    } else {
      if (sameName !== undefined && sameName !== view.id) {
        throw new DossierError('input.invalid', `Another view is already called "${view.name}". Choose a different name.`, { field: 'name' });
      }
      if (!savedViews.update(view.id, view)) throw new DossierError('input.invalid', 'That saved view no longer exists. Save it again as a new view.', { field: 'id' });
      id = view.id;
    }
    return savedViews.get(id) as SavedView;
  });
}
