import { z } from 'zod';
import type { DocumentKind } from '../../../../shared/domain.ts';
import { dateText, instant, joinPlace, joinText, listOrEmpty, optionalId, remoteId, text } from '../kit/fields.ts';
import type { AnswerRecord, ApplicantRecord, ApplicationRecord, DocumentRecord, JobRecord, LetterRecord, SlotRecord, Snapshot } from '../kit/records.ts';
import { malformed, parseAs, type Where } from '../kit/validate.ts';

/**
 * EconJobMarket JSON → domain rows (docs/providers/reference.md §1.5). Dates carry no zone and are read in the
 * account's zone. Every list is the whole set, so the snapshot is complete and absence means
 * "removed upstream".
 */

const idMap = z.union([z.record(z.string(), z.union([z.string(), z.number(), z.null()])), z.array(z.union([z.string(), z.number(), z.null()])), z.null()]).optional();

const Applicant = z.looseObject({
  aid: remoteId,
  fname: text,
  mname: text,
  lname: text,
  email: text,
  phone: text,
  country: text,
  nationality: text,
  url: text,
  degreetype: text,
  degreeinst: text,
  degreeendyear: z.union([z.number().int(), z.string().regex(/^\d{4}$/), z.null()]).optional(),
  curpos: text,
  curinst: text,
  primary_field: text,
  secondary_fields: idMap,
  conferences: idMap,
  changedate: dateText,
  last_revised_time: dateText,
});

const ApplicationFile = z.looseObject({
  file_id: remoteId,
  aid: optionalId,
  blobid: optionalId,
  type_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number),
  name: text,
  description: text,
  long_description: text,
  updated_at: dateText,
  path: text,
});

const Question = z.looseObject({
  id: remoteId,
  question: text,
  response: z.string().nullable().optional(),
  response_text: text,
  sort_order: z.number().nullable().optional(),
});

const Recommendation = z.looseObject({
  recid: remoteId,
  email: text,
  fname: text,
  lname: text,
  institution: text,
  department: text,
  letterid: optionalId,
  blobid: optionalId,
  created_at: dateText,
  updated_at: dateText,
});

const Application = z.looseObject({
  appid: remoteId,
  aid: remoteId,
  posid: optionalId,
  adtitle: text,
  appdate: dateText,
  changedate: dateText,
  files: listOrEmpty(ApplicationFile),
  questions: listOrEmpty(Question),
  recommendations: listOrEmpty(Recommendation),
});

const FileMeta = z.looseObject({
  file_id: remoteId,
  aid: optionalId,
  path: text,
  blobid: optionalId,
  type_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number),
  filename: text,
  filesize: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number), z.null()]).optional(),
  filetype: text,
  sha1_hash: z.union([z.string().regex(/^[0-9a-fA-F]{40}$/).transform((hash) => hash.toLowerCase()), z.null()]).optional(),
});

const LetterMeta = z.looseObject({
  letterid: remoteId,
  blobid: optionalId,
  date: dateText,
  name: text,
  updated_at: dateText,
});

const Conference = z.looseObject({ conference_id: remoteId, name: text, city: text });

const Slot = z.looseObject({
  id: remoteId,
  name: text,
  start_datetime: dateText,
  end_datetime: dateText,
  appid: optionalId,
  aid: optionalId,
  hotel_full_name: text,
  room_label: text,
  room_number: text,
  address: text,
  city: text,
});

export type EjmApplication = z.output<typeof Application>;

export interface EjmLists {
  readonly applicants: unknown;
  readonly applications: unknown;
  readonly files: unknown;
  readonly letters: unknown;
  readonly conferences: unknown;
  /** `/api/conferences/{id}` replies, by conference id. */
  readonly slots: ReadonlyMap<string, unknown>;
}

/** External links (type 25 and 75) have no bytes to fetch. */
export const externalLinkTypes: ReadonlySet<number> = new Set([25, 75]);

export function mapEjm(lists: EjmLists, timeZone: string): Snapshot {
  const at = (endpoint: string): Where => ({ provider: 'ejm', endpoint, timeZone });
  const applicants = listOf(Applicant, lists.applicants, at('applicants'));
  const applications = listOf(Application, lists.applications, at('applications'));
  const files = listOf(FileMeta, lists.files, at('files'));
  const letterMetas = listOf(LetterMeta, lists.letters, at('letters'));
  const conferences = listOf(Conference, lists.conferences, at('conferences'));

  const filesById = new Map(files.map((file) => [file.value.file_id, file]));
  const lettersById = new Map(letterMetas.map((letter) => [letter.value.letterid, letter]));

  const jobs = new Map<string, JobRecord>();
  const documents = new Map<string, DocumentRecord>();
  const letters: LetterRecord[] = [];
  const applicationRows: ApplicationRecord[] = [];

  applications.forEach(({ value: application, raw }, index) => {
    const where = at(`applications[${index}]`);
    const date = (field: string, value: string | number | null | undefined) => instant(value, timeZone, () => malformed(where, field, 'is not a date'));
    if (application.posid && !jobs.has(application.posid)) {
      jobs.set(application.posid, {
        remoteId: application.posid,
        remoteVersion: null,
        raw: { posid: application.posid, adtitle: application.adtitle },
        title: application.adtitle ?? `Position ${application.posid}`,
        department: null,
        location: null,
        status: null,
        postedAt: null,
        closesAt: null,
      });
    }
    applicationRows.push({
      remoteId: application.appid,
      remoteVersion: typeof application.changedate === 'string' ? application.changedate : null,
      raw,
      jobRemoteId: application.posid,
      applicantRemoteId: application.aid,
      jobTitle: application.adtitle,
      appliedAt: date('appdate', application.appdate),
      remoteStatus: null,
      lettersExpected: application.recommendations.length,
      answers: application.questions
        .toSorted((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0))
        .map((question) => answerOf(question)),
    });
    for (const file of application.files) {
      if (documents.has(`file:${file.file_id}`)) continue;
      documents.set(`file:${file.file_id}`, fileDocument(file, filesById.get(file.file_id), application));
    }
    application.recommendations.forEach((recommendation, position) => {
      const meta = recommendation.letterid ? lettersById.get(recommendation.letterid) : undefined;
      const blobid = meta?.value.blobid ?? recommendation.blobid;
      const letterId = recommendation.letterid && blobid ? recommendation.letterid : null;
      const writerName = joinText([recommendation.fname, recommendation.lname]) ?? recommendation.email ?? 'Unknown writer';
      letters.push({
        remoteId: recommendation.recid,
        remoteVersion: joinText([String(recommendation.updated_at ?? ''), blobid], ':'),
        raw: { recommendation: rawAt(raw, 'recommendations', position), letter: meta?.raw ?? null },
        applicationRemoteId: application.appid,
        applicantRemoteId: application.aid,
        writerName,
        writerEmail: recommendation.email,
        writerInstitution: recommendation.institution,
        writerDepartment: recommendation.department,
        receivedAt: blobid ? date('recommendations.date', meta?.value.date ?? recommendation.updated_at) : null,
        documentRemoteId: letterId,
      });
      if (letterId && blobid && !documents.has(`letter:${letterId}`)) {
        documents.set(`letter:${letterId}`, {
          remoteId: letterId,
          remoteVersion: `${blobid}:${String(meta?.value.updated_at ?? recommendation.updated_at ?? '')}`,
          raw: meta?.raw ?? { letterid: letterId, blobid },
          kind: 'letter',
          applicantRemoteId: application.aid,
          applicationRemoteId: application.appid,
          title: `Letter from ${writerName}`,
          fileName: null,
          mimeType: null,
          size: null,
          externalUrl: null,
          remoteSha1: null,
        });
      }
    });
  });

  // Files no application lists still belong to the applicant's packet.
  for (const [fileId, meta] of filesById) {
    if (documents.has(`file:${fileId}`)) continue;
    const owner = meta.value.aid;
    documents.set(`file:${fileId}`, fileDocument({ file_id: fileId, aid: owner, blobid: meta.value.blobid, type_id: meta.value.type_id, name: null, description: null, long_description: null, updated_at: null, path: meta.value.path }, meta, null));
  }

  const slots: SlotRecord[] = [];
  for (const { value: conference } of conferences) {
    const reply = lists.slots.get(conference.conference_id);
    if (reply === undefined) continue;
    const where = at(`conferences/${conference.conference_id}`);
    for (const { value: slot, raw } of listOf(Slot, reply, where)) {
      const date = (field: string, value: string | number | null | undefined) => instant(value, timeZone, () => malformed(where, field, 'is not a date'));
      const startsAt = date('start_datetime', slot.start_datetime);
      const endsAt = date('end_datetime', slot.end_datetime);
      if (!startsAt || !endsAt) throw malformed(where, 'start_datetime', 'is missing');
      slots.push({
        remoteId: slot.id,
        remoteVersion: null,
        raw,
        conferenceRemoteId: conference.conference_id,
        conferenceName: conference.name,
        groupName: slot.name,
        startsAt,
        endsAt,
        timeZone,
        place: joinPlace([slot.hotel_full_name, slot.room_label ?? slot.room_number, slot.address, slot.city]),
        applicationRemoteId: slot.appid,
        applicantRemoteId: slot.aid,
      });
    }
  }

  return {
    jobs: { rows: [...jobs.values()], complete: true },
    applicants: { rows: applicants.map(({ value, raw }) => applicantRecord(value, raw)), complete: true },
    applications: { rows: applicationRows, complete: true },
    documents: { rows: [...documents.values()], complete: true },
    letters: { rows: letters, complete: true },
    slots: { rows: slots, complete: true },
  };
}

function rawAt(raw: unknown, key: string, index: number): unknown {
  const list = (raw as Record<string, unknown>)[key];
  return Array.isArray(list) ? list[index] : undefined;
}

/** Parses each element of a list reply, keeping its raw JSON; duplicate ids keep the first. */
function listOf<Schema extends z.ZodType>(schema: Schema, reply: unknown, where: Where): { value: z.output<Schema>; raw: unknown }[] {
  if (!Array.isArray(reply)) {
    if (reply && typeof reply === 'object' && 'error' in reply && (reply as { error: unknown }).error) {
      throw malformed(where, 'error', `reports "${String((reply as { error_description?: unknown }).error_description ?? (reply as { error: unknown }).error)}"`);
    }
    throw malformed(where, 'body', 'is not a list');
  }
  return reply.map((raw, index) => ({ value: parseAs(schema, raw, where, `[${index}]`), raw }));
}

function applicantRecord(applicant: z.output<typeof Applicant>, raw: unknown): ApplicantRecord {
  const secondary = Object.values(applicant.secondary_fields ?? {})
    .map((name) => String(name ?? '').replace(/[,;\s]+$/, '').trim())
    .filter((name) => name !== '');
  const fields = [...new Set([applicant.primary_field, ...secondary].filter((name): name is string => Boolean(name)))];
  const version = applicant.changedate ?? applicant.last_revised_time;
  return {
    remoteId: applicant.aid,
    remoteVersion: typeof version === 'string' ? version : null,
    raw,
    firstName: applicant.fname,
    middleName: applicant.mname,
    lastName: applicant.lname,
    email: applicant.email,
    phone: applicant.phone,
    country: applicant.country,
    nationality: applicant.nationality,
    url: applicant.url,
    institution: applicant.degreeinst,
    degree: applicant.degreetype,
    degreeYear: applicant.degreeendyear === null || applicant.degreeendyear === undefined ? null : Number(applicant.degreeendyear),
    currentPosition: applicant.curpos,
    currentInstitution: applicant.curinst,
    primaryField: applicant.primary_field,
    fields,
  };
}

/** `response` is a JSON-encoded string (`"{\"16694\":\"1\"}"`); `response_text` is the readable answer when given. */
function answerOf(question: z.output<typeof Question>): AnswerRecord {
  if (question.response_text) return { question: question.question ?? '', answer: question.response_text };
  const response = question.response ?? '';
  let decoded: unknown = response;
  try {
    decoded = JSON.parse(response);
  } catch {
    // A plain string answer.
  }
  const answer = decoded && typeof decoded === 'object' ? Object.values(decoded).map(String).join(', ') : String(decoded ?? '');
  return { question: question.question ?? '', answer };
}

function documentKind(typeId: number, name: string | null): DocumentKind {
  if (externalLinkTypes.has(typeId)) return 'link';
  const key = (name ?? '').toLowerCase();
  if (typeId === 10 || key === 'cv') return 'cv';
  if (typeId === 20 || key.includes('paper')) return 'paper';
  if (typeId === 50 || key.includes('statement')) return 'statement';
  return 'other';
}

function fileDocument(file: z.output<typeof ApplicationFile>, meta: { value: z.output<typeof FileMeta>; raw: unknown } | undefined, application: EjmApplication | null): DocumentRecord {
  const typeId = meta?.value.type_id ?? file.type_id;
  const kind = documentKind(typeId, file.name);
  const blobid = meta?.value.blobid ?? file.blobid;
  const sha1 = meta?.value.sha1_hash ?? null;
  const externalUrl = kind === 'link' ? (meta?.value.path ?? file.path) : null;
  return {
    remoteId: file.file_id,
    remoteVersion: kind === 'link' ? externalUrl : `${blobid ?? ''}:${sha1 ?? ''}`,
    raw: { file, meta: meta?.raw ?? null },
    kind,
    applicantRemoteId: file.aid ?? application?.aid ?? null,
    applicationRemoteId: application?.appid ?? null,
    title: file.description ?? file.long_description ?? meta?.value.filename ?? `File ${file.file_id}`,
    fileName: meta?.value.filename ?? null,
    mimeType: meta?.value.filetype ?? null,
    size: typeof meta?.value.filesize === 'number' ? meta.value.filesize : null,
    externalUrl,
    remoteSha1: sha1,
  };
}
