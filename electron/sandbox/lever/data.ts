import { countForScale } from '../emulator.ts';
import { cities, dateBetween, jobTitles, latinName, makePerson, paragraph } from '../people.ts';
import type { DocumentSpec } from '../pdf.ts';
import { Random } from '../random.ts';

/**
 * Records shaped like the Lever Data API v1 objects (docs/providers/published/lever.md): postings,
 * opportunities (one per candidacy of a contact), the opportunity's applications, resumes and
 * interviews. Timestamps are epoch milliseconds, as Lever sends them.
 */

export interface Posting {
  id: string;
  text: string;
  createdAt: number;
  updatedAt: number;
  state: 'published' | 'internal' | 'closed' | 'draft' | 'pending';
  confidentiality: 'non-confidential';
  categories: { team: string; department: string; location: string; commitment: string; allLocations: string[] };
  content: { description: string };
  user: string;
  owner: string;
  hiringManager: string;
  tags: string[];
  urls: { list: string; show: string; apply: string };
}

export interface Application {
  id: string;
  opportunityId: string;
  candidateId: string;
  createdAt: number;
  type: 'posting' | 'referral' | 'user';
  posting: string;
  postingOwner: string;
  postingHiringManager: string;
  user: string | null;
  name: string;
  email: string;
  phone: { type: string; value: string } | null;
  company: string | null;
  links: string[];
  comments: string | null;
  customQuestions: unknown[];
  archived: { archivedAt: number; reason: string } | null;
  requisitionForHire: null;
}

export interface ResumeFile {
  downloadUrl: string;
  ext: string;
  name: string;
  uploadedAt: number;
  status: 'processed';
  size: number;
}

export interface Resume {
  id: string;
  createdAt: number;
  file: ResumeFile;
  parsedData: { positions: { org: string; title: string }[]; schools: { org: string; degree: string; field: string }[] };
}

export interface Interview {
  id: string;
  panel: string;
  subject: string;
  note: string;
  interviewers: { id: string; email: string; name: string }[];
  timezone: string;
  createdAt: number;
  date: number;
  /** Minutes. */
  duration: number;
  location: string;
  feedbackTemplate: string;
  feedbackForms: string[];
  feedbackReminder: 'frequently';
  user: string;
  stage: string;
  canceledAt: number | null;
  postings: string[];
}

export interface Opportunity {
  id: string;
  name: string;
  headline: string;
  contact: string;
  emails: string[];
  phones: { type: string; value: string }[];
  confidentiality: 'non-confidential';
  location: string;
  links: string[];
  archived: { archivedAt: number; reason: string } | null;
  createdAt: number;
  updatedAt: number;
  lastInteractionAt: number;
  lastAdvancedAt: number;
  snoozedUntil: number | null;
  stage: string;
  stageChanges: { toStageId: string; toStageIndex: number; updatedAt: number; userId: string }[];
  owner: string;
  tags: string[];
  sources: string[];
  origin: 'applied' | 'sourced' | 'referred';
  sourcedBy: string | null;
  /** Application ids; `expand=applications` replaces them with the objects. */
  applications: string[];
  followers: string[];
  urls: { list: string; show: string };
  dataProtection: null;
  isAnonymized: false;
}

/** What the server keeps beside each opportunity: its application, resumes (with their PDF spec) and interviews. */
export interface Candidacy {
  opportunity: Opportunity;
  application: Application;
  resumes: { resume: Resume; pdf: DocumentSpec }[];
  interviews: Interview[];
}

export interface LeverData {
  readonly postings: Map<string, Posting>;
  readonly candidacies: Map<string, Candidacy>;
  readonly stages: readonly { id: string; text: string }[];
  readonly users: readonly { id: string; name: string; email: string }[];
  readonly company: string;
}

const smallOpportunities = 30;
const postingsPerThirty = 4;
const day = 86_400_000;
const stageNames = ['New applicant', 'Recruiter screen', 'Phone interview', 'On-site interview', 'Offer'];
const teams = ['Engineering', 'Research', 'Operations', 'Sales'];
const commitments = ['Full-time', 'Part-time', 'Internship'];
const archiveReasons = ['Underqualified', 'Withdrew', 'Position filled'];

/** A v4-looking UUID from the seeded generator, so ids are stable per seed. */
export function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[random.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function generate(seed: number, scale: string, anchor: Date): LeverData {
  const random = new Random(seed);
  const count = countForScale(scale, smallOpportunities, 'opportunities');
  const company = 'leverdemo';
  const people = random.fork(11);
  const users = Array.from({ length: 3 }, () => {
    const person = makePerson(people, { emailDomain: 'leverdemo.example' });
    return { id: uuid(people), name: latinName(person), email: person.email };
  });
  const stages = stageNames.map((text) => ({ id: uuid(people), text }));
  const postings = new Map<string, Posting>();
  const seasonStart = new Date(anchor.getTime() - 120 * day);
  const postingRandom = random.fork(21);
  for (let index = 0; index < Math.max(1, Math.ceil((count * postingsPerThirty) / smallOpportunities)); index += 1) {
    const posting = makePosting(postingRandom, users, company, seasonStart, anchor);
    postings.set(posting.id, posting);
  }
  const candidacies = new Map<string, Candidacy>();
  const candidacyRandom = random.fork(31);
  const contacts: { id: string; person: ReturnType<typeof makePerson> }[] = [];
  for (let index = 0; index < count; index += 1) {
    const fork = candidacyRandom.fork(index + 1);
    // One contact in ten comes back for a second posting: Lever keeps one contact with two opportunities.
    const returning = contacts.length > 0 && fork.chance(0.1) ? fork.pick(contacts) : undefined;
    const contact = returning ?? { id: uuid(fork), person: makePerson(fork, { unique: index }) };
    if (!returning) contacts.push(contact);
    const candidacy = makeCandidacy(fork, { contact, postings: [...postings.values()], users, stages, company, start: seasonStart, end: anchor });
    candidacies.set(candidacy.opportunity.id, candidacy);
  }
  return { postings, candidacies, stages, users, company };
}

function makePosting(random: Random, users: LeverData['users'], company: string, start: Date, end: Date): Posting {
  const id = uuid(random);
  const created = dateBetween(random, start, new Date(start.getTime() + 30 * day)).getTime();
  const city = random.pick(cities);
  const owner = random.pick(users).id;
  return {
    id,
    text: random.pick(jobTitles),
    createdAt: created,
    updatedAt: dateBetween(random, new Date(created), end).getTime(),
    state: random.chance(0.8) ? 'published' : 'closed',
    confidentiality: 'non-confidential',
    categories: { team: random.pick(teams), department: random.pick(teams), location: city.city, commitment: random.pick(commitments), allLocations: [city.city] },
    content: { description: paragraph(random, 3, 'the role') },
    user: owner,
    owner,
    hiringManager: random.pick(users).id,
    tags: [],
    urls: { list: `https://jobs.lever.co/${company}`, show: `https://jobs.lever.co/${company}/${id}`, apply: `https://jobs.lever.co/${company}/${id}/apply` },
  };
}

interface CandidacyContext {
  contact: { id: string; person: ReturnType<typeof makePerson> };
  postings: readonly Posting[];
  users: LeverData['users'];
  stages: LeverData['stages'];
  company: string;
  start: Date;
  end: Date;
}

export function makeCandidacy(random: Random, context: CandidacyContext): Candidacy {
  const { person } = context.contact;
  const posting = random.pick(context.postings);
  const id = uuid(random);
  const created = dateBetween(random, new Date(Math.max(posting.createdAt, context.start.getTime())), context.end).getTime();
  const updated = Math.min(context.end.getTime(), created + random.int(0, 20) * day);
  const stageIndex = random.int(0, context.stages.length - 1);
  const stage = context.stages[stageIndex] as LeverData['stages'][number];
  const owner = random.pick(context.users).id;
  const name = latinName(person);
  const employer = random.pick(['Acme Corp', 'Globex', 'Initech', 'Umbrella Labs', 'Stark Industries']);
  const headline = `${employer}, ${random.pick(jobTitles)}`;
  const archived = random.chance(0.15) ? { archivedAt: updated, reason: uuidFor(random, random.pick(archiveReasons)) } : null;
  const phone = { type: 'mobile', value: person.phone };
  const applicationId = uuid(random);
  const opportunity: Opportunity = {
    id,
    name,
    headline,
    contact: context.contact.id,
    emails: [person.email],
    phones: [phone],
    confidentiality: 'non-confidential',
    location: posting.categories.location,
    links: [],
    archived,
    createdAt: created,
    updatedAt: updated,
    lastInteractionAt: updated,
    lastAdvancedAt: updated,
    snoozedUntil: null,
    stage: stage.id,
    stageChanges: [{ toStageId: stage.id, toStageIndex: stageIndex, updatedAt: updated, userId: owner }],
    owner,
    tags: [],
    sources: ['Posting'],
    origin: 'applied',
    sourcedBy: null,
    applications: [applicationId],
    followers: [owner],
    urls: { list: `https://hire.lever.co/candidates`, show: `https://hire.lever.co/candidates/${id}` },
    dataProtection: null,
    isAnonymized: false,
  };
  const application: Application = {
    id: applicationId,
    opportunityId: id,
    candidateId: context.contact.id,
    createdAt: created,
    type: 'posting',
    posting: posting.id,
    postingOwner: posting.owner,
    postingHiringManager: posting.hiringManager,
    user: null,
    name,
    email: person.email,
    phone,
    company: employer,
    links: [],
    comments: null,
    customQuestions: [],
    archived,
    requisitionForHire: null,
  };
  const resumes = random.chance(0.9) ? [makeResume(random, id, name, person.email, employer, created)] : [];
  const interviews = stageIndex >= 2 ? [makeInterview(random, posting, stage.id, context.users, created)] : [];
  return { opportunity, application, resumes, interviews };
}

function makeResume(random: Random, opportunityId: string, name: string, email: string, employer: string, created: number): Candidacy['resumes'][number] {
  const id = uuid(random);
  const bytes = random.int(18, 60) * 1024;
  const fileName = `${name.replace(/[^A-Za-z]+/g, '_')}_Resume.pdf`;
  return {
    resume: {
      id,
      createdAt: created,
      file: {
        // Lever's own downloadUrl points at the web app (hire.lever.co), not at the API (README, "Resumes").
        downloadUrl: `https://hire.lever.co/candidates/${opportunityId}/resumes/${id}/download`,
        ext: 'pdf',
        name: fileName,
        uploadedAt: created,
        status: 'processed',
        size: bytes,
      },
      parsedData: { positions: [{ org: employer, title: random.pick(jobTitles) }], schools: [{ org: 'State University', degree: 'B.Sc.', field: 'Economics' }] },
    },
    pdf: { kind: 'cv', seed: random.int(1, 2 ** 31), bytes, candidate: { name, institution: employer, email } },
  };
}

function makeInterview(random: Random, posting: Posting, stage: string, users: LeverData['users'], created: number): Interview {
  const interviewer = random.pick(users);
  const date = Math.round((created + random.int(2, 10) * day) / 900_000) * 900_000;
  return {
    id: uuid(random),
    panel: uuid(random),
    subject: `Interview for ${posting.text}`,
    note: '',
    interviewers: [{ id: interviewer.id, email: interviewer.email, name: interviewer.name }],
    timezone: 'America/New_York',
    createdAt: created,
    date,
    duration: random.pick([30, 45, 60]),
    location: random.pick(['Zoom', 'Office, room 4B', 'Phone']),
    feedbackTemplate: uuid(random),
    feedbackForms: [],
    feedbackReminder: 'frequently',
    user: interviewer.id,
    stage,
    canceledAt: null,
    postings: [posting.id],
  };
}

/** Archive reasons are ids in Lever; the sandbox derives a stable one from the reason's text. */
function uuidFor(random: Random, text: string): string {
  return uuid(new Random([...text].reduce((sum, char) => sum * 31 + char.charCodeAt(0), random.int(0, 0)) >>> 0));
}
