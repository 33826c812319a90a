import { Table } from './table.ts';

/** A cached application as a write to its provider starts from: who applied, to which job, in the provider's own JSON. */
export interface ApplicationSource {
  readonly applicationId: number;
  readonly accountId: number;
  readonly jobId: number | null;
  readonly applicantId: number | null;
  readonly name: string;
  readonly email: string | null;
  readonly answersJson: string;
  /** The application as the provider sent it (`raw_json`). */
  readonly rawJson: string;
}

/** A cached job a write may target, with the provider's JSON (its questions, its status). */
export interface JobSource {
  readonly jobId: number;
  readonly remoteId: string;
  readonly title: string;
  readonly status: string | null;
  readonly removed: boolean;
  readonly rawJson: string;
}

/** The cached rows the outbox reads to build a write (an application to another job, a posting to delete). */
export class WriteSourcesQuery extends Table {
  application(applicationId: number): ApplicationSource | undefined {
    return this.sql<[number], ApplicationSource>(
      `SELECT a.id AS applicationId, a.account_id AS accountId, a.job_id AS jobId, a.applicant_id AS applicantId,
          trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name, p.email, a.answers_json AS answersJson, a.raw_json AS rawJson
        FROM applications a LEFT JOIN applicants p ON p.id = a.applicant_id
        WHERE a.id = ?`,
    ).get(applicationId);
  }

  /** The account's jobs still listed by the provider, newest first. */
  jobs(accountId: number): JobSource[] {
    return this.sql<[number], Omit<JobSource, 'removed'> & { removed: number }>(
      `SELECT id AS jobId, remote_id AS remoteId, title, status, removed_at IS NOT NULL AS removed, raw_json AS rawJson
        FROM jobs WHERE account_id = ? ORDER BY removed_at IS NOT NULL, posted_at DESC NULLS LAST, title COLLATE NOCASE`,
    ).all(accountId).map((row) => ({ ...row, removed: row.removed === 1 }));
  }

  /** What the account's last sync found one of its optional endpoints to offer (`offers.<feature>` cursors), or null before any sync. */
  offer(accountId: number, feature: string): string | null {
    return this.sql<[number, string], string>('SELECT cursor FROM sync_cursors WHERE account_id = ? AND resource = ?').pluck().get(accountId, `offers.${feature}`) ?? null;
  }

  job(jobId: number): (JobSource & { accountId: number }) | undefined {
    const row = this.sql<[number], Omit<JobSource, 'removed'> & { removed: number; accountId: number }>(
      `SELECT id AS jobId, account_id AS accountId, remote_id AS remoteId, title, status, removed_at IS NOT NULL AS removed, raw_json AS rawJson FROM jobs WHERE id = ?`,
    ).get(jobId);
    return row === undefined ? undefined : { ...row, removed: row.removed === 1 };
  }

  /** The jobs of the account this person (the same applicant, or the same e-mail) has applied to. */
  jobsAppliedTo(accountId: number, applicantId: number | null, email: string | null): number[] {
    return this.sql<[{ account: number; applicant: number | null; email: string | null }], number>(
      `SELECT DISTINCT a.job_id FROM applications a LEFT JOIN applicants p ON p.id = a.applicant_id
        WHERE a.account_id = @account AND a.job_id IS NOT NULL
          AND (a.applicant_id = @applicant OR (@email IS NOT NULL AND p.email IS NOT NULL AND lower(p.email) = lower(@email)))`,
    ).pluck().all({ account: accountId, applicant: applicantId, email });
  }
}
