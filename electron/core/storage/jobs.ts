import type { Job } from '../../../shared/domain.ts';
import { Table } from './table.ts';

type JobRow = Omit<Job, 'removedUpstream'> & { removedUpstream: number };

export class JobsTable extends Table {
  /** Jobs with how many applications each has in the cache; jobs removed upstream stay listed, flagged, after the others. */
  list(accountId?: number): Job[] {
    return this.sql<[{ account: number | null }], JobRow>(
      `SELECT j.id, j.account_id AS accountId, j.remote_id AS remoteId, j.title, j.department, j.location, j.status,
          j.posted_at AS postedAt, j.closes_at AS closesAt,
          (SELECT count(*) FROM applications a WHERE a.job_id = j.id) AS applicationCount,
          j.removed_at IS NOT NULL AS removedUpstream
        FROM jobs j
        WHERE (@account IS NULL OR j.account_id = @account)
        ORDER BY j.removed_at IS NOT NULL, j.posted_at DESC NULLS LAST, j.title COLLATE NOCASE`,
    ).all({ account: accountId ?? null }).map((row) => ({ ...row, removedUpstream: row.removedUpstream === 1 }));
  }

  /** The provider's id of a cached job of this account, or undefined. */
  remoteIdOf(jobId: number, accountId: number): string | undefined {
    return this.sql<[number, number], string>('SELECT remote_id FROM jobs WHERE id = ? AND account_id = ?').pluck().get(jobId, accountId);
  }

  /**
   * The local ids of jobs a person may mean by `job`: its local id, or the provider's id (within
   * `accountId` when given). The local id comes first when both match.
   */
  idsMatching(job: string, accountId: number | undefined): number[] {
    return this.sql<[{ job: string; account: number | null }], number>(
      `SELECT id FROM jobs WHERE (remote_id = @job OR (@job GLOB '[0-9]*' AND id = CAST(@job AS INTEGER))) AND (@account IS NULL OR account_id = @account)
       ORDER BY id = CAST(@job AS INTEGER) DESC`,
    ).pluck().all({ job, account: accountId ?? null });
  }
}
