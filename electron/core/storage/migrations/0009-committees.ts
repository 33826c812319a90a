import type { Migration } from '../migrate.ts';

/**
 * Committees this machine belongs to, and each one's shared document as Yjs updates: every update
 * made here or received is appended as it happens (so nothing is lost to a crash or a restart
 * offline) and the log is compacted into one update when the committee is opened. The member's
 * credentials and the committee key live in the vault, never here. Removing the account removes
 * its committees.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'committees',
  up(db) {
    db.exec(`
      CREATE TABLE committees (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        server_url TEXT NOT NULL,
        member_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('chair', 'member')),
        member_name TEXT NOT NULL,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        job_remote_ids TEXT NOT NULL DEFAULT '[]',
        joined_at TEXT NOT NULL,
        last_synced_at TEXT,
        state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'revoked')),
        unsynced_local INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE committee_updates (
        id INTEGER PRIMARY KEY,
        committee_id TEXT NOT NULL REFERENCES committees(id) ON DELETE CASCADE,
        update_bytes BLOB NOT NULL
      ) STRICT;
      CREATE INDEX committee_updates_committee ON committee_updates(committee_id, id);
    `);
  },
};
