import type { Migration } from '../migrate.ts';

/**
 * The first schema. Synced tables keep the provider's raw JSON beside the mapped columns so a
 * better mapping can be applied without a re-download; `removed_at` marks a record that vanished
 * upstream (it is never deleted, so the reviewer's data about it stays meaningful).
 * The reviewer's own tables are keyed by (account_id, application remote id) and no sync touches them.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        provider TEXT NOT NULL,
        base_url TEXT NOT NULL,
        token_url TEXT,
        authorize_url TEXT,
        client_id TEXT,
        grant_type TEXT NOT NULL,
        scope TEXT,
        time_zone TEXT NOT NULL DEFAULT 'UTC',
        settings_json TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'signed_out',
        state_message TEXT,
        last_synced_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id TEXT NOT NULL,
        title TEXT NOT NULL,
        department TEXT,
        location TEXT,
        status TEXT,
        posted_at TEXT,
        closes_at TEXT,
        remote_version TEXT,
        raw_json TEXT NOT NULL,
        removed_at TEXT,
        synced_at TEXT NOT NULL,
        UNIQUE (account_id, remote_id)
      ) STRICT;

      CREATE TABLE applicants (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id TEXT NOT NULL,
        first_name TEXT,
        middle_name TEXT,
        last_name TEXT,
        email TEXT,
        phone TEXT,
        country TEXT,
        nationality TEXT,
        url TEXT,
        institution TEXT,
        degree TEXT,
        degree_year INTEGER,
        current_position TEXT,
        current_institution TEXT,
        primary_field TEXT,
        fields_json TEXT NOT NULL DEFAULT '[]',
        remote_version TEXT,
        raw_json TEXT NOT NULL,
        removed_at TEXT,
        synced_at TEXT NOT NULL,
        UNIQUE (account_id, remote_id)
      ) STRICT;

      CREATE TABLE applications (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id TEXT NOT NULL,
        job_remote_id TEXT,
        applicant_remote_id TEXT,
        job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
        applicant_id INTEGER REFERENCES applicants(id) ON DELETE SET NULL,
        job_title TEXT,
        applied_at TEXT,
        remote_status TEXT,
        letters_expected INTEGER NOT NULL DEFAULT 0,
        answers_json TEXT NOT NULL DEFAULT '[]',
        remote_version TEXT,
        raw_json TEXT NOT NULL,
        removed_at TEXT,
        synced_at TEXT NOT NULL,
        UNIQUE (account_id, remote_id)
      ) STRICT;
      CREATE INDEX applications_job ON applications(job_id);
      CREATE INDEX applications_applicant ON applications(applicant_id);

      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        applicant_remote_id TEXT,
        application_remote_id TEXT,
        title TEXT NOT NULL,
        file_name TEXT,
        mime_type TEXT,
        size INTEGER,
        external_url TEXT,
        remote_sha1 TEXT,
        remote_version TEXT,
        sha256 TEXT REFERENCES blobs(sha256),
        raw_json TEXT NOT NULL,
        removed_at TEXT,
        synced_at TEXT NOT NULL,
        UNIQUE (account_id, kind, remote_id)
      ) STRICT;
      CREATE INDEX documents_application ON documents(account_id, application_remote_id);
      CREATE INDEX documents_applicant ON documents(account_id, applicant_remote_id);

      CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id TEXT NOT NULL,
        application_remote_id TEXT,
        applicant_remote_id TEXT,
        writer_name TEXT NOT NULL,
        writer_email TEXT,
        writer_institution TEXT,
        writer_department TEXT,
        received_at TEXT,
        document_remote_id TEXT,
        document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
        remote_version TEXT,
        raw_json TEXT NOT NULL,
        removed_at TEXT,
        synced_at TEXT NOT NULL,
        UNIQUE (account_id, application_remote_id, remote_id)
      ) STRICT;
      CREATE INDEX letters_application ON letters(account_id, application_remote_id);
      CREATE INDEX letters_document ON letters(document_id);

      CREATE TABLE interview_slots (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        remote_id TEXT NOT NULL,
        conference_remote_id TEXT,
        conference_name TEXT,
        group_name TEXT,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        place TEXT,
        application_remote_id TEXT,
        applicant_remote_id TEXT,
        raw_json TEXT NOT NULL,
        removed_at TEXT,
        synced_at TEXT NOT NULL,
        UNIQUE (account_id, remote_id)
      ) STRICT;
      CREATE INDEX interview_slots_application ON interview_slots(account_id, application_remote_id);

      CREATE TABLE lookups (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        remote_id TEXT NOT NULL,
        label TEXT NOT NULL,
        raw_json TEXT NOT NULL,
        PRIMARY KEY (account_id, kind, remote_id)
      ) STRICT;

      -- The content-addressed store's index: a row exists only once the file is in place and verified.
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE document_texts (
        sha256 TEXT PRIMARY KEY REFERENCES blobs(sha256),
        text TEXT NOT NULL
      ) STRICT;

      -- The download ledger: one row per document that needs bytes.
      CREATE TABLE downloads (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        bytes INTEGER NOT NULL DEFAULT 0,
        -- The document version the verified bytes belong to; a new version queues the download again.
        remote_version TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX downloads_state ON downloads(state);

      CREATE TABLE sync_cursors (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        resource TEXT NOT NULL,
        cursor TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account_id, resource)
      ) STRICT;

      CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT CHECK (outcome IN ('ok', 'error', 'cancelled')),
        error_code TEXT,
        error_message TEXT,
        counts_json TEXT NOT NULL DEFAULT '{}'
      ) STRICT;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload_json TEXT NOT NULL,
        summary TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        remote_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- The reviewer's own data. Keyed by remote ids so a re-sync, or removing and re-adding
      -- an account's rows, never loses a rating, a note or a tag.
      CREATE TABLE reviews (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        application_remote_id TEXT NOT NULL,
        rating INTEGER,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewing', 'shortlisted', 'interview', 'offer', 'rejected')),
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account_id, application_remote_id)
      ) STRICT;

      CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
      ) STRICT;

      CREATE TABLE review_tags (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        application_remote_id TEXT NOT NULL,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (account_id, application_remote_id, tag_id)
      ) STRICT;
      CREATE INDEX review_tags_tag ON review_tags(tag_id);

      -- Local interviews are numbered from 1,000,000,000 up (AUTOINCREMENT seeded below) so they never
      -- share an id with an imported interview slot: both are listed together in one agenda.
      CREATE TABLE interviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        application_remote_id TEXT,
        slot_id INTEGER REFERENCES interview_slots(id) ON DELETE SET NULL,
        title TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        place TEXT,
        video_url TEXT,
        interviewers_json TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'done', 'cancelled')),
        notes TEXT NOT NULL DEFAULT '',
        evaluation TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX interviews_application ON interviews(account_id, application_remote_id);
      CREATE INDEX interviews_slot ON interviews(slot_id);
      INSERT INTO sqlite_sequence (name, seq) VALUES ('interviews', 999999999);

      CREATE TABLE saved_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        filter_json TEXT NOT NULL,
        sort_json TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      ) STRICT;

      -- Full-text search. Self-contained (not external-content) so snippet() and highlight() work.
      -- kind: applicant | application | letter | document; ref: the local row id of that kind.
      CREATE VIRTUAL TABLE search_index USING fts5(
        kind UNINDEXED,
        ref UNINDEXED,
        account_id UNINDEXED,
        title,
        body,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
  },
};
