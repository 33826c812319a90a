import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.ts';
import { migrate, schemaVersion, type Migration } from '../../electron/core/storage/migrate.ts';
import { migrations } from '../../electron/core/storage/migrations/index.ts';
import { DossierError } from '../../electron/core/base/errors.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-db-'));
  dirs.push(dir);
  return join(dir, 'dossier.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const latest = migrations.at(-1)?.version ?? 0;

function schemaOf(db: Database.Database): string[] {
  return (db.prepare(`SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS s FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { s: string }[]).map((row) => row.s);
}

describe('database', () => {
  it('migrations are numbered 1..n without gaps', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
  });

  it('creates a WAL database with foreign keys on, at the latest schema', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latest);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name`).all().map((row) => (row as { name: string }).name);
    for (const table of ['accounts', 'jobs', 'applicants', 'applications', 'letters', 'documents', 'interview_slots', 'interviews', 'reviews', 'tags', 'review_tags', 'saved_views', 'sync_cursors', 'downloads', 'outbox', 'search_index']) {
      expect(tables).toContain(table);
    }
    db.close();
  });

  it('migrates from every earlier version to the same schema as a fresh database', () => {
    const fresh = openDatabase(tempFile());
    const expected = schemaOf(fresh);
    fresh.close();
    for (let start = 0; start < latest; start += 1) {
      const file = tempFile();
      const partial = new Database(file);
      migrate(partial, migrations.filter((migration) => migration.version <= start));
      expect(schemaVersion(partial)).toBe(start);
      partial.close();
      const upgraded = openDatabase(file);
      expect(schemaVersion(upgraded)).toBe(latest);
      expect(schemaOf(upgraded)).toEqual(expected);
      upgraded.close();
    }
  });

  it('rolls back a failing migration entirely and keeps the previous version', () => {
    const file = tempFile();
    const broken: Migration = {
      version: latest + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (id INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, { migrations: [...migrations, broken] })).toThrow('boom');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database written by a newer schema without touching the file', () => {
    const file = tempFile();
    const newer = new Database(file);
    newer.pragma('journal_mode = DELETE');
    newer.exec('CREATE TABLE future (x)');
    newer.pragma(`user_version = ${latest + 5}`);
    newer.close();
    const before = readFileSync(file);
    let caught: unknown;
    try {
      openDatabase(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DossierError);
    expect((caught as DossierError).code).toBe('db.newer_schema');
    expect((caught as DossierError).message).toMatch(/newer version of Dossier.*Update Dossier/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('keeps foreign keys enforced', () => {
    const db = openDatabase(tempFile());
    expect(() => db.prepare(`INSERT INTO jobs (account_id, remote_id, title, raw_json, synced_at) VALUES (999, '1', 't', '{}', 'now')`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('has a working FTS5 index with snippets', () => {
    const db = openDatabase(tempFile());
    db.prepare(`INSERT INTO search_index (kind, ref, account_id, title, body) VALUES ('applicant', 1, 1, 'Ana Müller', 'Labor economics, Universität Zürich')`).run();
    const hit = db.prepare(`SELECT snippet(search_index, 4, '[', ']', '…', 8) AS s FROM search_index WHERE search_index MATCH ? ORDER BY rank`).get('zurich') as { s: string };
    expect(hit.s).toContain('[Zürich]');
    db.close();
  });
});
