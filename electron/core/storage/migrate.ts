import type Database from 'better-sqlite3';
import { DossierError } from '../base/errors.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses, before anything is written, a database made by a newer Dossier. */
export function assertNotNewer(db: Database.Database, migrations: readonly Migration[], file: string): void {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new DossierError(
      'db.newer_schema',
      `This data was written by a newer version of Dossier (schema ${current}; this version understands up to ${latest}). ` +
        'Update Dossier to open it. The file was not changed.',
      { file, schema: current, supported: latest },
    );
  }
}

/**
 * Applies each pending migration in its own exclusive transaction, recording the version inside
 * it. The version is read again once the transaction holds the write lock: several processes
 * opening a new profile at once wait for each other there, and each applies only what no other
 * process applied meanwhile (a deferred transaction would let all of them create the same tables).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      if (migration.version <= schemaVersion(db)) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).exclusive();
  }
  return { from, to: schemaVersion(db) };
}

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
}
