import { countForScale } from '../emulator.ts';
import { currentPositions, dateBetween, economicsFields, institutions, makePerson, type Person } from '../people.ts';
import { Random } from '../random.ts';

/**
 * Records shaped like the objects of Greenhouse's Harvest v1 documentation
 * (docs/providers/published/greenhouse-harvest.md): candidates with their applications and
 * attachments, jobs, scheduled interviews. Timestamps are ISO-8601 UTC with milliseconds, as the
 * documentation's examples are. The organisation is an economics department hiring faculty and
 * postdocs (invented, README "Data").
 */

export interface NamedRef {
  id: number;
  name: string;
}

export interface UserRef {
  id: number;
  first_name: string;
  last_name: string;
  name: string;
  employee_id: string | null;
}

export interface Job {
  id: number;
  name: string;
  requisition_id: string;
  notes: string;
  confidential: boolean;
  status: 'open' | 'closed' | 'draft';
  created_at: string;
  opened_at: string | null;
  closed_at: string | null;
  updated_at: string;
  is_template: boolean;
  copied_from_id: number | null;
  departments: { id: number; name: string; parent_id: number | null; child_ids: number[]; external_id: string | null }[];
  offices: { id: number; name: string; location: { name: string }; primary_contact_user_id: number | null; parent_id: number | null; child_ids: number[]; external_id: string | null }[];
  custom_fields: Record<string, unknown>;
  keyed_custom_fields: Record<string, unknown>;
  hiring_team: { hiring_managers: UserRef[]; recruiters: (UserRef & { responsible: boolean })[]; coordinators: (UserRef & { responsible: boolean })[]; sourcers: UserRef[] };
  openings: { id: number; opening_id: string | null; status: 'open' | 'closed'; opened_at: string; closed_at: string | null; application_id: number | null; close_reason: NamedRef | null }[];
}

export const attachmentTypes = ['resume', 'cover_letter', 'offer_packet', 'offer_letter', 'take_home_test', 'other'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

/** An attachment as stored: the signed `url` is made for each reply (server.ts), never stored. */
export interface StoredAttachment {
  /** The storage key (the object's path on the storage host); not part of the documented object. */
  key: string;
  filename: string;
  type: AttachmentType;
  created_at: string;
  /** Seed and size of the generated PDF. */
  seed: number;
  bytes: number;
  title: string;
}

export interface Application {
  id: number;
  candidate_id: number;
  prospect: boolean;
  applied_at: string;
  rejected_at: string | null;
  last_activity_at: string;
  location: { address: string } | null;
  source: { id: number; public_name: string };
  credited_to: UserRef | null;
  rejection_reason: { id: number; name: string; type: NamedRef } | null;
  rejection_details: null;
  jobs: NamedRef[];
  job_post_id: number | null;
  status: 'active' | 'rejected' | 'hired' | 'converted';
  current_stage: NamedRef | null;
  answers: { question: string; answer: string }[];
  prospective_office: null;
  prospective_department: null;
  prospect_detail: { prospect_pool: null; prospect_stage: null; prospect_owner: null };
  custom_fields: Record<string, unknown>;
  keyed_custom_fields: Record<string, unknown>;
  attachments: StoredAttachment[];
}

export interface Candidate {
  id: number;
  first_name: string;
  last_name: string;
  company: string | null;
  title: string | null;
  created_at: string;
  updated_at: string;
  last_activity: string;
  is_private: boolean;
  photo_url: null;
  phone_numbers: { value: string; type: 'home' | 'work' | 'mobile' | 'skype' | 'other' }[];
  addresses: { value: string; type: 'home' | 'work' | 'other' }[];
  email_addresses: { value: string; type: 'personal' | 'work' | 'other' }[];
  website_addresses: { value: string; type: 'personal' | 'company' | 'portfolio' | 'blog' | 'other' }[];
  social_media_addresses: { value: string }[];
  recruiter: UserRef | null;
  coordinator: UserRef | null;
  can_email: boolean;
  tags: string[];
  educations: { id: number; school_name: string; degree: string; discipline: string; start_date: string; end_date: string }[];
  employments: { id: number; company_name: string; title: string; start_date: string; end_date: string | null }[];
  linked_user_ids: number[];
  custom_fields: Record<string, unknown>;
  keyed_custom_fields: Record<string, unknown>;
  /** Not a documented field: the person, for the generated documents' text. */
  person: Person;
}

export interface ScheduledInterview {
  id: number;
  application_id: number;
  external_event_id: string;
  start: { date_time: string } | { date: string };
  end: { date_time: string } | { date: string };
  location: string | null;
  video_conferencing_url: string | null;
  status: 'scheduled' | 'awaiting_feedback' | 'complete';
  created_at: string;
  updated_at: string;
  interview: NamedRef;
  organizer: UserRef;
  interviewers: { id: number; employee_id: string | null; name: string; email: string; response_status: 'needs_action' | 'declined' | 'tentative' | 'accepted'; scorecard_id: number | null }[];
}

export interface GreenhouseData {
  readonly users: UserRef[];
  readonly jobs: Map<number, Job>;
  /** Insertion order = id order, so paging is stable. */
  readonly candidates: Map<number, Candidate>;
  readonly applications: Map<number, Application>;
  readonly interviews: Map<number, ScheduledInterview>;
  nextCandidateId: number;
  nextApplicationId: number;
  nextInterviewId: number;
}

const dayMs = 86_400_000;
export const timestamp = (date: Date): string => date.toISOString();

const stages: readonly NamedRef[] = [
  { id: 3101, name: 'Application Review' },
  { id: 3102, name: 'Committee Screen' },
  { id: 3103, name: 'Preliminary Interview' },
  { id: 3104, name: 'Campus Visit' },
  { id: 3105, name: 'Offer' },
];
const sources: readonly { id: number; public_name: string }[] = [
  { id: 2, public_name: 'Jobs page on your website' },
  { id: 14, public_name: 'EconJobMarket' },
  { id: 15, public_name: 'AEA JOE' },
  { id: 16, public_name: 'Referral' },
];
const interviewKinds: readonly NamedRef[] = [
  { id: 7001, name: 'Preliminary Interview' },
  { id: 7002, name: 'Job Talk' },
  { id: 7003, name: 'Meeting with the Chair' },
];
const jobShapes: readonly { name: (field: string) => string; department: string }[] = [
  { name: (field) => `Assistant Professor of Economics (${field})`, department: 'Faculty Recruiting' },
  { name: (field) => `Postdoctoral Fellow in ${field}`, department: 'Research Centre' },
  { name: (field) => `Lecturer in ${field}`, department: 'Teaching Faculty' },
  { name: () => 'Associate Professor of Economics (open field)', department: 'Faculty Recruiting' },
];

export function recordCounts(scale: string): { jobs: number; candidates: number } {
  if (scale === 'season') return { jobs: 12, candidates: 2400 };
  const candidates = countForScale(scale, 30, 'candidates');
  return { jobs: Math.max(1, Math.min(12, Math.ceil(candidates / 8))), candidates };
}

/**
 * The whole organisation at `scale`, drawn from `seed`. Every date lies in the 120 days before
 * `anchor`, so only mutations land "now".
 */
export function generate(seed: number, scale: string, anchor: Date): GreenhouseData {
  const counts = recordCounts(scale);
  const random = new Random(seed);
  const users = Array.from({ length: 4 }, (_, index) => makeUser(random.fork(200 + index), 92_120 + index));
  const data: GreenhouseData = { users, jobs: new Map(), candidates: new Map(), applications: new Map(), interviews: new Map(), nextCandidateId: 53_883_001, nextApplicationId: 69_102_001, nextInterviewId: 9_128_001 };
  for (let index = 0; index < counts.jobs; index += 1) {
    const job = makeJob(random.fork(1000 + index), 149_901 + index, users, anchor);
    data.jobs.set(job.id, job);
  }
  for (let index = 0; index < counts.candidates; index += 1) {
    const when = dateBetween(random.fork(50_000 + index), new Date(anchor.getTime() - 100 * dayMs), new Date(anchor.getTime() - dayMs));
    addCandidate(data, random.fork(100_000 + index), when, anchor);
  }
  return data;
}

function makeUser(random: Random, id: number): UserRef {
  const person = makePerson(random, { emailDomain: 'northfield.example.edu' });
  return { id, first_name: person.latinFirst, last_name: person.latinLast, name: `${person.latinFirst} ${person.latinLast}`, employee_id: String(10_000 + id % 1000) };
}

function makeJob(random: Random, id: number, users: readonly UserRef[], anchor: Date): Job {
  const field = random.pick(economicsFields).name;
  const shape = random.pick(jobShapes);
  const created = dateBetween(random, new Date(anchor.getTime() - 160 * dayMs), new Date(anchor.getTime() - 120 * dayMs));
  const status = random.pick<Job['status']>(['open', 'open', 'open', 'closed']);
  const recruiter = random.pick(users);
  return {
    id,
    name: shape.name(field),
    requisition_id: `ECON-${id % 1000}`,
    notes: `<p>The Department of Economics invites applications in ${field}.</p>`,
    confidential: false,
    status,
    created_at: timestamp(created),
    opened_at: timestamp(created),
    closed_at: status === 'closed' ? timestamp(new Date(anchor.getTime() - 10 * dayMs)) : null,
    updated_at: timestamp(dateBetween(random, created, new Date(anchor.getTime() - 110 * dayMs))),
    is_template: false,
    copied_from_id: null,
    departments: [{ id: 25_907, name: shape.department, parent_id: null, child_ids: [], external_id: null }],
    offices: [{ id: 47_012, name: 'Northfield', location: { name: 'Northfield, MN, United States' }, primary_contact_user_id: null, parent_id: null, child_ids: [], external_id: null }],
    custom_fields: { employment_type: 'Full-Time' },
    keyed_custom_fields: { employment_type: { name: 'Time type', type: 'single_select', value: 'Full-Time' } },
    hiring_team: { hiring_managers: [random.pick(users)], recruiters: [{ ...recruiter, responsible: true }], coordinators: [], sourcers: [] },
    openings: [{ id: id * 10, opening_id: `${id % 100}-1`, status: status === 'closed' ? 'closed' : 'open', opened_at: timestamp(created), closed_at: null, application_id: null, close_reason: null }],
  };
}

/** A new candidate who applied at `when` to one job, with a résumé and maybe a cover letter and a paper. */
export function addCandidate(data: GreenhouseData, random: Random, when: Date, anchor: Date): Candidate {
  const id = data.nextCandidateId;
  data.nextCandidateId += 1;
  const person = makePerson(random, { unique: id % 10_000 });
  const school = random.pick(institutions);
  const field = random.pick(economicsFields);
  const job = random.pick([...data.jobs.values()]);
  // dateBetween keeps whole seconds; a candidate is never updated before it was created.
  const updated = new Date(Math.max(when.getTime(), dateBetween(random, when, anchor).getTime()));
  const candidate: Candidate = {
    id,
    first_name: person.first,
    last_name: person.last,
    company: school.name,
    title: random.pick(currentPositions),
    created_at: timestamp(when),
    updated_at: timestamp(updated),
    last_activity: timestamp(updated),
    is_private: false,
    photo_url: null,
    phone_numbers: [{ value: person.phone, type: 'mobile' }],
    addresses: [{ value: `${school.city}, ${school.country}`, type: 'home' }],
    email_addresses: [{ value: person.email, type: 'personal' }],
    website_addresses: random.chance(0.6) ? [{ value: `https://${person.email.split('@')[0]}.example.net`, type: 'personal' }] : [],
    social_media_addresses: [],
    recruiter: job.hiring_team.recruiters[0] ?? null,
    coordinator: null,
    can_email: true,
    tags: [field.name],
    educations: [{ id: id * 3, school_name: school.name, degree: 'Doctor of Philosophy (Ph.D.)', discipline: 'Economics', start_date: `${2019 + random.int(0, 2)}-09-01T00:00:00.000Z`, end_date: `${2025 + random.int(0, 2)}-06-30T00:00:00.000Z` }],
    employments: [],
    linked_user_ids: [],
    custom_fields: { primary_field: field.name },
    keyed_custom_fields: { primary_field: { name: 'Primary field', type: 'short_text', value: field.name } },
    person,
  };
  data.candidates.set(id, candidate);
  const application = makeApplication(data, random.fork(7), candidate, job, when, updated);
  data.applications.set(application.id, application);
  if (application.current_stage !== null && application.current_stage.id >= 3103) addInterview(data, random.fork(11), application, updated, anchor);
  return candidate;
}

function makeApplication(data: GreenhouseData, random: Random, candidate: Candidate, job: Job, applied: Date, lastActivity: Date): Application {
  const id = data.nextApplicationId;
  data.nextApplicationId += 1;
  const stageIndex = random.int(0, stages.length - 1);
  const status = stageIndex === stages.length - 1 && random.chance(0.3) ? 'hired' : random.chance(0.2) ? 'rejected' : 'active';
  const slug = `${asciiFile(candidate.person.latinFirst)}_${asciiFile(candidate.person.latinLast)}`;
  const attach = (type: AttachmentType, filename: string, title: string, index: number): StoredAttachment => ({
    key: `person_attachments/${candidate.id}/${id}-${index}/${filename}`,
    filename,
    type,
    created_at: timestamp(applied),
    seed: candidate.id * 10 + index,
    bytes: 16 * 1024 + random.int(0, 24 * 1024),
    title,
  });
  const attachments = [attach('resume', `${slug}_CV.pdf`, 'Curriculum vitae', 0)];
  if (random.chance(0.7)) attachments.push(attach('cover_letter', `${slug}_Cover_Letter.pdf`, job.name, 1));
  if (random.chance(0.4)) attachments.push(attach('other', `${slug}_Job_Market_Paper.pdf`, 'Job market paper', 2));
  return {
    id,
    candidate_id: candidate.id,
    prospect: false,
    applied_at: timestamp(applied),
    rejected_at: status === 'rejected' ? timestamp(lastActivity) : null,
    last_activity_at: timestamp(lastActivity),
    location: null,
    source: random.pick(sources),
    credited_to: candidate.recruiter,
    rejection_reason: status === 'rejected' ? { id: 8, name: 'Lacking skill(s)/qualification(s)', type: { id: 1, name: 'We rejected them' } } : null,
    rejection_details: null,
    jobs: [{ id: job.id, name: job.name }],
    job_post_id: job.id + 1000,
    status,
    current_stage: stages[stageIndex] ?? null,
    answers: [
      { question: 'Expected completion of your PhD', answer: `June ${2026 + random.int(0, 1)}` },
      { question: 'Will you attend the ASSA meetings?', answer: random.chance(0.8) ? 'Yes' : 'No' },
    ],
    prospective_office: null,
    prospective_department: null,
    prospect_detail: { prospect_pool: null, prospect_stage: null, prospect_owner: null },
    custom_fields: {},
    keyed_custom_fields: {},
    attachments,
  };
}

export function addInterview(data: GreenhouseData, random: Random, application: Application, when: Date, now: Date): ScheduledInterview {
  const id = data.nextInterviewId;
  data.nextInterviewId += 1;
  const starts = new Date(Math.floor((when.getTime() + random.int(1, 14) * dayMs) / 3_600_000) * 3_600_000);
  const organizer = application.credited_to ?? { id: 92_120, first_name: 'Hiring', last_name: 'Committee', name: 'Hiring Committee', employee_id: null };
  const interview: ScheduledInterview = {
    id,
    application_id: application.id,
    external_event_id: `event-${id}`,
    start: { date_time: timestamp(starts) },
    end: { date_time: timestamp(new Date(starts.getTime() + 45 * 60_000)) },
    location: random.pick(['Economics Building, Room 301', 'Zoom', 'Faculty Lounge']),
    video_conferencing_url: random.chance(0.5) ? `https://zoom.example.com/j/${id}` : null,
    status: starts.getTime() > now.getTime() ? 'scheduled' : 'complete',
    created_at: timestamp(when),
    updated_at: timestamp(when),
    interview: random.pick(interviewKinds),
    organizer,
    interviewers: [{ id: organizer.id, employee_id: organizer.employee_id, name: organizer.name, email: `${organizer.first_name.toLowerCase()}@northfield.example.edu`, response_status: 'accepted', scorecard_id: null }],
  };
  data.interviews.set(id, interview);
  return interview;
}

/** Moves a candidate's first application one stage on, as a committee acting on it at `now` would. */
export function actOn(candidate: Candidate, application: Application, now: Date): void {
  const at = stages.findIndex((stage) => stage.id === application.current_stage?.id);
  application.current_stage = stages[Math.min(stages.length - 1, at + 1)] ?? null;
  application.last_activity_at = timestamp(now);
  candidate.updated_at = timestamp(now);
  candidate.last_activity = timestamp(now);
}

/** Removes a candidate with its applications and their interviews. */
export function removeCandidate(data: GreenhouseData, id: number): void {
  for (const application of [...data.applications.values()].filter((each) => each.candidate_id === id)) {
    for (const interview of [...data.interviews.values()].filter((each) => each.application_id === application.id)) data.interviews.delete(interview.id);
    data.applications.delete(application.id);
  }
  data.candidates.delete(id);
}

function asciiFile(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '') || 'Candidate';
}
