import type { ExportSelection } from '../../../shared/api/documents.ts';
import { ApplicantFilter, type ReviewStatus } from '../../../shared/domain.ts';
import type { Db } from '../storage/database.ts';
import { DossierError } from '../base/errors.ts';
import { listApplicants } from '../review/applicants.ts';

/** One selected application with its applicant and the reviewer's data, as every export needs it. */
export interface SelectedApplication {
  readonly applicationId: number;
  readonly accountId: number;
  readonly remoteId: string;
  readonly applicantRemoteId: string | null;
  readonly jobTitle: string | null;
  readonly firstName: string | null;
  readonly middleName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly country: string | null;
  readonly url: string | null;
  readonly institution: string | null;
  readonly degree: string | null;
  readonly degreeYear: number | null;
  readonly currentPosition: string | null;
  readonly currentInstitution: string | null;
  readonly primaryField: string | null;
  readonly appliedAt: string | null;
  readonly lettersExpected: number;
  readonly lettersReceived: number;
  readonly rating: number | null;
  readonly status: ReviewStatus;
  readonly note: string;
  readonly tags: readonly string[];
}

/** The statuses a candidate keeps once shortlisted: moving on to an interview or an offer does not drop them from the list. */
export const shortlistStatuses: readonly ReviewStatus[] = ['shortlisted', 'interview', 'offer'];

interface Condition {
  readonly sql: string;
  readonly params: readonly unknown[];
}

// Counted as the applicant table counts them: a letter is received once it has a date or a file.
const lettersReceivedSql = `(SELECT count(*) FROM letters l WHERE l.account_id = a.account_id AND l.application_remote_id = a.remote_id
  AND l.removed_at IS NULL AND (l.received_at IS NOT NULL OR l.document_id IS NOT NULL))`;

function savedViewFilter(db: Db, viewId: number): ApplicantFilter {
  const row = db.prepare('SELECT filter_json FROM saved_views WHERE id = ?').get(viewId) as { filter_json: string } | undefined;
  if (!row) throw new DossierError('input.invalid', 'That saved view no longer exists. Pick another view or export the whole job.', { field: 'viewId', viewId });
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.filter_json);
  } catch {
    parsed = undefined;
  }
  const filter = ApplicantFilter.safeParse(parsed);
  if (!filter.success) throw new DossierError('export.failed', 'That saved view is damaged. Open it, save it again, then export.', { viewId });
  return filter.data;
}

/** The applications a saved view shows, through the applicant table's own filter so the two never disagree. */
function savedViewApplicationIds(db: Db, viewId: number): number[] {
  return listApplicants(db, { filter: savedViewFilter(db, viewId), offset: 0, limit: Number.MAX_SAFE_INTEGER }).rows.map((row) => row.applicationId);
}

function selectionConditions(db: Db, selection: ExportSelection): Condition[] {
  const conditions: Condition[] = [];
  if (selection.accountId !== undefined) conditions.push({ sql: 'a.account_id = ?', params: [selection.accountId] });
  if (selection.jobId !== undefined) conditions.push({ sql: 'j.id = ?', params: [selection.jobId] });
  if (selection.viewId !== undefined) {
    conditions.push({ sql: 'a.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(savedViewApplicationIds(db, selection.viewId))] });
  }
  if (selection.shortlisted) conditions.push({ sql: `r.status IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(shortlistStatuses)] });
  if (selection.applicationIds !== undefined) {
    conditions.push({ sql: 'a.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(selection.applicationIds)] });
  } else {
    // Hand-picked applications are exported as asked; anything chosen by rule leaves out what vanished upstream.
    conditions.push({ sql: 'a.removed_at IS NULL', params: [] });
  }
  return conditions;
}

interface Row extends Omit<SelectedApplication, 'tags'> {
  readonly tagsJson: string;
}

/**
 * Resolves a selection to its applications, ordered by applicant name. Every criterion given
 * narrows the selection (a job and the shortlist means the job's shortlist); none means all.
 */
export function resolveSelection(db: Db, selection: ExportSelection): SelectedApplication[] {
  const conditions = selectionConditions(db, selection);
  const rows = db
    .prepare(
      `SELECT a.id AS applicationId, a.account_id AS accountId, a.remote_id AS remoteId, a.applicant_remote_id AS applicantRemoteId,
              coalesce(j.title, a.job_title) AS jobTitle,
              p.first_name AS firstName, p.middle_name AS middleName, p.last_name AS lastName, p.email, p.phone, p.country, p.url,
              p.institution, p.degree, p.degree_year AS degreeYear, p.current_position AS currentPosition,
              p.current_institution AS currentInstitution, p.primary_field AS primaryField,
              a.applied_at AS appliedAt, a.letters_expected AS lettersExpected, ${lettersReceivedSql} AS lettersReceived,
              r.rating, coalesce(r.status, 'new') AS status, coalesce(r.note, '') AS note,
              (SELECT json_group_array(name) FROM (SELECT t.name FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
                 WHERE rt.account_id = a.account_id AND rt.application_remote_id = a.remote_id ORDER BY t.name COLLATE NOCASE)) AS tagsJson
         FROM applications a
         LEFT JOIN applicants p ON p.id = coalesce(a.applicant_id, (SELECT id FROM applicants WHERE account_id = a.account_id AND remote_id = a.applicant_remote_id))
         LEFT JOIN jobs j ON j.id = a.job_id OR (a.job_id IS NULL AND j.account_id = a.account_id AND j.remote_id = a.job_remote_id)
         LEFT JOIN reviews r ON r.account_id = a.account_id AND r.application_remote_id = a.remote_id
        WHERE ${conditions.length > 0 ? conditions.map((condition) => condition.sql).join(' AND ') : '1'}
        ORDER BY lower(coalesce(p.last_name, '')), lower(coalesce(p.first_name, '')), a.id`,
    )
    .all(...conditions.flatMap((condition) => condition.params)) as Row[];
  return rows.map(({ tagsJson, ...row }) => ({ ...row, tags: JSON.parse(tagsJson) as string[] }));
}

/** "Last, First Middle" for folders, files and lists; the remote id when the provider gave no name. */
export function applicantSortName(application: SelectedApplication): string {
  const given = [application.firstName, application.middleName].filter((part) => part && part.trim() !== '').join(' ');
  const last = application.lastName?.trim() ?? '';
  if (last !== '' && given !== '') return `${last}, ${given}`;
  if (last !== '' || given !== '') return last || given;
  return `Applicant ${application.applicantRemoteId ?? application.remoteId}`;
}

/** "First Middle Last" for cover pages and calendars. */
export function applicantDisplayName(application: SelectedApplication): string {
  const name = [application.firstName, application.middleName, application.lastName].filter((part) => part && part.trim() !== '').join(' ');
  return name === '' ? `Applicant ${application.applicantRemoteId ?? application.remoteId}` : name;
}
