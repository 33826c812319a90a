import type { Migration } from '../migrate.ts';

/**
 * The provider manifest of a generic OAuth 2.0 account (docs/providers/manifests.md): the JSON text
 * the user chose, kept whole so the account syncs the same way after a restart, with the manifest's
 * name and the file it came from for display. A table of its own rather than columns of `accounts`,
 * which most accounts would leave empty; it goes with its account.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'account manifests',
  up(db) {
    db.exec(`
      CREATE TABLE account_manifests (
        account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        file_name TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
