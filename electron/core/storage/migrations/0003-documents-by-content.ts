import type { Migration } from '../migrate.ts';

/**
 * Documents by their content hash: when a text is extracted, every document holding those bytes is
 * re-indexed, and without this index each lookup scanned the whole table (a season's 16,000
 * documents, once per document: most of a full sync's database time).
 */
export const migration0003: Migration = {
  version: 3,
  name: 'documents by content',
  up(db) {
    db.exec('CREATE INDEX documents_sha256 ON documents(sha256) WHERE sha256 IS NOT NULL');
  },
};
