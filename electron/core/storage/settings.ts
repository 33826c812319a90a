import type { z } from 'zod';
import { Table } from './table.ts';

/** The reviewer's settings (`settings`): one JSON value per key. */
export class SettingsTable extends Table {
  /** Reads a setting; a value that no longer parses (older or hand-edited) reads as the default instead of failing. */
  read<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const valueJson = this.sql<[string], string>('SELECT value_json FROM settings WHERE key = ?').pluck().get(key);
    if (valueJson === undefined) return fallback;
    try {
      const parsed = schema.safeParse(JSON.parse(valueJson));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  }

  write(key: string, value: unknown): void {
    this.sql<[string, string]>('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json')
      .run(key, JSON.stringify(value));
  }
}
