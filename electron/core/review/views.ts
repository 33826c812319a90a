import { ApplicantFilter, ApplicantSort, type SavedView } from '../../../shared/domain.ts';
import { type Db } from '../storage/database.ts';
import { nowIso } from '../base/time.ts';
import { DossierError } from '../base/errors.ts';

interface ViewRow {
  id: number;
  name: string;
  filterJson: string;
  sortJson: string | null;
}

/** A stored filter that no longer parses (a field renamed since) degrades to "everything" rather than hiding the view. */
function toView(row: ViewRow): SavedView {
  const parse = <T>(text: string | null, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, fallback: T): T => {
    if (text === null) return fallback;
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    id: row.id,
    name: row.name,
    filter: parse(row.filterJson, ApplicantFilter, {}),
    sort: parse(row.sortJson, ApplicantSort.nullable(), null),
  };
}

const selectViews = 'SELECT id, name, filter_json AS filterJson, sort_json AS sortJson FROM saved_views';

export function listViews(db: Db): SavedView[] {
  return (db.prepare(`${selectViews} ORDER BY name COLLATE NOCASE`).all() as ViewRow[]).map(toView);
}

/**
 * Saves a view. Without an id, a view of the same name is replaced (saving "Shortlist" again
 * updates it); with an id, that view is renamed or updated, refusing a name another view has.
 */
export function saveView(db: Db, view: { id?: number | undefined; name: string; filter: ApplicantFilter; sort: ApplicantSort | null }): SavedView {
  return db.transaction(() => {
    const filterJson = JSON.stringify(view.filter);
    const sortJson = view.sort === null ? null : JSON.stringify(view.sort);
    const sameName = db.prepare('SELECT id FROM saved_views WHERE name = ?').get(view.name) as { id: number } | undefined;
    let id: number;
    const update = db.prepare('UPDATE saved_views SET name = ?, filter_json = ?, sort_json = ? WHERE id = ?');
    if (view.id === undefined && sameName) {
      update.run(view.name, filterJson, sortJson, sameName.id);
      id = sameName.id;
    } else if (view.id === undefined) {
      id = Number(db.prepare('INSERT INTO saved_views (name, filter_json, sort_json, created_at) VALUES (?, ?, ?, ?)')
        .run(view.name, filterJson, sortJson, nowIso()).lastInsertRowid);
    } else {
      if (sameName && sameName.id !== view.id) {
        throw new DossierError('input.invalid', `Another view is already called "${view.name}". Choose a different name.`, { field: 'name' });
      }
      const changed = update.run(view.name, filterJson, sortJson, view.id).changes;
      if (changed === 0) throw new DossierError('input.invalid', 'That saved view no longer exists. Save it again as a new view.', { field: 'id' });
      id = view.id;
    }
    return toView(db.prepare(`${selectViews} WHERE id = ?`).get(id) as ViewRow);
  })();
}

export function removeView(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0;
}
