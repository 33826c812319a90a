import type { Migration } from '../migrate.ts';

/**
 * A second, small full-text index beside `search_index`: the applicant, application and letter rows
 * and the titles of documents, without document texts. Ranking a common word over `search_index`
 * scores every document that contains it; search ranks this index first (names and titles beat
 * document texts anyway) and reaches the document texts only when these rows leave room.
 * `prefix = '2'` keeps a short last word (a prefix while typing) from merging hundreds of terms' lists.
 * An existing profile's rows are copied from `search_index`, which holds the same titles and bodies.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'search records index',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE search_records USING fts5(
        kind UNINDEXED,
        ref UNINDEXED,
        account_id UNINDEXED,
        title,
        body,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2'
      );
      INSERT INTO search_records (rowid, kind, ref, account_id, title, body)
        SELECT rowid, kind, ref, account_id, title, iif(kind = 'document', '', body) FROM search_index;
      INSERT INTO search_records (search_records) VALUES ('optimize');
    `);
  },
};
