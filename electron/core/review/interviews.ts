import type { Interview, InterviewStatus } from '../../../shared/domain.ts';
import type { z } from 'zod';
import type { InterviewInput } from '../../../shared/api/review.ts';
import { type Db } from '../storage/database.ts';
import { nowIso } from '../base/time.ts';
import { DossierError } from '../base/errors.ts';
import { displayName } from './applicants.ts';
import { applicationKey, stringArray } from './applications.ts';

export type InterviewDraft = z.output<typeof InterviewInput>;

export interface InterviewRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly applicationId?: number | undefined;
}

/** Stored instants are UTC ISO-8601; anything the sync stored in another ISO form is normalised on the way out. */
function utc(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

interface LocalRow {
  id: number;
  accountId: number;
  applicationId: number | null;
  applicantName: string | null;
  title: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string | null;
  videoUrl: string | null;
  interviewersJson: string;
  status: InterviewStatus;
  notes: string;
  evaluation: string;
}

interface SlotRow {
  id: number;
  accountId: number;
  applicationId: number | null;
  applicantName: string | null;
  conferenceName: string | null;
  groupName: string | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string | null;
}

/**
 * Both lists overlap-match the range (an interview that started before `from` but is still running
 * counts) and, for one application, go through the (account, application) indexes.
 */
function rangeWhere(db: Db, alias: string, range: InterviewRange): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (range.from !== undefined) {
    clauses.push(`julianday(${alias}.ends_at) > julianday(?)`);
    params.push(range.from);
  }
  if (range.to !== undefined) {
    clauses.push(`julianday(${alias}.starts_at) < julianday(?)`);
    params.push(range.to);
  }
  if (range.applicationId !== undefined) {
    const key = db.prepare('SELECT account_id AS accountId, remote_id AS remoteId FROM applications WHERE id = ?').get(range.applicationId) as
      { accountId: number; remoteId: string } | undefined;
    clauses.push(`${alias}.account_id = ? AND ${alias}.application_remote_id = ?`);
    params.push(key?.accountId ?? 0, key?.remoteId ?? '');
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

const localSelect = `SELECT i.id, i.account_id AS accountId, a.id AS applicationId, ${displayName} AS applicantName,
    i.title, i.starts_at AS startsAt, i.ends_at AS endsAt, i.time_zone AS timeZone, i.place, i.video_url AS videoUrl,
    i.interviewers_json AS interviewersJson, i.status, i.notes, i.evaluation
  FROM interviews i
  LEFT JOIN applications a ON a.account_id = i.account_id AND a.remote_id = i.application_remote_id
  LEFT JOIN applicants ap ON ap.id = a.applicant_id`;

function fromLocal(row: LocalRow): Interview {
  return {
    id: row.id,
    accountId: row.accountId,
    applicationId: row.applicationId,
    applicantName: row.applicantName,
    source: 'local',
    title: row.title,
    startsAt: utc(row.startsAt),
    endsAt: utc(row.endsAt),
    timeZone: row.timeZone,
    place: row.place,
    videoUrl: row.videoUrl,
    interviewers: stringArray(row.interviewersJson),
    status: row.status,
    notes: row.notes,
    evaluation: row.evaluation,
  };
}

function fromSlot(row: SlotRow): Interview {
  return {
    id: row.id,
    accountId: row.accountId,
    applicationId: row.applicationId,
    applicantName: row.applicantName,
    source: 'provider',
    title: [row.conferenceName, row.groupName].filter((part) => part !== null && part !== '').join(' · ') || 'Conference interview',
    startsAt: utc(row.startsAt),
    endsAt: utc(row.endsAt),
    timeZone: row.timeZone,
    place: row.place,
    videoUrl: null,
    interviewers: [],
    status: 'confirmed',
    notes: '',
    evaluation: '',
  };
}

/**
 * Local interviews and the provider's imported slots, in time order. A slot the reviewer has
 * adopted (saved as a local interview with notes, interviewers…) appears once, as the local one.
 * Local ids start at 1,000,000,000 (see the schema), so ids are unique across both sources.
 */
export function listInterviews(db: Db, range: InterviewRange = {}): Interview[] {
  const localWhere = rangeWhere(db, 'i', range);
  const local = (db.prepare(`${localSelect} WHERE ${localWhere.sql}`).all(...localWhere.params) as LocalRow[]).map(fromLocal);
  const slotWhere = rangeWhere(db, 's', range);
  const slots = (db
    .prepare(`SELECT s.id, s.account_id AS accountId, a.id AS applicationId, ${displayName} AS applicantName,
        s.conference_name AS conferenceName, s.group_name AS groupName, s.starts_at AS startsAt, s.ends_at AS endsAt,
        s.time_zone AS timeZone, s.place
      FROM interview_slots s
      LEFT JOIN applications a ON a.account_id = s.account_id AND a.remote_id = s.application_remote_id
      LEFT JOIN applicants ap ON ap.id = a.applicant_id
      WHERE s.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.slot_id = s.id) AND ${slotWhere.sql}`)
    .all(...slotWhere.params) as SlotRow[]).map(fromSlot);
  return [...local, ...slots].sort((left, right) => left.startsAt.localeCompare(right.startsAt) || left.id - right.id);
}

function localInterview(db: Db, id: number): Interview | undefined {
  const row = db.prepare(`${localSelect} WHERE i.id = ?`).get(id) as LocalRow | undefined;
  return row ? fromLocal(row) : undefined;
}

/** An interview belongs to its application's account; one without an application to the first account. */
function owningAccount(db: Db, applicationId: number | null): { accountId: number; applicationRemoteId: string | null } {
  if (applicationId !== null) {
    const key = applicationKey(db, applicationId);
    return { accountId: key.accountId, applicationRemoteId: key.remoteId };
  }
  const account = db.prepare('SELECT id FROM accounts ORDER BY id LIMIT 1').get() as { id: number } | undefined;
  if (!account) throw new DossierError('input.invalid', 'Add an account before scheduling interviews.', { field: 'applicationId' });
  return { accountId: account.id, applicationRemoteId: null };
}

/** Creates or updates a local interview. Times are stored in UTC; the zone it was planned in is kept for display. */
export function saveInterview(db: Db, draft: InterviewDraft): Interview {
  return db.transaction(() => {
    const owner = owningAccount(db, draft.applicationId);
    const values = {
      account: owner.accountId,
      application: owner.applicationRemoteId,
      title: draft.title,
      startsAt: utc(draft.startsAt),
      endsAt: utc(draft.endsAt),
      timeZone: draft.timeZone,
      place: draft.place,
      videoUrl: draft.videoUrl,
      interviewers: JSON.stringify(draft.interviewers),
      status: draft.status,
      notes: draft.notes,
      evaluation: draft.evaluation,
      now: nowIso(),
    };
    if (draft.id !== undefined) {
      const changed = db
        .prepare(`UPDATE interviews SET account_id = @account, application_remote_id = @application, title = @title,
            starts_at = @startsAt, ends_at = @endsAt, time_zone = @timeZone, place = @place, video_url = @videoUrl,
            interviewers_json = @interviewers, status = @status, notes = @notes, evaluation = @evaluation, updated_at = @now
          WHERE id = @id`)
        .run({ ...values, id: draft.id }).changes;
      if (changed === 0) throw new DossierError('input.invalid', 'That interview no longer exists. Reload the agenda.', { field: 'id', id: draft.id });
      return localInterview(db, draft.id) as Interview;
    }
    // Saving over an imported slot (same application, same start) adopts it instead of duplicating it.
    const slot = owner.applicationRemoteId === null
      ? undefined
      : (db
          .prepare(`SELECT s.id FROM interview_slots s WHERE s.account_id = ? AND s.application_remote_id = ? AND s.removed_at IS NULL
              AND julianday(s.starts_at) = julianday(?) AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.slot_id = s.id)`)
          .get(owner.accountId, owner.applicationRemoteId, values.startsAt) as { id: number } | undefined);
    const id = Number(db
      .prepare(`INSERT INTO interviews (account_id, application_remote_id, slot_id, title, starts_at, ends_at, time_zone, place,
          video_url, interviewers_json, status, notes, evaluation, created_at, updated_at)
        VALUES (@account, @application, @slot, @title, @startsAt, @endsAt, @timeZone, @place, @videoUrl, @interviewers,
          @status, @notes, @evaluation, @now, @now)`)
      .run({ ...values, slot: slot?.id ?? null }).lastInsertRowid);
    return localInterview(db, id) as Interview;
  })();
}

export function removeInterview(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM interviews WHERE id = ?').run(id).changes > 0;
}

