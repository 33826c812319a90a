import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.ts';
import { migrate, schemaVersion, type Migration } from '../../electron/core/storage/migrate.ts';
import { migrations } from '../../electron/core/storage/migrations/index.ts';
import { DossierError } from '../../electron/core/base/errors.ts';
import { AccountsTable } from '../../electron/core/storage/accounts.ts';

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

  it('migration 4 keeps every account, its id and its cached rows, and from then on never reissues an id', () => {
    const file = tempFile();
    const previous = new Database(file);
    previous.pragma('foreign_keys = ON');
    migrate(previous, migrations.filter((migration) => migration.version <= 3));
    const now = new Date().toISOString();
    const addAccount = previous.prepare(`INSERT INTO accounts (id, name, provider, base_url, grant_type, created_at, updated_at) VALUES (?, ?, 'ejm', 'https://backend.econjobmarket.org/', 'client_credentials', ?, ?)`);
    const addJob = previous.prepare(`INSERT INTO jobs (account_id, remote_id, title, raw_json, synced_at) VALUES (?, ?, 'Lecturer', '{}', ?)`);
    for (const [id, name] of [[1, 'a'], [2, 'b'], [5, 'c']] as const) {
      addAccount.run(id, name, now, now);
      addJob.run(id, `job-${id}`, now);
    }
    previous.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare('SELECT id, name FROM accounts ORDER BY id').all()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 5, name: 'c' }]);
    expect(db.prepare('SELECT account_id, remote_id FROM jobs ORDER BY account_id').all()).toEqual([
      { account_id: 1, remote_id: 'job-1' }, { account_id: 2, remote_id: 'job-2' }, { account_id: 5, remote_id: 'job-5' },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const identities = db.prepare('SELECT id, uid FROM account_identities ORDER BY id').all() as { id: number; uid: string }[];
    expect(identities.map((identity) => identity.id)).toEqual([1, 2, 5]);
    expect(new Set(identities.map((identity) => identity.uid)).size).toBe(3);
    for (const { uid } of identities) expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // The newest account goes; the next one must not inherit its id (and with it its vault keys).
    const accounts = new AccountsTable(db);
    expect(accounts.remove(5)).toBe(true);
    const settings = { provider: 'ejm', baseUrl: 'https://backend.econjobmarket.org/', tokenUrl: null, authorizeUrl: null, clientId: 'k', grant: 'client_credentials', scope: null, timeZone: 'UTC', redirectPort: null } as const;
    const next = accounts.insert({ ...settings, name: 'd' });
    expect(next).toBe(6);
    expect(accounts.uid(next)).not.toBe(identities[2]?.uid);
    db.close();
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
