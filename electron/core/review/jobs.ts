import type { Job } from '../../../shared/domain.ts';
import type { Db } from '../db/database.ts';

/** Jobs with how many applications each has in the cache; jobs removed upstream stay listed, flagged. */
export function listJobs(db: Db, accountId?: number): Job[] {
  const rows = db
    .prepare(`SELECT j.id, j.account_id AS accountId, j.remote_id AS remoteId, j.title, j.department, j.location, j.status,
        j.posted_at AS postedAt, j.closes_at AS closesAt,
        (SELECT count(*) FROM applications a WHERE a.job_id = j.id) AS applicationCount,
        j.removed_at IS NOT NULL AS removedUpstream
      FROM jobs j
      WHERE (@account IS NULL OR j.account_id = @account)
      ORDER BY j.removed_at IS NOT NULL, j.posted_at DESC NULLS LAST, j.title COLLATE NOCASE`)
    .all({ account: accountId ?? null }) as (Omit<Job, 'removedUpstream'> & { removedUpstream: number })[];
  return rows.map((row) => ({ ...row, removedUpstream: row.removedUpstream === 1 }));
}
