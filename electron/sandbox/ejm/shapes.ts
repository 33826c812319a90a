import { addSeconds, zonelessDateTime } from '../people.ts';
import { fileTypeNames, type Applicant, type Application, type Conference, type Dataset, type FileRecord, type InterviewSlot, type Letter } from './dataset.ts';

/** The JSON objects of docs/providers/reference.md §1.5, field for field, with the documented quirks. */

const when = (date: Date | null) => (date === null ? null : zonelessDateTime(date));

/**
 * JSON as PHP's json_encode writes it by default: `/` escaped as `\/` and every non-ASCII UTF-16
 * unit as `\uXXXX`. Any JSON parser reads it back unchanged.
 */
export function phpJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('/', '\\/')
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** PHP encodes an empty associative array as `[]`, a non-empty one as an object. */
function phpMap(entries: [number, string][]): Record<string, string> | [] {
  return entries.length === 0 ? [] : Object.fromEntries(entries.map(([key, value]) => [String(key), value]));
}

export function applicantJson(data: Dataset, applicant: Applicant): Record<string, unknown> {
  const { person } = applicant;
  const ack = applicant.clientVariant
    ? { ack_date: zonelessDateTime(applicant.enrollDate).slice(0, 10), cv_url: `https://econjobmarket.org/documents/cv/${applicant.aid}` }
    : { ackdate: zonelessDateTime(applicant.enrollDate).slice(0, 10) };
  return {
    error: false,
    aid: applicant.aid,
    id: applicant.userId,
    enrolldate: when(applicant.enrollDate),
    changedate: when(applicant.changeDate),
    email: person.email,
    fname: person.first,
    mname: person.middle,
    lname: person.last,
    country: applicant.currentInstitution.country,
    phone: person.phone,
    fax: '',
    url: '',
    category_id: 14,
    categories: String(applicant.secondaryFields[0]?.id ?? applicant.primaryField.id),
    primary_field: applicant.primaryField.name,
    degreetype: 'Ph.D.',
    degreeinst: applicant.institution.name,
    degreebegyear: applicant.degreeBegin,
    degreeendyear: applicant.degreeEnd,
    curpos: applicant.currentPosition,
    curinst: applicant.currentInstitution.name,
    ethnic: '',
    ethnicity: '',
    race: '',
    gender: person.gender,
    is_contactok: 1,
    ...ack,
    nationality: person.nationality,
    status: 0,
    statusinactivedate: null,
    last_revised_time: when(applicant.changeDate),
    // The documented value carries a trailing comma ("Political Economy,").
    secondary_fields: phpMap(applicant.secondaryFields.map((field) => [field.id, `${field.name},`])),
    conferences: phpMap(applicant.conferenceIds.flatMap((id) => {
      const conference = data.conferences.get(id);
      return conference ? [[id, conference.name] as [number, string]] : [];
    })),
  };
}

function applicationFileJson(data: Dataset, application: Application, file: FileRecord): Record<string, unknown> {
  const type = fileTypeNames[file.typeId];
  return {
    file_id: file.fileId,
    posting_doc_id: data.positions.get(application.posid)?.postingDocIds[file.typeId] ?? null,
    description: type?.description ?? 'Document',
    created_at: when(file.createdAt),
    updated_at: when(file.updatedAt),
    aid: file.aid,
    // Every documented example says "cv" here, whatever the document is.
    type: 'cv',
    blobid: file.blobid,
    type_id: file.typeId,
    name: type?.name ?? 'other',
    long_description: file.longDescription,
  };
}

function recommendationJson(letter: Letter): Record<string, unknown> {
  return {
    recid: letter.recid,
    email: letter.writer.email,
    fname: letter.writer.first,
    lname: letter.writer.last,
    institution: letter.writerInstitution.name,
    department: letter.writerDepartment,
    last_reverified: when(letter.reverifiedAt),
    reverified_by: null,
    letterid: letter.letterid,
    blobid: letter.blobid,
    created_at: when(letter.createdAt),
    updated_at: when(letter.updatedAt),
  };
}

export function applicationJson(data: Dataset, application: Application): Record<string, unknown> {
  const applicant = data.applicants.get(application.aid);
  const position = data.positions.get(application.posid);
  const files = (applicant?.fileIds ?? []).flatMap((id) => data.files.get(id) ?? []);
  const letters = (applicant?.letterIds ?? []).flatMap((id) => data.letters.get(id) ?? []);
  return {
    appid: application.appid,
    aid: application.aid,
    fname: applicant?.person.first ?? null,
    lname: applicant?.person.last ?? null,
    degreeinst: applicant?.institution.name ?? null,
    posid: application.posid,
    appdate: when(application.appDate),
    changedate: when(application.changeDate),
    adtitle: position?.adtitle ?? null,
    files: files.map((file) => applicationFileJson(data, application, file)),
    questions: (position?.questions ?? []).map((question) => {
      const answer = application.answers.find((candidate) => candidate.questionId === question.id);
      return {
        id: question.id,
        question: question.question,
        type_id: question.typeId,
        instructions: null,
        sort_order: question.sortOrder,
        // `response` is itself JSON, encoded as a string: {"<option id>":"1"} or {"<option id>":"<text>"}.
        response: answer ? JSON.stringify({ [answer.optionId]: question.typeId === 'text' ? answer.text : '1' }) : null,
        response_id: answer?.optionId ?? null,
        created_at: when(application.appDate),
        updated_at: when(application.appDate),
        response_text: answer?.text ?? null,
      };
    }),
    recommendations: letters.map(recommendationJson),
  };
}

export function fileMetaJson(file: FileRecord, sha1: string | null): Record<string, unknown> {
  return {
    file_id: file.fileId,
    aid: file.aid,
    path: file.link,
    blobid: file.blobid,
    type_id: file.typeId,
    filename: file.filename,
    filesize: file.filesize,
    filetype: file.link === null ? 'application/pdf' : null,
    sha1_hash: sha1,
  };
}

/** The fields of a FileBlob, in the documented order; `filecontent` and `sha1_hash` are streamed in between. */
export function fileBlobHead(file: FileRecord): Record<string, unknown> {
  return {
    file_id: file.fileId,
    blobid: file.blobid,
    filename: file.filename,
    filesize: file.filesize,
    filetype: file.link === null ? 'application/pdf' : null,
    path: file.link,
    type_id: file.typeId,
  };
}

export function letterMetaJson(letter: Letter): Record<string, unknown> {
  const created = letter.createdAt ?? letter.updatedAt;
  return {
    letterid: letter.letterid,
    blobid: letter.blobid,
    a_rid: letter.aRid,
    // As in the documented sample, `date` is `created_at` eight hours later (one of them is Pacific time).
    date: when(addSeconds(created, 8 * 3600)),
    expiry_date: `${zonelessDateTime(addSeconds(created, 90 * 86400)).slice(0, 10)} 00:00:00`,
    name: 'Reference letter',
    notes: null,
    created_at: when(letter.createdAt),
    updated_at: when(letter.updatedAt),
  };
}

export function letterBlobHead(letter: Letter): Record<string, unknown> {
  return { letterid: letter.letterid, blobid: letter.blobid, filename: 'reference_letter.pdf', filesize: letter.filesize, filetype: 'application/pdf' };
}

export function conferenceJson(conference: Conference): Record<string, unknown> {
  return {
    conference_id: conference.conferenceId,
    name: conference.name,
    city: conference.city,
    country: conference.country,
    start_date: when(conference.start),
    end_date: when(conference.end),
    url: conference.url,
    id: conference.locationId,
    room_number: null,
    room_label: null,
    description: null,
    code: null,
    hotel_name: conference.hotelName,
    hotel_full_name: conference.hotelFullName,
    address: conference.address,
    longitude: conference.longitude,
    latitude: conference.latitude,
  };
}

export function slotJson(data: Dataset, slot: InterviewSlot): Record<string, unknown> {
  const conference = data.conferences.get(slot.conferenceId);
  const applicant = data.applicants.get(slot.aid);
  return {
    id: slot.id,
    group_id: slot.groupId,
    name: slot.groupName,
    location_id: conference?.locationId ?? null,
    description: null,
    interviewee_id: slot.intervieweeId,
    start_datetime: when(slot.start),
    end_datetime: when(addSeconds(slot.start, 1800)),
    fname: applicant?.person.first ?? null,
    lname: applicant?.person.last ?? null,
    degreeinst: applicant?.institution.name ?? null,
    appid: slot.appid,
    aid: slot.aid,
    room_label: null,
    room_number: null,
    hotel_full_name: conference?.hotelFullName ?? null,
    address: conference?.address ?? null,
    city: conference?.city ?? null,
  };
}

export function placementOfficersJson(data: Dataset): Record<string, unknown>[] {
  return data.placementOfficers.map((officer) => ({
    department: `${officer.department}, ${officer.institution.name}`,
    name: `${officer.person.first} ${officer.person.last}`,
    fname: officer.person.first,
    lname: officer.person.last,
    email: officer.person.email,
    urlplacement: `https://economics.${officer.institution.domain}/graduate/placement/`,
  }));
}
