import { cities, dateBetween, jobTitles, makePerson, paragraph } from '../people.ts';
import { Random } from '../random.ts';
import { countForScale } from '../emulator.ts';

/** JyMob records. Only the screening-test structure is documented (docs/providers/reference.md §5.4); the rest is chosen (README.md). */

export interface User {
  id: number;
  name: string;
  email: string;
}

export interface JobPost {
  id: number;
  user_id: number;
  title: string;
  company_name: string;
  description: string;
  location: string;
  employment_type: string;
  skills: string[];
  status: 'open' | 'closed';
  created_at: string;
  updated_at: string;
}

export interface Resume {
  id: number;
  user_id: number;
  title: string;
}

export interface JobApplication {
  id: number;
  job_post_id: number;
  user_id: number;
  resume_id: number;
  cover_letter: string | null;
  status: 'submitted' | 'reviewed' | 'shortlisted' | 'rejected';
  created_at: string;
  updated_at: string;
}

export type ProblemType = 'FindTheBug' | 'MultipleChoiceProblem' | 'ProgrammingProblem' | 'Puzzle' | 'SimpleProblem';

export interface ScreeningTest {
  id: number;
  user_id: number;
  status: 'ongoing' | 'submitted' | 'verified' | 'expired';
  start_time: string;
  last_saved_time: string;
  source_id: number;
  job_application_id: number;
  problems: { uuid: string; type: ProblemType; statement: string; difficulty_level: string; submitted_solution?: { id: number; solution: string } }[];
}

export interface JyMobData {
  /** The "app_user": the account the OAuth client belongs to, and the employer owning most posts. */
  readonly appUser: User;
  readonly users: Map<number, User>;
  readonly jobPosts: Map<number, JobPost>;
  readonly resumes: Map<number, Resume>;
  readonly applications: Map<number, JobApplication>;
  readonly screeningTests: Map<number, ScreeningTest>;
  nextId: { jobPost: number; application: number; test: number };
}

const companies = ['JyMob Labs', 'Bayside Software', 'Redwood Analytics', 'Quarry Systems'];
const problemTypes: readonly ProblemType[] = ['FindTheBug', 'MultipleChoiceProblem', 'ProgrammingProblem', 'Puzzle', 'SimpleProblem'];
const difficulties = ['1: Very Easy', '3: Easy', '5: Not that Easy', '7: Hard', '9: Very Hard'];
const statements: Record<ProblemType, string> = {
  FindTheBug: 'Find the bug in this function:\n\n```java\nint sum(int[] a) { int s = 0; for (int i = 1; i < a.length; i++) s += a[i]; return s; }\n```',
  MultipleChoiceProblem: 'Which HTTP status code means **Too Many Requests**?\n\n- 403\n- 418\n- 429\n- 503',
  ProgrammingProblem: 'Write a function that returns the *n*-th Fibonacci number in O(log n) time.',
  Puzzle: 'You have two ropes that each burn in one hour, unevenly. Measure **45 minutes**.',
  SimpleProblem: 'Explain the difference between a process and a thread.',
};

/** JyMob writes UTC instants as `YYYY-MM-DDTHH:MM:SSZ` (a Rails default; chosen, see README.md). */
export const utc = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const dayMs = 86_400_000;
const hex = (random: Random, length: number) => Array.from({ length }, () => '0123456789abcdef'[random.int(0, 15)]).join('');

export function recordCounts(scale: string): { posts: number; applications: number } {
  if (scale === 'season') return { posts: 60, applications: 2400 };
  const applications = countForScale(scale, 40, 'applications');
  return { posts: Math.max(2, Math.ceil(applications / 5)), applications };
}

export function generate(seed: number, scale: string, anchor: Date): JyMobData {
  const counts = recordCounts(scale);
  const random = new Random(seed);
  const appUserPerson = makePerson(random.fork(1), { emailDomain: 'jymob-employer.example' });
  const appUser: User = { id: 1001, name: `${appUserPerson.latinFirst} ${appUserPerson.latinLast}`, email: appUserPerson.email };
  const data: JyMobData = {
    appUser,
    users: new Map([[appUser.id, appUser]]),
    jobPosts: new Map(),
    resumes: new Map(),
    applications: new Map(),
    screeningTests: new Map(),
    nextId: { jobPost: 501, application: 9001, test: 70001 },
  };
  const otherEmployer: User = { id: 1002, name: 'Quarry Systems Hiring', email: 'hiring@quarry.example' };
  data.users.set(otherEmployer.id, otherEmployer);
  for (let index = 0; index < counts.posts + 3; index += 1) {
    const owner = index < counts.posts ? appUser : otherEmployer;
    addJobPost(data, random.fork(100 + index), owner.id, anchor);
  }
  // The app user has applied elsewhere too, so "your own applications" is not empty.
  addResume(data, appUser.id, 'Engineering Manager');
  const ownedPosts = [...data.jobPosts.values()].filter((post) => post.user_id === appUser.id);
  const foreignPosts = [...data.jobPosts.values()].filter((post) => post.user_id !== appUser.id);
  // …but not to the last foreign post, which stays open for an application to be created.
  for (const post of foreignPosts.slice(0, -1)) addApplication(data, random.fork(post.id), post, appUser.id, anchor);
  const lastForeign = foreignPosts.at(-1);
  if (lastForeign) lastForeign.status = 'open';
  for (let index = 0; index < counts.applications; index += 1) {
    const applicantRandom = random.fork(10_000 + index);
    const person = makePerson(applicantRandom, { unique: index });
    const user: User = { id: 2000 + index, name: `${person.latinFirst} ${person.latinLast}`, email: person.email };
    data.users.set(user.id, user);
    addResume(data, user.id, applicantRandom.pick(jobTitles));
    addApplication(data, applicantRandom, applicantRandom.pick(ownedPosts), user.id, anchor);
  }
  return data;
}

export function addJobPost(data: JyMobData, random: Random, userId: number, anchor: Date): JobPost {
  const city = random.pick(cities);
  const created = dateBetween(random, new Date(anchor.getTime() - 60 * dayMs), anchor);
  const title = random.pick(['Java Software Engineer', 'Senior Ruby Developer', 'Frontend Engineer (React)', 'Data Engineer', 'QA Automation Engineer', 'DevOps Engineer']);
  const post: JobPost = {
    id: data.nextId.jobPost++,
    user_id: userId,
    title,
    company_name: userId === data.appUser.id ? random.pick(companies.slice(0, 3)) : 'Quarry Systems',
    description: `${title} wanted. ${paragraph(random, 2, 'software engineering')}`,
    location: `${city.city}, ${city.region}`,
    employment_type: random.pick(['full_time', 'part_time', 'contract']),
    skills: [random.pick(['Java', 'Ruby', 'TypeScript', 'Python', 'Go']), random.pick(['SQL', 'AWS', 'Docker', 'Kubernetes'])],
    status: random.chance(0.85) ? 'open' : 'closed',
    created_at: utc(created),
    updated_at: utc(dateBetween(random, created, anchor)),
  };
  data.jobPosts.set(post.id, post);
  return post;
}

function addResume(data: JyMobData, userId: number, title: string): Resume {
  const resume = { id: 300_000 + data.resumes.size, user_id: userId, title: `${title} résumé` };
  data.resumes.set(resume.id, resume);
  return resume;
}

export function resumeOf(data: JyMobData, userId: number): Resume | undefined {
  return [...data.resumes.values()].find((resume) => resume.user_id === userId);
}

export function addApplication(data: JyMobData, random: Random, post: JobPost, userId: number, anchor: Date, coverLetter?: string): JobApplication {
  const created = dateBetween(random, new Date(Math.max(Date.parse(post.created_at), anchor.getTime() - 30 * dayMs)), anchor);
  const application: JobApplication = {
    id: data.nextId.application++,
    job_post_id: post.id,
    user_id: userId,
    resume_id: resumeOf(data, userId)?.id ?? 0,
    cover_letter: coverLetter ?? (random.chance(0.7) ? `Dear hiring team, I would love to join as ${post.title}. ${paragraph(random, 1, 'software')}` : null),
    status: random.pick(['submitted', 'submitted', 'reviewed', 'shortlisted', 'rejected']),
    created_at: utc(created),
    updated_at: utc(dateBetween(random, created, anchor)),
  };
  data.applications.set(application.id, application);
  if (random.chance(0.5)) addScreeningTest(data, random, application, created, anchor);
  return application;
}

function addScreeningTest(data: JyMobData, random: Random, application: JobApplication, start: Date, anchor: Date): void {
  const status = random.pick<ScreeningTest['status']>(['ongoing', 'submitted', 'submitted', 'verified', 'expired']);
  const problems = Array.from({ length: random.int(2, 4) }, () => {
    const type = random.pick(problemTypes);
    const answered = status !== 'ongoing' || random.chance(0.5);
    return {
      uuid: `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
      type,
      statement: statements[type],
      difficulty_level: random.pick(difficulties),
      ...(answered ? { submitted_solution: { id: random.int(100_000, 999_999), solution: type === 'MultipleChoiceProblem' ? '429' : 'See attached reasoning.' } } : {}),
    };
  });
  const test: ScreeningTest = {
    id: data.nextId.test++,
    user_id: application.user_id,
    status,
    start_time: utc(start),
    last_saved_time: utc(dateBetween(random, start, anchor)),
    source_id: application.job_post_id,
    job_application_id: application.id,
    problems,
  };
  data.screeningTests.set(test.id, test);
}
