import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
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
 * The database holds applicants' personal data: its folder is created 0700 and the file 0600
 * before SQLite opens it, and SQLite gives its -wal and -shm files the database file's mode.
 */
export function createOwnerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
}

/**
 * Opens (creating if needed) the profile database: WAL, foreign keys on, migrated to the latest
 * schema. A database from a newer Dossier is refused before any pragma writes to it.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? allMigrations;
  let db: Db;
  try {
    if (!options.readonly) createOwnerOnly(file);
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
 * Runs `work` in one write transaction begun with BEGIN IMMEDIATE: it takes the write lock before
 * its first read (waiting up to the busy timeout for another process to finish), so it never reads
 * a snapshot another process then changes — the SQLITE_BUSY_SNAPSHOT a deferred transaction meets
 * when it upgrades to a write (docs/decisions/0008-shared-profile-and-faults.md).
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/**
 * Runs `work` like `writeTransaction`, with `synchronous = FULL`, so the commit that records a
 * finished document survives a power loss (docs/decisions/0004-download-ledger.md).
 */
export function durably<T>(db: Db, work: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return writeTransaction(db, work);
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
