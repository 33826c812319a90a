import {
  academicRanks,
  addSeconds,
  currentPositions,
  dateBetween,
  departments,
  economicsFields,
  institutions,
  latinName,
  makePerson,
  type Field,
  type Institution,
  type Person,
} from '../people.ts';
import type { DocumentKind } from '../pdf.ts';
import { Random } from '../random.ts';
import type { Scale } from '../emulator.ts';

/**
 * The EconJobMarket emulator's records: metadata only. Document bytes are produced on demand from
 * each file's or letter's `docSeed` (see documents.ts), so a full season fits in a few MB of memory.
 */

export interface ScaleConfig {
  readonly applicants: number;
  readonly applications: number;
  readonly files: number;
  readonly letters: number;
  readonly positions: number;
  /** Size of the one very large paper every dataset carries, so streaming is always exercised. */
  readonly largeDocumentBytes: number;
  /** Share of job-market papers that are tens of MB. */
  readonly largePaperShare: number;
}

export const scaleConfigs: Record<Scale, ScaleConfig> = {
  small: { applicants: 30, applications: 36, files: 135, letters: 110, positions: 3, largeDocumentBytes: 6 * 1024 * 1024, largePaperShare: 0 },
  medium: { applicants: 240, applications: 288, files: 1080, letters: 880, positions: 4, largeDocumentBytes: 6 * 1024 * 1024, largePaperShare: 0 },
  season: { applicants: 2000, applications: 2400, files: 9000, letters: 8000, positions: 6, largeDocumentBytes: 48 * 1024 * 1024, largePaperShare: 0.01 },
};

export interface Position {
  readonly posid: number;
  readonly adtitle: string;
  /** posting_doc_id per file type_id: the position's document requirements. */
  readonly postingDocIds: Readonly<Record<number, number>>;
  readonly questions: readonly Question[];
}

export interface Question {
  readonly id: number;
  readonly question: string;
  readonly typeId: 'text' | 'check-boxes' | 'radio' | 'multiple-choice';
  readonly options: readonly { readonly id: number; readonly label: string }[];
  readonly sortOrder: number;
}

export interface Applicant {
  readonly aid: number;
  /** EJM user id (`id`), distinct from `aid`. */
  readonly userId: number;
  readonly person: Person;
  readonly institution: Institution;
  readonly currentInstitution: Institution;
  readonly currentPosition: string;
  readonly primaryField: Field;
  readonly secondaryFields: readonly Field[];
  readonly conferenceIds: readonly number[];
  readonly degreeBegin: number;
  readonly degreeEnd: number;
  readonly enrollDate: Date;
  changeDate: Date;
  /** The official client reads `cv_url` and `ack_date`; the docs show `ackdate`. Both shapes are served. */
  readonly clientVariant: boolean;
  readonly fileIds: number[];
  readonly letterIds: number[];
}

export interface FileRecord {
  readonly fileId: number;
  readonly aid: number;
  /** 10 cv, 20 jmpaper, 30 researchstatement, 40 otherpaper, 50 teachingstatement; 25/75 external links. */
  readonly typeId: number;
  readonly kind: DocumentKind | null;
  readonly link: string | null;
  blobid: number | null;
  filename: string | null;
  filesize: number | null;
  docSeed: number;
  readonly createdAt: Date;
  updatedAt: Date;
  readonly longDescription: string;
}

export interface Letter {
  readonly letterid: number;
  readonly aid: number;
  readonly recid: number;
  readonly aRid: number;
  readonly writer: Person;
  readonly writerTitle: string;
  readonly writerInstitution: Institution;
  readonly writerDepartment: string;
  /** 0 or null: the writer has not uploaded the letter yet. */
  blobid: number | null;
  filesize: number;
  docSeed: number;
  /** Recommendations may carry `created_at: null` (documented). */
  readonly createdAt: Date | null;
  updatedAt: Date;
  readonly reverifiedAt: Date;
}

export interface Application {
  readonly appid: number;
  readonly aid: number;
  readonly posid: number;
  readonly appDate: Date;
  changeDate: Date;
  readonly answers: readonly { readonly questionId: number; readonly optionId: number; readonly text: string }[];
}

export interface Conference {
  readonly conferenceId: number;
  readonly locationId: number;
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly start: Date;
  readonly end: Date;
  readonly url: string;
  readonly hotelName: string;
  readonly hotelFullName: string;
  readonly address: string;
  readonly longitude: number;
  readonly latitude: number;
}

export interface InterviewSlot {
  readonly id: number;
  readonly conferenceId: number;
  readonly groupId: number;
  readonly groupName: string;
  readonly appid: number;
  readonly aid: number;
  readonly intervieweeId: number;
  readonly start: Date;
}

export interface Writer {
  readonly person: Person;
  readonly title: string;
  readonly institution: Institution;
  readonly department: string;
}

export interface PlacementOfficer {
  readonly department: string;
  readonly person: Person;
  readonly institution: Institution;
}

/** Mutable by `mutate`; everything keyed by the provider's own ids. */
export interface Dataset {
  readonly seed: number;
  readonly scale: Scale;
  readonly positions: Map<number, Position>;
  readonly applicants: Map<number, Applicant>;
  readonly applications: Map<number, Application>;
  readonly files: Map<number, FileRecord>;
  readonly letters: Map<number, Letter>;
  readonly conferences: Map<number, Conference>;
  readonly slots: InterviewSlot[];
  /** Letter writers, shared across candidates. */
  readonly writers: readonly Writer[];
  readonly placementOfficers: readonly PlacementOfficer[];
  /** Incremented by every mutation; list replies are cached per version. */
  version: number;
  /** The emulator's "now" for mutations: later than every generated date, moves on one hour per mutation batch. */
  clock: Date;
  next: { aid: number; userId: number; appid: number; fileId: number; blobid: number; letterid: number; recid: number; slot: number };
}

const firstAid = 38000;
const seasonStart = new Date('2025-09-01T00:00:00Z');
const seasonEnd = new Date('2025-12-01T00:00:00Z');
const kindByType: Record<number, DocumentKind> = { 10: 'cv', 20: 'paper', 30: 'research', 40: 'paper', 50: 'teaching' };
export const fileTypeNames: Record<number, { name: string; description: string }> = {
  10: { name: 'cv', description: 'Curriculum vitae' },
  20: { name: 'jmpaper', description: 'Job market paper' },
  25: { name: 'videolink', description: 'Video presentation (external link)' },
  30: { name: 'researchstatement', description: 'Research statement' },
  40: { name: 'otherpaper', description: 'Other paper' },
  50: { name: 'teachingstatement', description: 'Teaching statement' },
  75: { name: 'websitelink', description: 'Personal website (external link)' },
};

const positionTitles = [
  'Assistant Professor 2026',
  'Assistant Professor of Economics (Open Field)',
  'Postdoctoral Fellow in Macroeconomics',
  'Research Economist',
  'Lecturer in Economics (Teaching Track)',
  'Assistant Professor, Public Policy',
];

const conferenceTemplates = [
  { name: 'Allied Social Sciences Association', city: 'Philadelphia', country: 'USA', start: '2026-01-03', hotel: 'Marriott Downtown', hotelFull: 'Philadelphia Marriott Downtown', address: '1201 Market Street, 19107', lon: -75.160065, lat: 39.952183 },
  { name: 'EEA Job Market Meeting', city: 'Bordeaux', country: 'France', start: '2025-12-15', hotel: 'Palais de la Bourse', hotelFull: 'Palais de la Bourse Bordeaux', address: '17 Place de la Bourse, 33076', lon: -0.569618, lat: 44.841225 },
  { name: 'Virtual Interviews (Zoom)', city: 'Online', country: 'USA', start: '2025-12-08', hotel: 'Zoom', hotelFull: 'Zoom meeting room', address: 'Online', lon: 0, lat: 0 },
];

const questionTemplates: readonly { question: string; typeId: Question['typeId']; options: readonly string[] }[] = [
  { question: 'Are you a Canadian citizen or Permanent Resident of Canada?', typeId: 'check-boxes', options: ['Yes', 'No'] },
  { question: 'Will you attend the ASSA meetings in January?', typeId: 'radio', options: ['Yes', 'No', 'Undecided'] },
  { question: 'Which teaching areas could you cover?', typeId: 'multiple-choice', options: ['Principles', 'Econometrics', 'Field courses', 'Graduate courses'] },
  { question: 'Where did you learn about this position?', typeId: 'text', options: ['Answer'] },
];
const textAnswers = ['EconJobMarket', 'My advisor forwarded the ad', 'JOE listing and EJM', 'A colleague at the ASSA meetings', 'Département web page — merci!'];

function documentSize(random: Random, typeId: number, config: ScaleConfig): number {
  const kb = 1024;
  switch (typeId) {
    case 10:
      return random.int(40 * kb, 260 * kb);
    case 20:
      return random.chance(config.largePaperShare) ? random.int(10 * kb * kb, 40 * kb * kb) : random.int(180 * kb, 1600 * kb);
    case 40:
      return random.int(120 * kb, 900 * kb);
    default:
      return random.int(20 * kb, 120 * kb);
  }
}

export function letterSize(random: Random): number {
  return random.int(16 * 1024, 180 * 1024);
}

function filenameFor(random: Random, typeId: number, person: Person): string {
  const last = person.last.replace(/\s+/g, '_');
  const options: Record<number, readonly string[]> = {
    10: ['cv.pdf', `${last}_CV.pdf`, `CV ${person.latinFirst} ${person.latinLast}.pdf`, 'CV (final) 09/2025.pdf'],
    20: ['paper 4.pdf', `${last}_JMP.pdf`, 'job market paper.pdf', `JMP_${person.latinLast.toLowerCase()}_nov2025.pdf`],
    30: ['research statement.pdf', `${last} research.pdf`],
    40: ['second paper.pdf', 'coauthored_draft.pdf', `${last}_paper2.pdf`],
    50: ['teaching statement.pdf', `${last}_teaching.pdf`, 'Teaching Statement & Evaluations.pdf'],
  };
  return random.pick(options[typeId] ?? ['document.pdf']);
}

interface Builder {
  readonly data: Dataset;
  readonly config: ScaleConfig;
}

function newFile(builder: Builder, random: Random, applicant: { aid: number; person: Person }, typeId: number, createdAt: Date): FileRecord {
  const { data, config } = builder;
  const fileId = data.next.fileId++;
  const external = typeId === 25 || typeId === 75;
  const kind = kindByType[typeId] ?? null;
  const record: FileRecord = {
    fileId,
    aid: applicant.aid,
    typeId,
    kind,
    link: external ? (typeId === 25 ? `https://youtube.com/watch?v=${fileId.toString(36)}EjM` : `https://sites.google.com/view/${applicant.person.latinLast.toLowerCase()}${fileId % 97}`) : null,
    blobid: external ? null : data.next.blobid++,
    filename: external ? null : filenameFor(random, typeId, applicant.person),
    filesize: external ? null : documentSize(random, typeId, config),
    docSeed: random.int(1, 2 ** 31 - 1),
    createdAt,
    updatedAt: random.chance(0.3) ? addSeconds(createdAt, random.int(3600, 20 * 86400)) : createdAt,
    longDescription: `${fileTypeNames[typeId]?.description ?? 'Document'} ${random.pick(['September', 'October', 'November'])} 2025`,
  };
  data.files.set(fileId, record);
  return record;
}

/** Advisors write for many students: letters draw their writers from a pool, mostly the candidate's own department. */
function pickWriter(data: Dataset, random: Random, institution: Institution, taken: ReadonlySet<Writer>): Writer {
  const local = data.writers.filter((writer) => writer.institution === institution && !taken.has(writer));
  const pool = local.length > 0 && random.chance(0.7) ? local : data.writers;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const writer = random.pick(pool);
    if (!taken.has(writer)) return writer;
  }
  return random.pick(data.writers);
}

function newLetter(builder: Builder, random: Random, aid: number, writer: Writer, createdAt: Date): Letter {
  const { data } = builder;
  const letterid = data.next.letterid++;
  const pending = random.next();
  const letter: Letter = {
    letterid,
    aid,
    recid: data.next.recid++,
    aRid: 100000 + letterid - 13000,
    writer: writer.person,
    writerTitle: writer.title,
    writerInstitution: writer.institution,
    writerDepartment: writer.department,
    blobid: pending < 0.04 ? null : pending < 0.07 ? 0 : data.next.blobid++,
    filesize: letterSize(random),
    docSeed: random.int(1, 2 ** 31 - 1),
    createdAt: random.chance(0.1) ? null : createdAt,
    updatedAt: addSeconds(createdAt, random.int(0, 40 * 86400)),
    reverifiedAt: addSeconds(createdAt, -random.int(86400, 60 * 86400)),
  };
  data.letters.set(letterid, letter);
  return letter;
}

/** One applicant with their files and letters; `fileCount`/`letterCount` keep the season totals exact. */
export function addApplicant(builder: Builder, random: Random, fileCount: number, letterCount: number, when?: Date): Applicant {
  const { data } = builder;
  const aid = data.next.aid++;
  const institution = random.pick(institutions);
  const person = makePerson(random, { emailDomain: random.chance(0.7) ? institution.domain : undefined, unique: aid - firstAid });
  const primaryField = random.pick(economicsFields);
  const secondaryFields = [...new Set([random.pick(economicsFields), random.pick(economicsFields)])].filter((field) => field.id !== primaryField.id).slice(0, random.int(0, 2));
  const enrollDate = when ?? dateBetween(random, new Date('2025-06-01T00:00:00Z'), seasonStart);
  const degreeEnd = random.pick([2025, 2026, 2026, 2026, 2024]);
  const applicant: Applicant = {
    aid,
    userId: 21000 + aid - 38000 + random.int(0, 3),
    person,
    institution,
    currentInstitution: random.chance(0.8) ? institution : random.pick(institutions),
    currentPosition: random.pick(currentPositions),
    primaryField,
    secondaryFields,
    conferenceIds: [...data.conferences.keys()].filter(() => random.chance(0.45)),
    degreeBegin: degreeEnd - random.int(5, 6),
    degreeEnd,
    enrollDate,
    changeDate: when ?? dateBetween(random, enrollDate, seasonEnd),
    clientVariant: aid % 5 === 0,
    fileIds: [],
    letterIds: [],
  };
  const types = [10, 20, 50, 30, random.pick([40, 40, 25, 75]), 40].slice(0, fileCount);
  for (const typeId of types) applicant.fileIds.push(newFile(builder, random, applicant, typeId, when ?? dateBetween(random, enrollDate, seasonEnd)).fileId);
  const writers = new Set<Writer>();
  for (let index = 0; index < letterCount; index += 1) {
    const writer = pickWriter(data, random, institution, writers);
    writers.add(writer);
    applicant.letterIds.push(newLetter(builder, random, aid, writer, when ?? dateBetween(random, enrollDate, seasonEnd)).letterid);
  }
  data.applicants.set(aid, applicant);
  return applicant;
}

export function addApplication(builder: Builder, random: Random, applicant: Applicant, posid: number, when?: Date): Application {
  const { data } = builder;
  const position = data.positions.get(posid);
  if (!position) throw new Error(`no position ${posid}`);
  const appDate = when ?? dateBetween(random, seasonStart, seasonEnd);
  const application: Application = {
    appid: data.next.appid++,
    aid: applicant.aid,
    posid,
    appDate,
    // As in the documented example, an application's changedate follows its applicant's and may precede appdate.
    changeDate: when ?? applicant.changeDate,
    answers: position.questions.map((question) => {
      const option = random.pick(question.options);
      return { questionId: question.id, optionId: option.id, text: question.typeId === 'text' ? random.pick(textAnswers) : option.label };
    }),
  };
  data.applications.set(application.appid, application);
  return application;
}

function makePositions(random: Random, count: number): Map<number, Position> {
  const positions = new Map<number, Position>();
  let questionId = 7210;
  let optionId = 16690;
  for (let index = 0; index < count; index += 1) {
    const posid = 5164 + index * 7;
    const questions = questionTemplates.filter((_, q) => q === 0 || random.chance(0.6)).map((template, sortOrder) => ({
      id: questionId++,
      question: template.question,
      typeId: template.typeId,
      options: template.options.map((label) => ({ id: optionId++, label })),
      sortOrder: sortOrder + 1,
    }));
    const postingDocIds = Object.fromEntries([10, 20, 25, 30, 40, 50, 75].map((typeId, offset) => [typeId, 14385 + index * 10 + offset]));
    positions.set(posid, { posid, adtitle: positionTitles[index % positionTitles.length] as string, postingDocIds, questions });
  }
  return positions;
}

function makeConferences(): Map<number, Conference> {
  return new Map(
    conferenceTemplates.map((template, index) => {
      const start = new Date(`${template.start}T00:00:00Z`);
      const conference: Conference = {
        conferenceId: 15 + index,
        locationId: 157 + index * 3,
        name: template.name,
        city: template.city,
        country: template.country,
        start,
        end: addSeconds(start, 2 * 86400),
        url: `http://www.example-hotels.com/${template.city.toLowerCase()}/${template.hotel.toLowerCase().replace(/\s+/g, '-')}/`,
        hotelName: template.hotel,
        hotelFullName: template.hotelFull,
        address: template.address,
        longitude: template.lon,
        latitude: template.lat,
      };
      return [conference.conferenceId, conference];
    }),
  );
}

const interviewGroups = ['Public', 'Macro', 'Labor', 'Theory', 'Applied Micro'];

/** Interview slots for about one application in six, 30 minutes each from 9:00 on each conference day. */
export function scheduleInterview(data: Dataset, random: Random, application: Application): void {
  const applicant = data.applicants.get(application.aid);
  const conferences = [...data.conferences.values()];
  if (!applicant || conferences.length === 0) return;
  const conference = random.pick(conferences);
  const groupIndex = random.int(0, interviewGroups.length - 1);
  const slotIndex = data.next.slot - 270608;
  const day = Math.floor(slotIndex / 18) % 3;
  const start = addSeconds(conference.start, day * 86400 + 9 * 3600 + (slotIndex % 18) * 1800);
  data.slots.push({
    id: data.next.slot++,
    conferenceId: conference.conferenceId,
    groupId: 272 + groupIndex,
    groupName: interviewGroups[groupIndex] as string,
    appid: application.appid,
    aid: application.aid,
    intervieweeId: applicant.userId,
    start,
  });
}

/** Spreads `total` items over `slots` holders: every holder gets the base count, the first ones one more. */
function share(total: number, slots: number, index: number): number {
  return Math.floor(total / slots) + (index < total % slots ? 1 : 0);
}

export function generateDataset(scale: Scale, seed: number): Dataset {
  const config = scaleConfigs[scale];
  const root = new Random(seed);
  const data: Dataset = {
    seed,
    scale,
    positions: makePositions(root.fork(1), config.positions),
    applicants: new Map(),
    applications: new Map(),
    files: new Map(),
    letters: new Map(),
    conferences: makeConferences(),
    slots: [],
    writers: Array.from({ length: Math.max(24, Math.round(config.letters / 6)) }, (_, index) => {
      const random = root.fork(50_000 + index);
      const institution = random.pick(institutions);
      return { person: makePerson(random, { emailDomain: institution.domain }), title: random.pick(academicRanks), institution, department: random.pick(departments) };
    }),
    placementOfficers: institutions.slice(0, 24).map((institution, index) => ({
      department: departments[0] as string,
      institution,
      person: makePerson(root.fork(900 + index), { emailDomain: institution.domain }),
    })),
    version: 1,
    clock: new Date('2026-01-20T00:00:00Z'),
    next: { aid: firstAid, userId: 21000, appid: 620310, fileId: 731790, blobid: 839961, letterid: 117896, recid: 517, slot: 270608 },
  };
  const builder: Builder = { data, config };
  const posids = [...data.positions.keys()];
  const secondApplications = config.applications - config.applicants;
  for (let index = 0; index < config.applicants; index += 1) {
    const random = root.fork(10_000 + index);
    const applicant = addApplicant(builder, random, share(config.files, config.applicants, index), share(config.letters, config.applicants, index));
    const first = random.pick(posids);
    const apps = [addApplication(builder, random, applicant, first)];
    if (index < secondApplications) apps.push(addApplication(builder, random, applicant, posids[(posids.indexOf(first) + 1) % posids.length] as number));
    for (const application of apps) if (random.chance(1 / 6)) scheduleInterview(data, random, application);
  }
  makeOneDocumentLarge(data, config);
  return data;
}

/** The largest paper is made `largeDocumentBytes`, so every dataset has one document that must be streamed. */
function makeOneDocumentLarge(data: Dataset, config: ScaleConfig): void {
  const paper = [...data.files.values()].find((file) => file.typeId === 20);
  if (paper) paper.filesize = config.largeDocumentBytes;
}

export function builderFor(data: Dataset): Builder {
  return { data, config: scaleConfigs[data.scale] };
}

export function applicantName(applicant: Applicant): string {
  return latinName(applicant.person);
}
