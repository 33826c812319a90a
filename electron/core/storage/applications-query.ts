import type { ApplicantFilter, ApplicantRow, ApplicantSort, ReviewStatus } from '../../../shared/domain.ts';
import { reviewStatuses } from '../../../shared/domain.ts';
import { searchPhrases, type SearchPhrase } from '../../../shared/search-terms.ts';
import { ftsMatch } from './fts-query.ts';
import { stringArray } from './json-columns.ts';
import { Table } from './table.ts';

/** The identity the reviewer's data is keyed by: the account and the provider's id of the application. */
export interface ApplicationKey {
  readonly id: number;
  readonly accountId: number;
  readonly remoteId: string;
}

/*
 * Every statement here reads applications (a) with their applicant (ap), job (j) and the
 * reviewer's review (r); the fragments and the conditions below are written against those aliases,
 * so the applicant table, saved views and exports select through the same SQL.
 */

export const displayName = `nullif(trim(coalesce(ap.first_name || ' ', '') || coalesce(ap.middle_name || ' ', '') || coalesce(ap.last_name, '')), '')`;
const institution = 'coalesce(ap.institution, ap.current_institution)';
const jobTitle = 'coalesce(j.title, a.job_title)';
const reviewStatus = `coalesce(r.status, 'new')`;
/** A letter is received once it has a date or a file. */
const lettersReceived = `(SELECT count(*) FROM letters l
  WHERE l.account_id = a.account_id AND l.application_remote_id = a.remote_id AND l.removed_at IS NULL
    AND (l.received_at IS NOT NULL OR l.document_id IS NOT NULL))`;
const hasInterview = `(EXISTS (SELECT 1 FROM interviews i
    WHERE i.account_id = a.account_id AND i.application_remote_id = a.remote_id AND i.status <> 'cancelled')
  OR EXISTS (SELECT 1 FROM interview_slots s
    WHERE s.account_id = a.account_id AND s.application_remote_id = a.remote_id AND s.removed_at IS NULL))`;
/** The application's tags as a JSON array, by name ignoring ASCII case. */
const tagsJson = `(SELECT json_group_array(t.name ORDER BY t.name COLLATE NOCASE) FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
    WHERE rt.account_id = a.account_id AND rt.application_remote_id = a.remote_id)`;
/**
 * The weighted mean of the application's scores on its job's rubric, over the criteria scored so
 * far (an unscored criterion neither counts nor drags the mean down); null when none is scored.
 * An index lookup per row (the scores' primary key), like the sub-selects above.
 */
const committeeScore = `(SELECT sum(c.weight * s.score) / sum(c.weight) FROM criterion_scores s JOIN rubric_criteria c ON c.id = s.criterion_id
    WHERE s.account_id = a.account_id AND s.application_remote_id = a.remote_id)`;
/** Each scored criterion with its score ("Research 4; Teaching 3"), in the rubric's order, for an export. */
const scoresText = `(SELECT group_concat(c.name || ' ' || s.score, '; ' ORDER BY c.position, c.id) FROM criterion_scores s JOIN rubric_criteria c ON c.id = s.criterion_id
    WHERE s.account_id = a.account_id AND s.application_remote_id = a.remote_id)`;
/** The same person's other applications in the account (applications_applicant index); none when the applicant is unlinked. */
const otherApplications = `(SELECT count(*) FROM applications o WHERE o.applicant_id = a.applicant_id AND o.id <> a.id)`;
const statusRank = `CASE ${reviewStatus} ${reviewStatuses.map((status, rank) => `WHEN '${status}' THEN ${rank}`).join(' ')} END`;

const reviewJoin = 'LEFT JOIN reviews r ON r.account_id = a.account_id AND r.application_remote_id = a.remote_id';

/** The applicant table reads each application with the applicant and the job the sync linked it to. */
const tableSources = `FROM applications a
  LEFT JOIN applicants ap ON ap.id = a.applicant_id
  LEFT JOIN jobs j ON j.id = a.job_id
  ${reviewJoin}`;

/** An export also finds an application's applicant and job by their provider ids where the link is missing. */
const selectionSources = `FROM applications a
  LEFT JOIN applicants ap ON ap.id = coalesce(a.applicant_id, (SELECT id FROM applicants WHERE account_id = a.account_id AND remote_id = a.applicant_remote_id))
  LEFT JOIN jobs j ON j.id = a.job_id OR (a.job_id IS NULL AND j.account_id = a.account_id AND j.remote_id = a.job_remote_id)
  ${reviewJoin}`;

/** What the table and an export both read of an application. */
const commonColumns = `a.id AS applicationId, a.account_id AS accountId, ${jobTitle} AS jobTitle,
    ap.degree AS degree, ap.degree_year AS degreeYear, ap.primary_field AS primaryField,
    a.applied_at AS appliedAt, ${lettersReceived} AS lettersReceived, a.letters_expected AS lettersExpected,
    r.rating AS rating, ${committeeScore} AS committeeScore, ${reviewStatus} AS status, ${tagsJson} AS tagsJson`;

interface CommonRow {
  applicationId: number;
  accountId: number;
  jobTitle: string | null;
  degree: string | null;
  degreeYear: number | null;
  primaryField: string | null;
  appliedAt: string | null;
  lettersReceived: number;
  lettersExpected: number;
  rating: number | null;
  committeeScore: number | null;
  status: ReviewStatus;
  tagsJson: string;
}

/**
 * One row per application, everything the table shows computed in the same statement: the
 * per-row sub-selects are index lookups (letters_application, review_tags' primary key,
 * interviews_application, interview_slots_application), so 10,000 rows cost one pass, not N queries.
 */
const tableColumns = `${commonColumns}, a.job_id AS jobId, ${displayName} AS name, ${institution} AS institution,
    ap.fields_json AS fieldsJson, ${hasInterview} AS hasInterview, a.removed_at IS NOT NULL AS removedUpstream,
    ${otherApplications} AS otherApplications`;

interface TableRow extends CommonRow {
  jobId: number | null;
  name: string | null;
  institution: string | null;
  fieldsJson: string | null;
  hasInterview: number;
  removedUpstream: number;
  otherApplications: number;
}

const selectionColumns = `${commonColumns}, a.remote_id AS remoteId, a.applicant_remote_id AS applicantRemoteId,
    ap.first_name AS firstName, ap.middle_name AS middleName, ap.last_name AS lastName, ap.email AS email, ap.phone AS phone,
    ap.country AS country, ap.url AS url, ap.institution AS institution, ap.current_position AS currentPosition,
    ap.current_institution AS currentInstitution, coalesce(r.note, '') AS note, ${scoresText} AS scores`;

interface SelectionRow extends CommonRow {
  remoteId: string;
  applicantRemoteId: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  country: string | null;
  url: string | null;
  institution: string | null;
  currentPosition: string | null;
  currentInstitution: string | null;
  note: string;
  scores: string | null;
}

/** One selected application with its applicant and the reviewer's data, as every export needs it. */
export interface SelectedApplication extends Readonly<Omit<SelectionRow, 'tagsJson'>> {
  readonly tags: readonly string[];
}

export interface ApplicantPage {
  total: number;
  rows: ApplicantRow[];
}

export interface ApplicantQuery {
  readonly filter: ApplicantFilter;
  readonly sort?: ApplicantSort | undefined;
  readonly offset: number;
  readonly limit: number;
}

/**
 * What narrows a list of applications: the applicant table's filter (the one a saved view
 * stores), and what an export selects by besides. Every criterion given narrows; none gives all.
 */
export interface ApplicationCriteria extends ApplicantFilter {
  /** Only the applications the applicant table lists for this filter (a saved view's). */
  readonly listedBy?: ApplicantFilter | undefined;
  readonly applicationIds?: readonly number[] | undefined;
  /** Leaves out the applications removed upstream. */
  readonly current?: boolean | undefined;
}

interface Where {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The runs of letters and digits in typed text: what LIKE looks for (case-insensitive for ASCII). */
function letterAndDigitRuns(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
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
 * A phrase as a LIKE pattern, anywhere in the text: its words in order, one space apart, and within a
 * word its runs of letters and digits in order, whatever stands between them (so "O'Brien" finds
 * "O’Brien" too: the full-text tokenizer also reads only the letters and digits).
 */
function likePattern(phrase: SearchPhrase): string {
  const words = phrase.words.map((word) => letterAndDigitRuns(word).map(escapeLike).join('%'));
  return `%${words.join(' ')}%`;
}

/**
 * Free text narrows to applications whose name, institution, fields, degree or job title contain
 * every phrase of the search, or that the full-text index matches (so a letter writer's name finds
 * the candidate). The phrases are the search's own (searchPhrases: common words dropped, quoted parts
 * exact), so the table and the search find the same applications.
 */
function textCondition(text: string): Where | undefined {
  const phrases = searchPhrases(text);
  if (phrases.length === 0) return undefined;
  const haystack = `(coalesce(${displayName}, '') || ' ' || coalesce(${institution}, '') || ' ' || coalesce(ap.fields_json, '') || ' ' || coalesce(ap.degree, '') || ' ' || coalesce(${jobTitle}, ''))`;
  const likes = phrases.map(() => `${haystack} LIKE ? ESCAPE '\\'`).join(' AND ');
  const likeParams = phrases.map(likePattern);
  // A word's beginning of one or two letters typed so far would match half the index; until a third, the visible columns decide.
  const shortPrefix = phrases.some((phrase) => phrase.prefix && (phrase.words.at(-1)?.length ?? 0) < 3);
  if (shortPrefix) return { sql: `(${likes})`, params: likeParams };
  const match = ftsMatch(phrases);
  return {
    sql: `((${likes}) OR a.id IN (WITH text_hits AS MATERIALIZED (SELECT kind, ref FROM search_index WHERE search_index MATCH ?) ${fullTextApplications}))`,
    params: [...likeParams, match],
  };
}

/** A field's words start after the start of the field or after a space, hyphen, slash, comma or parenthesis. */
function wordStarts(expression: string): string {
  const spaced = ['-', '/', ',', '(', ')', ';'].reduce((text, separator) => `replace(${text}, '${separator}', ' ')`, expression);
  return `(' ' || ${spaced})`;
}

/**
 * The field filter: every typed word must begin a word of one and the same field ("labor" and
 * "lab econ" find "Labor Economics"; "econ" finds it too, but not "Macroeconomics"), looked for in
 * the applicant's primary field and in their list of fields. LIKE folds ASCII case only.
 */
function fieldCondition(text: string): Where | undefined {
  const words = letterAndDigitRuns(text).slice(0, 12);
  if (words.length === 0) return undefined;
  const matchesEvery = (expression: string) => words.map(() => `${wordStarts(expression)} LIKE ? ESCAPE '\\'`).join(' AND ');
  const params = words.map((word) => `% ${escapeLike(word)}%`);
  return {
    sql: `((${matchesEvery('ap.primary_field')}) OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(ap.fields_json) THEN ap.fields_json ELSE '[]' END) f
      WHERE ${matchesEvery('f.value')}))`,
    params: [...params, ...params],
  };
}

/** The one filter builder: the applicant table's filter, a saved view's and an export's selection all become SQL here. */
function conditionsOf(criteria: ApplicationCriteria): Where[] {
  const conditions: Where[] = [];
  if (criteria.accountId !== undefined) conditions.push({ sql: 'a.account_id = ?', params: [criteria.accountId] });
  // The job as joined: the linked one in the table, also the one found by provider id in an export.
  if (criteria.jobId !== undefined) conditions.push({ sql: 'j.id = ?', params: [criteria.jobId] });
  if (criteria.field !== undefined) {
    const field = fieldCondition(criteria.field);
    if (field) conditions.push(field);
  }
  if (criteria.statuses !== undefined && criteria.statuses.length > 0) {
    conditions.push({ sql: `${reviewStatus} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(criteria.statuses)] });
  }
  // Every chosen tag must be present: tags are facets the reviewer adds, so choosing more narrows.
  for (const tag of criteria.tags ?? []) {
    conditions.push({
      sql: `EXISTS (SELECT 1 FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
        WHERE rt.account_id = a.account_id AND rt.application_remote_id = a.remote_id AND t.name = ?)`,
      params: [tag],
    });
  }
  if (criteria.minRating !== undefined) conditions.push({ sql: 'r.rating >= ?', params: [criteria.minRating] });
  if (criteria.lettersComplete !== undefined) {
    conditions.push({ sql: `(${lettersReceived} >= a.letters_expected) = ?`, params: [criteria.lettersComplete ? 1 : 0] });
  }
  if (criteria.hasInterview !== undefined) conditions.push({ sql: `${hasInterview} = ?`, params: [criteria.hasInterview ? 1 : 0] });
  if (criteria.text !== undefined) {
    const text = textCondition(criteria.text);
    if (text) conditions.push(text);
  }
  if (criteria.listedBy !== undefined) {
    const listed = whereOf(criteria.listedBy);
    conditions.push({ sql: `a.id IN (SELECT a.id ${tableSources} ${listed.sql})`, params: listed.params });
  }
  if (criteria.applicationIds !== undefined) {
    conditions.push({ sql: 'a.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(criteria.applicationIds)] });
  }
  if (criteria.current) conditions.push({ sql: 'a.removed_at IS NULL', params: [] });
  return conditions;
}

function whereOf(criteria: ApplicationCriteria): Where {
  const conditions = conditionsOf(criteria);
  return {
    sql: conditions.length > 0 ? `WHERE ${conditions.map((condition) => condition.sql).join(' AND ')}` : '',
    params: conditions.flatMap((condition) => condition.params),
  };
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
    committeeScore: `committeeScore ${direction} NULLS LAST`,
    status: `${statusRank} ${direction}`,
    letters: `lettersReceived ${direction}, a.letters_expected ${direction === 'ASC' ? 'DESC' : 'ASC'}`,
  };
  return `${expression[sort.key]}, ${byName}`;
}

function tagNames(tagsJson: string): string[] {
  return JSON.parse(tagsJson) as string[];
}

function toApplicantRow(row: TableRow): ApplicantRow {
  const fields = stringArray(row.fieldsJson);
  if (fields.length === 0 && row.primaryField) fields.push(row.primaryField);
  return {
    applicationId: row.applicationId,
    accountId: row.accountId,
    jobId: row.jobId,
    jobTitle: row.jobTitle,
    name: row.name ?? 'Unnamed applicant',
    institution: row.institution,
    degree: row.degree,
    degreeYear: row.degreeYear,
    fields,
    appliedAt: row.appliedAt,
    lettersReceived: row.lettersReceived,
    lettersExpected: Math.max(row.lettersExpected, row.lettersReceived),
    rating: row.rating,
    committeeScore: row.committeeScore,
    tags: tagNames(row.tagsJson).sort((left, right) => left.localeCompare(right)),
    status: row.status,
    hasInterview: row.hasInterview === 1,
    removedUpstream: row.removedUpstream === 1,
    otherApplications: row.otherApplications,
  };
}

function toSelectedApplication({ tagsJson, ...row }: SelectionRow): SelectedApplication {
  return { ...row, tags: tagNames(tagsJson) };
}

/** Applications as the reviewer reads them: the applicant table, a packet's header row, the rows an export selects. */
export class ApplicationsQuery extends Table {
  /** The applicant table: filtered, sorted and paged in one statement (the total comes from a window count). */
  page(query: ApplicantQuery): ApplicantPage {
    const where = whereOf(query.filter);
    const rows = this.prepareOnce<unknown[], TableRow & { total: number }>(
      `SELECT count(*) OVER () AS total, ${tableColumns} ${tableSources} ${where.sql} ORDER BY ${orderBy(query.sort)} LIMIT ? OFFSET ?`,
    ).all(...where.params, query.limit, query.offset);
    const total = rows[0]?.total ?? (query.offset === 0 ? 0 : this.#count(where));
    return { total, rows: rows.map(toApplicantRow) };
  }

  /** The same row the table shows, for one application (the packet's header). */
  row(applicationId: number): ApplicantRow | undefined {
    const row = this.sql<[number], TableRow>(`SELECT ${tableColumns} ${tableSources} WHERE a.id = ?`).get(applicationId);
    return row === undefined ? undefined : toApplicantRow(row);
  }

  /** The applications matching `criteria`, ordered by applicant name. */
  selected(criteria: ApplicationCriteria): SelectedApplication[] {
    const where = whereOf(criteria);
    return this.prepareOnce<unknown[], SelectionRow>(
      `SELECT ${selectionColumns} ${selectionSources} ${where.sql}
       ORDER BY lower(coalesce(ap.last_name, '')), lower(coalesce(ap.first_name, '')), a.id`,
    ).all(...where.params).map(toSelectedApplication);
  }

  /** The keys of those of `ids` that are in the cache, in no particular order. */
  keys(ids: readonly number[]): ApplicationKey[] {
    return this.sql<[string], ApplicationKey>('SELECT id, account_id AS accountId, remote_id AS remoteId FROM applications WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids));
  }

  #count(where: Where): number {
    return this.prepareOnce<unknown[], number>(`SELECT count(*) ${tableSources} ${where.sql}`).pluck().get(...where.params) ?? 0;
  }
}
