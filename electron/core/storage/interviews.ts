import type { Interview, InterviewStatus } from '../../../shared/domain.ts';
import { nowIso } from '../base/time.ts';
import { displayName, type ApplicationKey } from './applications-query.ts';
import { stringArray } from './json-columns.ts';
import { Table } from './table.ts';

/** Stored instants are UTC ISO-8601; anything the sync stored in another ISO form is normalised on the way out. */
function utc(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** Which interviews a list holds: those overlapping `from`–`to`, of one application when given. */
export interface InterviewWindow {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly application?: Pick<ApplicationKey, 'accountId' | 'remoteId'> | undefined;
}

/** When and where an interview is, whoever scheduled it; instants in UTC. */
interface Appointment {
  readonly accountId: number;
  readonly applicationRemoteId: string | null;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly place: string | null;
}

/** A local interview as the reviewer saves it; its times are stored in UTC. */
export interface InterviewValues extends Appointment {
  readonly title: string;
  readonly videoUrl: string | null;
  readonly interviewers: readonly string[];
  readonly status: InterviewStatus;
  readonly notes: string;
  readonly evaluation: string;
}

/** A local interview as the calendar export reads it. */
export interface CalendarInterview extends Omit<InterviewValues, 'notes' | 'evaluation'> {
  readonly id: number;
  readonly updatedAt: string;
}

/** A provider's interview slot as the calendar export reads it. */
export interface CalendarSlot extends Appointment {
  readonly id: number;
  readonly conferenceName: string | null;
  readonly groupName: string | null;
  readonly updatedAt: string;
}

/** The columns every listed interview has: which application it is for, and that applicant's name. */
interface ListedRow extends Omit<Appointment, 'applicationRemoteId'> {
  readonly id: number;
  readonly applicationId: number | null;
  readonly applicantName: string | null;
}

interface LocalRow extends ListedRow, Omit<InterviewValues, keyof Appointment | 'interviewers'> {
  readonly interviewersJson: string;
}

interface SlotRow extends ListedRow {
  readonly conferenceName: string | null;
  readonly groupName: string | null;
}

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
 * Both lists overlap-match the window (an interview that started before `from` but is still
 * running counts) and, for one application, go through the (account, application) indexes.
 */
function windowWhere(alias: string, window: InterviewWindow): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (window.from !== undefined) {
    clauses.push(`julianday(${alias}.ends_at) > julianday(?)`);
    params.push(window.from);
  }
  if (window.to !== undefined) {
    clauses.push(`julianday(${alias}.starts_at) < julianday(?)`);
    params.push(window.to);
  }
  if (window.application !== undefined) {
    clauses.push(`${alias}.account_id = ? AND ${alias}.application_remote_id = ?`);
    params.push(window.application.accountId, window.application.remoteId);
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

const localSelect = `SELECT i.id, i.account_id AS accountId, a.id AS applicationId, ${displayName} AS applicantName,
    i.title, i.starts_at AS startsAt, i.ends_at AS endsAt, i.time_zone AS timeZone, i.place, i.video_url AS videoUrl,
    i.interviewers_json AS interviewersJson, i.status, i.notes, i.evaluation
  FROM interviews i
  LEFT JOIN applications a ON a.account_id = i.account_id AND a.remote_id = i.application_remote_id
  LEFT JOIN applicants ap ON ap.id = a.applicant_id`;

const slotSelect = `SELECT s.id, s.account_id AS accountId, a.id AS applicationId, ${displayName} AS applicantName,
    s.conference_name AS conferenceName, s.group_name AS groupName, s.starts_at AS startsAt, s.ends_at AS endsAt,
    s.time_zone AS timeZone, s.place
  FROM interview_slots s
  LEFT JOIN applications a ON a.account_id = s.account_id AND a.remote_id = s.application_remote_id
  LEFT JOIN applicants ap ON ap.id = a.applicant_id`;

/** A slot the reviewer has adopted (saved as a local interview) is listed once, as the local one. */
const notAdopted = 'NOT EXISTS (SELECT 1 FROM interviews i WHERE i.slot_id = s.id)';

function parametersOf(values: InterviewValues) {
  return {
    account: values.accountId,
    application: values.applicationRemoteId,
    title: values.title,
    startsAt: utc(values.startsAt),
    endsAt: utc(values.endsAt),
    timeZone: values.timeZone,
    place: values.place,
    videoUrl: values.videoUrl,
    interviewers: JSON.stringify(values.interviewers),
    status: values.status,
    notes: values.notes,
    evaluation: values.evaluation,
    now: nowIso(),
  };
}

type InterviewParameters = ReturnType<typeof parametersOf>;

/**
 * The reviewer's own interviews (`interviews`) and the provider's imported slots
 * (`interview_slots`). Local ids start at 1,000,000,000 (see the schema), so ids are unique
 * across both sources.
 */
export class InterviewsTable extends Table {
  /** Local interviews and the slots not adopted, in time order. A window's SQL is one of eight texts, so each is kept. */
  list(window: InterviewWindow): Interview[] {
    const localWhere = windowWhere('i', window);
    const local = this.sql<unknown[], LocalRow>(`${localSelect} WHERE ${localWhere.sql}`).all(...localWhere.params).map(fromLocal);
    const slotWhere = windowWhere('s', window);
    const slots = this.sql<unknown[], SlotRow>(`${slotSelect} WHERE s.removed_at IS NULL AND ${notAdopted} AND ${slotWhere.sql}`)
      .all(...slotWhere.params).map(fromSlot);
    return [...local, ...slots].sort((left, right) => left.startsAt.localeCompare(right.startsAt) || left.id - right.id);
  }

  /** A local interview. */
  get(id: number): Interview | undefined {
    const row = this.sql<[number], LocalRow>(`${localSelect} WHERE i.id = ?`).get(id);
    return row === undefined ? undefined : fromLocal(row);
  }

  /** The slot of that application starting at that instant which no local interview has adopted yet. */
  adoptableSlot(application: Pick<ApplicationKey, 'accountId' | 'remoteId'>, startsAt: string): number | undefined {
    return this.sql<[number, string, string], number>(
      `SELECT s.id FROM interview_slots s WHERE s.account_id = ? AND s.application_remote_id = ? AND s.removed_at IS NULL
         AND julianday(s.starts_at) = julianday(?) AND ${notAdopted}`,
    ).pluck().get(application.accountId, application.remoteId, utc(startsAt));
  }

  /** Adds a local interview, adopting `slotId` when given; returns its id. */
  insert(values: InterviewValues, slotId: number | null): number {
    return Number(this.sql<[InterviewParameters & { slot: number | null }]>(
      `INSERT INTO interviews (account_id, application_remote_id, slot_id, title, starts_at, ends_at, time_zone, place,
          video_url, interviewers_json, status, notes, evaluation, created_at, updated_at)
        VALUES (@account, @application, @slot, @title, @startsAt, @endsAt, @timeZone, @place, @videoUrl, @interviewers,
          @status, @notes, @evaluation, @now, @now)`,
    ).run({ ...parametersOf(values), slot: slotId }).lastInsertRowid);
  }

  /** False when no local interview has that id. */
  update(id: number, values: InterviewValues): boolean {
    return this.sql<[InterviewParameters & { id: number }]>(
      `UPDATE interviews SET account_id = @account, application_remote_id = @application, title = @title,
          starts_at = @startsAt, ends_at = @endsAt, time_zone = @timeZone, place = @place, video_url = @videoUrl,
          interviewers_json = @interviewers, status = @status, notes = @notes, evaluation = @evaluation, updated_at = @now
        WHERE id = @id`,
    ).run({ ...parametersOf(values), id }).changes > 0;
  }

  remove(id: number): boolean {
    return this.sql<[number]>('DELETE FROM interviews WHERE id = ?').run(id).changes > 0;
  }

  /** Every local interview as stored, in start order (the calendar export's). */
  allLocal(): CalendarInterview[] {
    return this.sql<[], Omit<CalendarInterview, 'interviewers'> & { interviewersJson: string }>(
      `SELECT id, account_id AS accountId, application_remote_id AS applicationRemoteId, title, starts_at AS startsAt, ends_at AS endsAt,
              time_zone AS timeZone, place, video_url AS videoUrl, interviewers_json AS interviewersJson, status, updated_at AS updatedAt
         FROM interviews ORDER BY starts_at, id`,
    ).all().map(({ interviewersJson, ...row }) => ({ ...row, interviewers: stringArray(interviewersJson) }));
  }

  /** The provider's slots still listed upstream that no local interview has adopted, in start order. */
  openSlots(): CalendarSlot[] {
    return this.sql<[], CalendarSlot>(
      `SELECT s.id, s.account_id AS accountId, s.application_remote_id AS applicationRemoteId, s.starts_at AS startsAt, s.ends_at AS endsAt,
              s.time_zone AS timeZone, s.place, s.conference_name AS conferenceName, s.group_name AS groupName, s.synced_at AS updatedAt
         FROM interview_slots s
        WHERE s.removed_at IS NULL AND ${notAdopted}
        ORDER BY s.starts_at, s.id`,
    ).all();
  }
}
