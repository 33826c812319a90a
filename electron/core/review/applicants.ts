import type { ApplicantFilter, ApplicantRow, ApplicantSort, ReviewStatus } from '../../../shared/domain.ts';
import { reviewStatuses } from '../../../shared/domain.ts';
import type { Db } from '../storage/database.ts';
import { ftsQuery } from '../search/query.ts';
import { stringArray } from './applications.ts';

/** Tags travel in one column, joined by the ASCII unit separator (never typed in a tag). */
const tagSeparator = '\u001f';

export const displayName = `nullif(trim(coalesce(ap.first_name || ' ', '') || coalesce(ap.middle_name || ' ', '') || coalesce(ap.last_name, '')), '')`;
const institution = 'coalesce(ap.institution, ap.current_institution)';
const lettersReceived = `(SELECT count(*) FROM letters l
  WHERE l.account_id = a.account_id AND l.application_remote_id = a.remote_id AND l.removed_at IS NULL
    AND (l.received_at IS NOT NULL OR l.document_id IS NOT NULL))`;
const hasInterview = `(EXISTS (SELECT 1 FROM interviews i
    WHERE i.account_id = a.account_id AND i.application_remote_id = a.remote_id AND i.status <> 'cancelled')
  OR EXISTS (SELECT 1 FROM interview_slots s
    WHERE s.account_id = a.account_id AND s.application_remote_id = a.remote_id AND s.removed_at IS NULL))`;
const statusRank = `CASE coalesce(r.status, 'new') ${reviewStatuses.map((status, rank) => `WHEN '${status}' THEN ${rank}`).join(' ')} END`;

/**
 * One row per application, everything the table shows computed in the same statement: the
 * per-row sub-selects are index lookups (letters_application, review_tags' primary key,
 * interviews_application, interview_slots_application), so 10,000 rows cost one pass, not N queries.
 */
const rowColumns = `a.id AS applicationId, a.account_id AS accountId, a.job_id AS jobId,
    coalesce(j.title, a.job_title) AS jobTitle,
    ${displayName} AS name,
    ${institution} AS institution,
    ap.degree AS degree, ap.degree_year AS degreeYear,
    ap.primary_field AS primaryField, ap.fields_json AS fieldsJson,
    a.applied_at AS appliedAt,
    ${lettersReceived} AS lettersReceived,
    a.letters_expected AS lettersExpected,
    r.rating AS rating, coalesce(r.status, 'new') AS status,
    (SELECT group_concat(t.name, char(31)) FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
      WHERE rt.account_id = a.account_id AND rt.application_remote_id = a.remote_id) AS tagList,
    ${hasInterview} AS hasInterview,
    a.removed_at IS NOT NULL AS removedUpstream`;

const rowSources = `
  FROM applications a
  LEFT JOIN applicants ap ON ap.id = a.applicant_id
  LEFT JOIN jobs j ON j.id = a.job_id
  LEFT JOIN reviews r ON r.account_id = a.account_id AND r.application_remote_id = a.remote_id`;

interface RawRow {
  applicationId: number;
  accountId: number;
  jobId: number | null;
  jobTitle: string | null;
  name: string | null;
  institution: string | null;
  degree: string | null;
  degreeYear: number | null;
  primaryField: string | null;
  fieldsJson: string | null;
  appliedAt: string | null;
  lettersReceived: number;
  lettersExpected: number;
  rating: number | null;
  status: ReviewStatus;
  tagList: string | null;
  hasInterview: number;
  removedUpstream: number;
}

interface Clause {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Splits typed text into the words every one of which must appear (LIKE, case-insensitive for ASCII). */
function searchWords(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0).slice(0, 12);
}

function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * Applications the full-text index (applicant, application, letter and document text) matches,
 * from a single FTS pass; the list is computed once per query, not per row.
 */
const fullTextApplications = `SELECT ref FROM text_hits WHERE kind = 'application'
  UNION SELECT a.id FROM text_hits h JOIN applications a ON a.applicant_id = h.ref WHERE h.kind = 'applicant'
  UNION SELECT a.id FROM text_hits h JOIN letters l ON l.id = h.ref
    JOIN applications a ON a.account_id = l.account_id AND a.remote_id = l.application_remote_id WHERE h.kind = 'letter'
  UNION SELECT a.id FROM text_hits h JOIN documents d ON d.id = h.ref
    JOIN applications a ON a.account_id = d.account_id AND a.remote_id = d.application_remote_id WHERE h.kind = 'document'
  UNION SELECT a.id FROM text_hits h JOIN documents d ON d.id = h.ref
    JOIN applicants ap ON ap.account_id = d.account_id AND ap.remote_id = d.applicant_remote_id
    JOIN applications a ON a.applicant_id = ap.id WHERE h.kind = 'document' AND d.application_remote_id IS NULL`;

/**
 * Free text narrows to applications whose name, institution, fields, degree or job title contain
 * every word, or that the full-text index matches (so a letter writer's name finds the candidate).
 */
function textClause(text: string): Clause | undefined {
  const words = searchWords(text);
  if (words.length === 0) return undefined;
  const haystack = `(coalesce(${displayName}, '') || ' ' || coalesce(${institution}, '') || ' ' || coalesce(ap.fields_json, '') || ' ' || coalesce(ap.degree, '') || ' ' || coalesce(j.title, a.job_title, ''))`;
  const likes = words.map(() => `${haystack} LIKE ? ESCAPE '\\'`).join(' AND ');
  const likeParams = words.map((word) => `%${escapeLike(word)}%`);
  // One or two letters typed so far would match half the index; until a third, the visible columns decide.
  const match = words.some((word) => word.length < 3) ? null : ftsQuery(text);
  if (match === null) return { sql: `(${likes})`, params: likeParams };
  return {
    sql: `((${likes}) OR a.id IN (WITH text_hits AS MATERIALIZED (SELECT kind, ref FROM search_index WHERE search_index MATCH ?) ${fullTextApplications}))`,
    params: [...likeParams, match],
  };
}

function filterClauses(filter: ApplicantFilter): Clause[] {
  const clauses: Clause[] = [];
  if (filter.accountId !== undefined) clauses.push({ sql: 'a.account_id = ?', params: [filter.accountId] });
  if (filter.jobId !== undefined) clauses.push({ sql: 'a.job_id = ?', params: [filter.jobId] });
  if (filter.field !== undefined && filter.field.trim() !== '') {
    clauses.push({
      sql: `(ap.primary_field = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(ap.fields_json) THEN ap.fields_json ELSE '[]' END) f WHERE f.value = ? COLLATE NOCASE))`,
      params: [filter.field.trim(), filter.field.trim()],
    });
  }
  if (filter.statuses !== undefined && filter.statuses.length > 0) {
    clauses.push({ sql: `coalesce(r.status, 'new') IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(filter.statuses)] });
  }
  // Every chosen tag must be present: tags are facets the reviewer adds, so choosing more narrows.
  for (const tag of filter.tags ?? []) {
    clauses.push({
      sql: `EXISTS (SELECT 1 FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
        WHERE rt.account_id = a.account_id AND rt.application_remote_id = a.remote_id AND t.name = ?)`,
      params: [tag],
    });
  }
  if (filter.minRating !== undefined) clauses.push({ sql: 'r.rating >= ?', params: [filter.minRating] });
  if (filter.lettersComplete !== undefined) {
    clauses.push({ sql: `(${lettersReceived} >= a.letters_expected) = ?`, params: [filter.lettersComplete ? 1 : 0] });
  }
  if (filter.hasInterview !== undefined) clauses.push({ sql: `${hasInterview} = ?`, params: [filter.hasInterview ? 1 : 0] });
  if (filter.text !== undefined) {
    const text = textClause(filter.text);
    if (text) clauses.push(text);
  }
  return clauses;
}

const byName = `ap.last_name COLLATE NOCASE, ap.first_name COLLATE NOCASE, a.id`;

function orderBy(sort: ApplicantSort | undefined): string {
  if (!sort) return byName;
  const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
  const expression: Record<ApplicantSort['key'], string> = {
    name: `ap.last_name COLLATE NOCASE ${direction}, ap.first_name COLLATE NOCASE ${direction}`,
    institution: `${institution} COLLATE NOCASE ${direction} NULLS LAST`,
    degreeYear: `ap.degree_year ${direction} NULLS LAST`,
    appliedAt: `a.applied_at ${direction} NULLS LAST`,
    rating: `r.rating ${direction} NULLS LAST`,
    status: `${statusRank} ${direction}`,
    letters: `lettersReceived ${direction}, a.letters_expected ${direction === 'ASC' ? 'DESC' : 'ASC'}`,
  };
  return `${expression[sort.key]}, ${byName}`;
}

function toRow(raw: RawRow): ApplicantRow {
  const fields = stringArray(raw.fieldsJson);
  if (fields.length === 0 && raw.primaryField) fields.push(raw.primaryField);
  return {
    applicationId: raw.applicationId,
    accountId: raw.accountId,
    jobId: raw.jobId,
    jobTitle: raw.jobTitle,
    name: raw.name ?? 'Unnamed applicant',
    institution: raw.institution,
    degree: raw.degree,
    degreeYear: raw.degreeYear,
    fields,
    appliedAt: raw.appliedAt,
    lettersReceived: raw.lettersReceived,
    lettersExpected: Math.max(raw.lettersExpected, raw.lettersReceived),
    rating: raw.rating,
    tags: raw.tagList ? raw.tagList.split(tagSeparator).sort((left, right) => left.localeCompare(right)) : [],
    status: raw.status,
    hasInterview: raw.hasInterview === 1,
    removedUpstream: raw.removedUpstream === 1,
  };
}

export interface ApplicantPage {
  total: number;
  rows: ApplicantRow[];
}

/** The applicant table: filtered, sorted and paged in one statement (the total comes from a window count). */
export function listApplicants(db: Db, query: { filter: ApplicantFilter; sort?: ApplicantSort | undefined; offset: number; limit: number }): ApplicantPage {
  const clauses = filterClauses(query.filter);
  const where = clauses.length > 0 ? `WHERE ${clauses.map((clause) => clause.sql).join(' AND ')}` : '';
  const params = clauses.flatMap((clause) => clause.params);
  const rows = db
    .prepare(`SELECT count(*) OVER () AS total, ${rowColumns} ${rowSources} ${where} ORDER BY ${orderBy(query.sort)} LIMIT ? OFFSET ?`)
    .all(...params, query.limit, query.offset) as (RawRow & { total: number })[];
  const total = rows[0]?.total ?? (query.offset === 0 ? 0 : countApplicants(db, where, params));
  return { total, rows: rows.map(toRow) };
}

function countApplicants(db: Db, where: string, params: readonly unknown[]): number {
  const row = db
    .prepare(`SELECT count(*) AS n ${rowSources} ${where}`)
    .get(...params) as { n: number };
  return row.n;
}

/** The same row the table shows, for one application (the packet's header). */
export function applicantRow(db: Db, applicationId: number): ApplicantRow | undefined {
  const raw = db.prepare(`SELECT ${rowColumns} ${rowSources} WHERE a.id = ?`).get(applicationId) as RawRow | undefined;
  return raw ? toRow(raw) : undefined;
}
