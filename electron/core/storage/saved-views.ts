import { ApplicantFilter, ApplicantSort, type SavedView } from '../../../shared/domain.ts';
import { nowIso } from '../base/time.ts';
import { Table } from './table.ts';

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

export type ViewContent = Pick<SavedView, 'name' | 'filter' | 'sort'>;

const selectViews = 'SELECT id, name, filter_json AS filterJson, sort_json AS sortJson FROM saved_views';

/** The reviewer's saved views of the applicant table (names are unique, ignoring ASCII case). */
export class SavedViewsTable extends Table {
  list(): SavedView[] {
    return this.sql<[], ViewRow>(`${selectViews} ORDER BY name COLLATE NOCASE`).all().map(toView);
  }

  get(id: number): SavedView | undefined {
    const row = this.sql<[number], ViewRow>(`${selectViews} WHERE id = ?`).get(id);
    return row === undefined ? undefined : toView(row);
  }

  idNamed(name: string): number | undefined {
    return this.sql<[string], number>('SELECT id FROM saved_views WHERE name = ?').pluck().get(name);
  }

  /** A view's filter as stored, unparsed: an export refuses a damaged one where the list shows it as "everything". */
  storedFilter(id: number): string | undefined {
    return this.sql<[number], string>('SELECT filter_json FROM saved_views WHERE id = ?').pluck().get(id);
  }

  insert(view: ViewContent): number {
    return Number(this.sql<[string, string, string | null, string]>('INSERT INTO saved_views (name, filter_json, sort_json, created_at) VALUES (?, ?, ?, ?)')
      .run(view.name, JSON.stringify(view.filter), sortJson(view), nowIso()).lastInsertRowid);
  }

  /** False when no view has that id. */
  update(id: number, view: ViewContent): boolean {
    return this.sql<[string, string, string | null, number]>('UPDATE saved_views SET name = ?, filter_json = ?, sort_json = ? WHERE id = ?')
      .run(view.name, JSON.stringify(view.filter), sortJson(view), id).changes > 0;
  }

  remove(id: number): boolean {
    return this.sql<[number]>('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0;
  }
}

function sortJson(view: ViewContent): string | null {
  return view.sort === null ? null : JSON.stringify(view.sort);
}
