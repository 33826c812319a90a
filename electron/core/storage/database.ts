import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DossierError } from '../base/errors.ts';
import { assertNotNewer, migrate, type Migration } from './migrate.ts';
import { migrations as allMigrations } from './migrations/index.ts';

export type Db = Database.Database;

export interface OpenOptions {
  readonly migrations?: readonly Migration[];
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) the profile database: WAL, foreign keys on, migrated to the latest
 * schema. A database from a newer Dossier is refused before any pragma writes to it.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? allMigrations;
  if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, timeout: 10_000 });
  } catch (error) {
    throw new DossierError('db.open_failed', `Dossier could not open its database at ${file}. Check that the folder is readable and writable.`, { file }, { cause: error });
  }
  try {
    assertNotNewer(db, migrations, file);
    if (options.readonly) return db;
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DossierError) throw error;
    if ((error as { code?: string }).code === 'SQLITE_NOTADB' || (error as { code?: string }).code === 'SQLITE_CORRUPT') {
      throw new DossierError('db.corrupt', `The database at ${file} is damaged. Move it aside and sync again; documents already downloaded are kept.`, { file }, { cause: error });
    }
    throw error;
  }
}

/**
 * Runs `work` with `synchronous = FULL` so its commit survives a power loss, so the commit that records a
 * finished document survives a power loss (docs/decisions/0004-download-ledger.md).
 */
export function durably<T>(db: Db, work: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(work)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
