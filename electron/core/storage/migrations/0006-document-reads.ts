import type { Migration } from '../migrate.ts';

/**
 * Which documents the reviewer has opened, so a packet can say what is still unread. Kept apart
 * from `documents`, which the sync rewrites: reading is the reviewer's, not the provider's, and a
 * document the provider removes takes its read mark with it.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'document reads',
  up(db) {
    db.exec(`
      CREATE TABLE document_reads (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        read_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
