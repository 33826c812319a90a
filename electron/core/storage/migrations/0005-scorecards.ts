import type { Migration } from '../migrate.ts';

/**
 * The committee's scorecards: a rubric per job (a scale and weighted criteria) and each
 * application's score on each criterion. Like the reviews, they are keyed by the account and the
 * provider's ids (of the job, of the application), which no sync rewrites, so a re-sync or a job
 * re-created upstream keeps them; removing the account removes them.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'scorecards',
  up(db) {
    db.exec(`
      CREATE TABLE rubrics (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        job_remote_id TEXT NOT NULL,
        scale_min INTEGER NOT NULL,
        scale_max INTEGER NOT NULL CHECK (scale_max > scale_min),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account_id, job_remote_id)
      ) STRICT;
      CREATE TABLE rubric_criteria (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL,
        job_remote_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        weight REAL NOT NULL CHECK (weight > 0),
        FOREIGN KEY (account_id, job_remote_id) REFERENCES rubrics(account_id, job_remote_id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX rubric_criteria_job ON rubric_criteria(account_id, job_remote_id, position);
      CREATE TABLE criterion_scores (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        application_remote_id TEXT NOT NULL,
        criterion_id INTEGER NOT NULL REFERENCES rubric_criteria(id) ON DELETE CASCADE,
        score INTEGER NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (account_id, application_remote_id, criterion_id)
      ) STRICT;
      CREATE INDEX criterion_scores_criterion ON criterion_scores(criterion_id);
    `);
  },
};
