import { z } from 'zod';
import { toUtcIso } from '../kit/dates.ts';
import { instant, optionalId, remoteId, text } from '../kit/fields.ts';
import { newestProfiles, type ProfileSeen } from '../kit/people.ts';
import { applicantRecord, type AnswerRecord, type ApplicantRecord, type ApplicationRecord, type JobRecord } from '../kit/records.ts';
import { malformed, parseAs, type Where } from '../kit/validate.ts';

/**
 * JyMob (docs/providers/reference.md §5): job posts, the applications to them (each naming its applicant), and
 * the screening tests taken for them, which become answers on the application. Dates are UTC strings.
 */

const JobPost = z.looseObject({
  id: remoteId,
  title: text,
  company_name: text,
  location: text,
  status: text,
  created_at: text,
  updated_at: text,
});

const Application = z.looseObject({
  id: remoteId,
  job_post_id: remoteId,
  user_id: optionalId,
  status: text,
  cover_letter: text,
  created_at: text,
  updated_at: text,
  applicant: z.looseObject({ id: optionalId, name: text, email: text }).nullable().optional(),
});

const ScreeningTest = z.looseObject({
  id: remoteId,
  status: text,
  job_application_id: optionalId,
  // The post the test was taken for (documented).
  source_id: optionalId,
  last_saved_time: text,
  problems: z
    .array(z.looseObject({ type: text, difficulty_level: text, submitted_solution: z.unknown().optional() }))
    .nullable()
    .optional()
    .transform((problems) => problems ?? []),
});

export type JyMobScreeningTest = z.output<typeof ScreeningTest>;

export function asList(reply: unknown, where: Pick<Where, 'provider' | 'endpoint'>): unknown[] {
  if (!Array.isArray(reply)) throw malformed(where, 'body', 'is not a list');
  return reply;
}

export function mapJobPosts(items: readonly unknown[], where: Where): JobRecord[] {
  return items.map((raw, index) => {
    const post = parseAs(JobPost, raw, where, `[${index}]`);
    return {
      remoteId: post.id,
      remoteVersion: post.updated_at,
      raw,
      title: post.title ?? `Job post ${post.id}`,
      department: post.company_name,
      location: post.location,
      status: post.status,
      postedAt: instant(post.created_at, where.timeZone, () => malformed(where, `[${index}].created_at`, 'is not a date')),
      closesAt: null,
    };
  });
}

export function mapScreeningTests(items: readonly unknown[], where: Where): JyMobScreeningTest[] {
  return items.map((raw, index) => parseAs(ScreeningTest, raw, where, `[${index}]`));
}

function testAnswers(tests: readonly JyMobScreeningTest[]): AnswerRecord[] {
  return tests.map((test) => ({
    question: `Screening test ${test.id} (${test.status ?? 'unknown'})`,
    answer: test.problems.map((problem) => `${problem.type ?? 'problem'} [${problem.difficulty_level ?? '?'}]${problem.submitted_solution ? ' answered' : ''}`).join('; '),
  }));
}

export function mapApplications(
  items: readonly unknown[],
  testsByApplication: ReadonlyMap<string, readonly JyMobScreeningTest[]>,
  jobTitles: ReadonlyMap<string, string | null>,
  where: Where,
): { applicants: ApplicantRecord[]; applications: ApplicationRecord[] } {
  // The applicant is JyMob's own user id, so one person's applications to several posts share it (decision 0014);
  // the most recently updated application's profile wins.
  const profiles: ProfileSeen[] = [];
  const applications = items.map((raw, index): ApplicationRecord => {
    const application = parseAs(Application, raw, where, `[${index}]`);
    const applicantId = application.applicant?.id ?? application.user_id;
    if (applicantId) {
      const [first, ...rest] = (application.applicant?.name ?? '').split(/\s+/);
      profiles.push({ recency: toUtcIso(application.updated_at ?? application.created_at, where.timeZone), tieBreak: application.id, applicant: applicantRecord({
        remoteId: applicantId,
        remoteVersion: null,
        raw: application.applicant ?? { id: applicantId },
        firstName: first || null,
        lastName: rest.join(' ') || null,
        email: application.applicant?.email ?? null,
      }) });
    }
    const coverLetter: AnswerRecord[] = application.cover_letter ? [{ question: 'Cover letter', answer: application.cover_letter }] : [];
    return {
      remoteId: application.id,
      remoteVersion: application.updated_at,
      raw,
      jobRemoteId: application.job_post_id,
      applicantRemoteId: applicantId,
      jobTitle: jobTitles.get(application.job_post_id) ?? null,
      appliedAt: instant(application.created_at, where.timeZone, () => malformed(where, `[${index}].created_at`, 'is not a date')),
      remoteStatus: application.status,
      lettersExpected: 0,
      answers: [...coverLetter, ...testAnswers(testsByApplication.get(application.id) ?? [])],
    };
  });
  return { applicants: newestProfiles(profiles), applications };
}
