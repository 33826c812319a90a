import { randomUUID } from 'node:crypto';
import type { Migration } from '../migrate.ts';

/**
 * Account ids are issued by `account_identities`, whose AUTOINCREMENT never hands out an id twice,
 * even after the newest account is removed (`accounts.id` alone reused the highest free one, so a new
 * account inherited a removed account's vault keys). Each identity has a random `uid` that every
 * secret in the vault is bound to (docs/decisions/0007-account-identity-and-revocation.md).
 *
 * `accounts` itself is not rebuilt: migrations run in a transaction with foreign keys on, where
 * dropping the old `accounts` would cascade-delete every synced row of every account.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'account identities',
  up(db) {
    db.exec(`
      CREATE TABLE account_identities (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE
      ) STRICT;
    `);
    const issue = db.prepare<[number, string]>('INSERT INTO account_identities (id, uid) VALUES (?, ?)');
    for (const id of db.prepare<[], number>('SELECT id FROM accounts ORDER BY id').pluck().all()) issue.run(id, randomUUID());
  },
};
