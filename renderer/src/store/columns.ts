import type { ChromeSlice } from './chrome.ts';
import type { Slice } from './slice.ts';

/** The applicant table's optional columns; the name is always shown. Job and provider appear only when the table spans jobs. */
export const columnKeys = ['job', 'provider', 'institution', 'degree', 'fields', 'applied', 'letters', 'rating', 'score', 'tags', 'status'] as const;
export type ColumnKey = (typeof columnKeys)[number];

/** Each layout keeps its own columns: beside the packet there is room for fewer. */
export type TableLayout = 'beside' | 'wide';
export type ColumnChoice = Record<TableLayout, ColumnKey[]>;

const defaultColumns: ColumnChoice = {
  // Beside the packet: what decides a read (who, for which job, from where, letters, rating, status).
  beside: ['job', 'institution', 'letters', 'rating', 'status'],
  wide: [...columnKeys],
};

/** Where the choice is remembered: this browser profile's local storage (it is a preference, not review data). */
const storageKey = 'dossier.table.columns.v1';
const widthsKey = 'dossier.table.widths.v1';

/** A column the reviewer has dragged to a width, in CSS pixels; the others take their share of the room. */
export type ColumnWidths = Partial<Record<ColumnKey | 'name', number>>;

function rememberedWidths(): ColumnWidths {
  try {
    const saved = JSON.parse(window.localStorage.getItem(widthsKey) ?? 'null') as Record<string, unknown> | null;
    const keys: readonly string[] = ['name', ...columnKeys];
    return Object.fromEntries(Object.entries(saved ?? {}).filter(([key, width]) => keys.includes(key) && typeof width === 'number' && width > 0)) as ColumnWidths;
  } catch {
    return {};
  }
}

function remember(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // A full or disabled local storage keeps the choice for this session only.
  }
}

function remembered(): ColumnChoice {
  try {
    const saved = JSON.parse(window.localStorage.getItem(storageKey) ?? 'null') as Partial<Record<TableLayout, unknown>> | null;
    const valid = (value: unknown, fallback: ColumnKey[]) =>
      Array.isArray(value) ? columnKeys.filter((key) => value.includes(key)) : fallback;
    return { beside: valid(saved?.beside, defaultColumns.beside), wide: valid(saved?.wide, defaultColumns.wide) };
  } catch {
    return defaultColumns;
  }
}

export interface ColumnsSlice {
  columns: ColumnChoice;
  /** Shows or hides a column in the layout on screen now, and remembers it. */
  toggleColumn: (key: ColumnKey) => void;
  columnWidths: ColumnWidths;
  /** Sets a column's width (null gives it back its share of the room), and remembers it. */
  setColumnWidth: (key: ColumnKey | 'name', width: number | null) => void;
}

export const layoutOf = (packetOpen: boolean): TableLayout => (packetOpen ? 'beside' : 'wide');

export const createColumnsSlice: Slice<ColumnsSlice, ChromeSlice> = (set, get) => ({
  columns: remembered(),
  toggleColumn: (key) => {
    const layout = layoutOf(get().packetOpen);
    const shown = new Set(get().columns[layout]);
    if (shown.has(key)) shown.delete(key);
    else shown.add(key);
    const columns = { ...get().columns, [layout]: columnKeys.filter((candidate) => shown.has(candidate)) };
    set({ columns });
    remember(storageKey, columns);
  },
  columnWidths: rememberedWidths(),
  setColumnWidth: (key, width) => {
    const others = Object.entries(get().columnWidths).filter(([column]) => column !== key);
    const columnWidths = Object.fromEntries(width === null ? others : [...others, [key, Math.round(width)]]) as ColumnWidths;
    set({ columnWidths });
    remember(widthsKey, columnWidths);
  },
});
