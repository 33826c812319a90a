import { z } from 'zod';
import { instant, joinText, looseNumber, optionalId, remoteId, text } from '../kit/fields.ts';
import { toUtcIso } from '../kit/dates.ts';
import { emailKey, newestProfiles, type ProfileSeen } from '../kit/people.ts';
import { applicantRecord, type AnswerRecord, type ApplicantRecord, type ApplicationRecord, type JobRecord } from '../kit/records.ts';
import { malformed, parseAs, type Where } from '../kit/validate.ts';

/**
 * CareerPlug JSON (Swagger models, docs/providers/reference.md §2.4) → domain rows. Each App embeds its
 * applicant, which has no id of its own, so the applicant is keyed by its normalised e-mail: one person's
 * apps to several jobs are one applicant (decision 0014); an app without an e-mail stays an applicant
 * of its own, keyed by the app's id. Dates are ISO with a zone.
 */

const Named = z.looseObject({ id: optionalId, name: text }).nullable().optional();

const Location = z
  .looseObject({
    id: optionalId,
    name: text,
    city: text,
    state: text,
    // The API really sends this key with a space.
    'zip code': text,
    country: text,
  })
  .nullable()
  .optional();

const Job = z.looseObject({
  id: remoteId,
  name: text,
  status: text,
  city: text,
  state: text,
  country: text,
  created_at: text,
  updated_at: text,
  department: Named,
  location: Location,
});

const Applicant = z.looseObject({
  email: text,
  firstname: text,
  lastname: text,
  phone: text,
  city: text,
  state: text,
  country: text,
  recent_title: text,
  recent_employer: text,
});

/** `prescreen_questions` is documented as an object; it arrives as a list of {id,name,answer}, or a map. */
const Answers = z
  .union([
    z.array(z.looseObject({ id: optionalId, name: text, answer: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional() })),
    z.record(z.string(), z.unknown()),
  ])
  .nullable()
  .optional();

const App = z.looseObject({
  id: remoteId,
  job: z.looseObject({ id: remoteId, name: text }),
  app: Applicant,
  location: Location,
  hiring_step: Named,
  hiring_status: text,
  prescreen_questions: Answers,
  applied_at: text,
  last_updated: text,
  last_acted_on_at: text,
  pay_rate: looseNumber,
});

function place(location: z.output<typeof Location>): string | null {
  if (!location) return null;
  return joinText([location.name, joinText([location.city, location.state, location['zip code']], ', ')], ' — ');
}

export function mapJobs(reply: readonly unknown[], where: Where): JobRecord[] {
  return reply.map((raw, index) => {
    const job = parseAs(Job, raw, where, `[${index}]`);
    return {
      remoteId: job.id,
      remoteVersion: job.updated_at,
      raw,
      title: job.name ?? `Job ${job.id}`,
      department: job.department?.name ?? null,
      location: place(job.location) ?? joinText([job.city, job.state], ', '),
      status: job.status,
      postedAt: instant(job.created_at, where.timeZone, () => malformed(where, `[${index}].created_at`, 'is not a date')),
      closesAt: null,
    };
  });
}

export interface MappedApps {
  readonly applicants: ApplicantRecord[];
  readonly applications: ApplicationRecord[];
}

/**
 * The apps of one reply with one applicant per person. The profile of the person's most recently acted-on
 * app wins — the same order the incremental cursor walks in, so a pass that sees only the apps acted on
 * since the cursor picks the profile a full walk would.
 */
export function mapApps(reply: readonly unknown[], where: Where): MappedApps {
  const profiles: ProfileSeen[] = [];
  const applications: ApplicationRecord[] = [];
  reply.forEach((raw, index) => {
    const app = parseAs(App, raw, where, `[${index}]`);
    const date = (field: string, value: string | null) => instant(value, where.timeZone, () => malformed(where, `[${index}].${field}`, 'is not a date'));
    const applicantId = emailKey(app.app.email) ?? app.id;
    profiles.push({ recency: toUtcIso(app.last_acted_on_at ?? app.last_updated ?? app.applied_at, where.timeZone), tieBreak: app.id, applicant: applicantRecord({
      remoteId: applicantId,
      remoteVersion: null,
      raw: (raw as { app?: unknown }).app ?? null,
      firstName: app.app.firstname,
      lastName: app.app.lastname,
      email: app.app.email,
      phone: app.app.phone,
      country: app.app.country,
      institution: app.app.recent_employer,
      currentPosition: app.app.recent_title,
      currentInstitution: app.app.recent_employer,
    }) });
    applications.push({
      remoteId: app.id,
      remoteVersion: app.last_acted_on_at ?? app.last_updated,
      raw,
      jobRemoteId: app.job.id,
      applicantRemoteId: applicantId,
      jobTitle: app.job.name,
      appliedAt: date('applied_at', app.applied_at),
      remoteStatus: app.hiring_step?.name ?? app.hiring_status,
      lettersExpected: 0,
      answers: answersOf(app.prescreen_questions),
    });
  });
  return { applicants: newestProfiles(profiles), applications };
}

function answersOf(questions: z.output<typeof Answers>): AnswerRecord[] {
  if (!questions) return [];
  if (Array.isArray(questions)) return questions.map((question) => ({ question: question.name ?? '', answer: question.answer === null || question.answer === undefined ? '' : String(question.answer) }));
  return Object.entries(questions).map(([question, answer]) => ({ question, answer: typeof answer === 'string' ? answer : JSON.stringify(answer) }));
}

/** A list reply must be a bare JSON array. */
export function asList(reply: unknown, where: Pick<Where, 'provider' | 'endpoint'>): unknown[] {
  if (!Array.isArray(reply)) throw malformed(where, 'body', 'is not a list');
  return reply;
}
