import { nowIso } from '../base/time.ts';
import { Table } from './table.ts';

/** A job as the reviewer's data keys it: the account and the provider's id of the job. */
export interface JobKey {
  readonly accountId: number;
  readonly jobRemoteId: string;
}

/** An application with the job its scorecard follows. */
export interface ScoredApplication extends JobKey {
  readonly applicationRemoteId: string;
  readonly jobId: number | null;
}

export interface CriterionRow {
  readonly id: number;
  readonly name: string;
  readonly weight: number;
  /** How many applications have a score on this criterion. */
  readonly scoreCount: number;
}

export interface ScaleRow {
  readonly min: number;
  readonly max: number;
}

/** One criterion of a rubric being saved; with an id it keeps its scores. */
export interface CriterionDraft {
  readonly id?: number | undefined;
  readonly name: string;
  readonly weight: number;
}

/**
 * Rubrics (`rubrics`, `rubric_criteria`) and the scores given on them (`criterion_scores`). The
 * committee score the table shows and sorts by is computed in applications-query.ts from the same tables.
 */
export class ScorecardsTable extends Table {
  jobKey(jobId: number): (JobKey & { jobId: number }) | undefined {
    return this.sql<[number], JobKey & { jobId: number }>('SELECT id AS jobId, account_id AS accountId, remote_id AS jobRemoteId FROM jobs WHERE id = ?').get(jobId);
  }

  /** The application's job by the provider's id, so an application whose job row is missing still has a scorecard. */
  scoredApplication(applicationId: number): (ScoredApplication & { jobRemoteId: string | null }) | undefined {
    return this.sql<[number], ScoredApplication & { jobRemoteId: string | null }>(
      `SELECT a.account_id AS accountId, a.remote_id AS applicationRemoteId, coalesce(j.remote_id, a.job_remote_id) AS jobRemoteId, a.job_id AS jobId
       FROM applications a LEFT JOIN jobs j ON j.id = a.job_id WHERE a.id = ?`,
    ).get(applicationId);
  }

  scale(job: JobKey): ScaleRow | undefined {
    return this.sql<[number, string], ScaleRow>('SELECT scale_min AS min, scale_max AS max FROM rubrics WHERE account_id = ? AND job_remote_id = ?')
      .get(job.accountId, job.jobRemoteId);
  }

  criteria(job: JobKey): CriterionRow[] {
    return this.sql<[number, string], CriterionRow>(
      `SELECT c.id, c.name, c.weight, (SELECT count(*) FROM criterion_scores s WHERE s.criterion_id = c.id) AS scoreCount
       FROM rubric_criteria c WHERE c.account_id = ? AND c.job_remote_id = ? ORDER BY c.position, c.id`,
    ).all(job.accountId, job.jobRemoteId);
  }

  /** How many scores on the job's criteria lie outside [min, max]. */
  scoresOutside(job: JobKey, scale: ScaleRow): number {
    return this.sql<[number, string, number, number], number>(
      `SELECT count(*) FROM criterion_scores s JOIN rubric_criteria c ON c.id = s.criterion_id
       WHERE c.account_id = ? AND c.job_remote_id = ? AND (s.score < ? OR s.score > ?)`,
    ).pluck().get(job.accountId, job.jobRemoteId, scale.min, scale.max) ?? 0;
  }

  /**
   * Replaces the job's rubric: the scale, and the criteria in the order given. A criterion given
   * with its id keeps its scores; one left out is deleted with its scores. Run inside a transaction.
   */
  replaceRubric(job: JobKey, scale: ScaleRow, criteria: readonly CriterionDraft[]): void {
    const now = nowIso();
    this.sql<[number, string, number, number, string]>(
      `INSERT INTO rubrics (account_id, job_remote_id, scale_min, scale_max, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, job_remote_id) DO UPDATE SET scale_min = excluded.scale_min, scale_max = excluded.scale_max, updated_at = excluded.updated_at`,
    ).run(job.accountId, job.jobRemoteId, scale.min, scale.max, now);
    const kept = criteria.flatMap((criterion) => (criterion.id === undefined ? [] : [criterion.id]));
    this.sql<[number, string, string]>('DELETE FROM rubric_criteria WHERE account_id = ? AND job_remote_id = ? AND id NOT IN (SELECT value FROM json_each(?))')
      .run(job.accountId, job.jobRemoteId, JSON.stringify(kept));
    const update = this.sql<[number, string, number, number, number, string]>(
      'UPDATE rubric_criteria SET position = ?, name = ?, weight = ? WHERE id = ? AND account_id = ? AND job_remote_id = ?',
    );
    const insert = this.sql<[number, string, number, number, string]>(
      'INSERT INTO rubric_criteria (position, name, weight, account_id, job_remote_id) VALUES (?, ?, ?, ?, ?)',
    );
    for (const [position, criterion] of criteria.entries()) {
      if (criterion.id === undefined) insert.run(position, criterion.name, criterion.weight, job.accountId, job.jobRemoteId);
      else update.run(position, criterion.name, criterion.weight, criterion.id, job.accountId, job.jobRemoteId);
    }
  }

  scores(application: Pick<ScoredApplication, 'accountId' | 'applicationRemoteId'>): { criterionId: number; score: number }[] {
    return this.sql<[number, string], { criterionId: number; score: number }>(
      'SELECT criterion_id AS criterionId, score FROM criterion_scores WHERE account_id = ? AND application_remote_id = ?',
    ).all(application.accountId, application.applicationRemoteId);
  }

  setScore(application: Pick<ScoredApplication, 'accountId' | 'applicationRemoteId'>, criterionId: number, score: number | null): void {
    if (score === null) {
      this.sql<[number, string, number]>('DELETE FROM criterion_scores WHERE account_id = ? AND application_remote_id = ? AND criterion_id = ?')
        .run(application.accountId, application.applicationRemoteId, criterionId);
      return;
    }
    this.sql<[number, string, number, number, string]>(
      `INSERT INTO criterion_scores (account_id, application_remote_id, criterion_id, score, scored_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, application_remote_id, criterion_id) DO UPDATE SET score = excluded.score, scored_at = excluded.scored_at`,
    ).run(application.accountId, application.applicationRemoteId, criterionId, score, nowIso());
  }
}
