import { cities, dateBetween, jobTitles, makePerson, type City } from '../people.ts';
import { Random } from '../random.ts';
import { countForScale } from '../emulator.ts';

/** Records shaped exactly like the Swagger models of api.careerplug.com (docs/providers/reference.md §2.4). */

export interface AccountRef {
  id: number;
  name: string;
  slt_code?: string;
}

export interface Named {
  id: number;
  name: string;
}

export interface Location {
  id: string;
  name: string;
  street: string;
  city: string;
  state: string;
  'zip code': string;
  country: string;
  number: string;
  account: AccountRef;
}

export interface PrescreenQuestion {
  id: number;
  name: string;
  answers: string[];
}

export interface Job {
  id: number;
  name: string;
  description: string;
  status: 'draft' | 'active' | 'inactive' | 'passive' | 'incompatible' | 'waiting' | 'rejected';
  city: string;
  state: string;
  postal_code: string;
  country: string;
  employment: Named;
  job_template_name: string;
  code: string;
  created_at: string;
  updated_at: string;
  location: Location;
  department: Named;
  prescreen_questions: PrescreenQuestion[];
  brand: Named;
  owner: { id: string; firstname: string; lastname: string; email: string };
  account: AccountRef;
}

export interface Applicant {
  email: string;
  firstname: string;
  lastname: string;
  phone: string;
  address: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
  recent_title: string | null;
  recent_employer: string | null;
  pay_type: string | null;
  pay_rate: string | null;
  employment_type: string | null;
}

export type HiringStatus = 'new_app' | 'in_process' | 'hired' | 'inactive';

export interface App {
  id: number;
  account: AccountRef;
  job: { id: number; name: string; account: AccountRef };
  app: Applicant;
  location: Location;
  hiring_step: Named | null;
  hiring_status: HiringStatus;
  prescreen_questions: { id: number; name: string; answer: string }[];
  applied_at: string;
  last_updated: string;
  hired_at: string | null;
  start_date: string | null;
  source_name: string;
  last_acted_on_at: string;
}

export interface User {
  id: number;
  email: string;
  firstname: string;
  lastname: string;
  description: string | null;
  title: string;
  role: string;
  phone: string;
  login_url: string;
  account: AccountRef;
}

export interface CareerPlugData {
  readonly account: AccountRef;
  readonly brands: Named[];
  readonly departments: Named[];
  readonly employments: Named[];
  readonly locations: Location[];
  readonly users: User[];
  readonly jobs: Map<number, Job>;
  /** Insertion order = id order, so paging is stable. */
  readonly apps: Map<number, App>;
  nextAppId: number;
}

const hiringSteps: readonly Named[] = [
  { id: 1, name: 'Phone Screen' },
  { id: 2, name: 'Interview' },
  { id: 3, name: 'Second Interview' },
  { id: 4, name: 'Background Check' },
  { id: 5, name: 'Offer' },
];
const sources = ['Indeed', 'CareerPlug Job Board', 'ZipRecruiter', 'Company Website', 'Referral', 'Facebook', 'Glassdoor'];
const employers = ['Target', 'Starbucks', 'H-E-B', 'Walgreens', 'Chipotle', 'Home Depot', 'Planet Fitness', 'Kroger', 'FedEx', 'Self-employed'];
const questionBank: readonly { name: string; answers: string[] }[] = [
  { name: 'Are you at least 18 years old?', answers: ['Yes', 'No'] },
  { name: 'Are you legally authorized to work in the United States?', answers: ['Yes', 'No'] },
  { name: 'Which shifts can you work?', answers: ['Mornings', 'Evenings', 'Weekends', 'Any'] },
  { name: 'Do you have reliable transportation?', answers: ['Yes', 'No'] },
  { name: 'How many years of relevant experience do you have?', answers: ['None', 'Less than 1', '1-3', '3+'] },
];

const usCities = cities.filter((city) => city.countryCode === 'US');

/** Emulator timestamps: ISO-8601 in UTC with milliseconds, as Rails' JSON encoder writes them. */
export const timestamp = (date: Date): string => date.toISOString();

const dayMs = 86_400_000;

export function recordCounts(scale: string): { jobs: number; apps: number } {
  if (scale === 'season') return { jobs: 150, apps: 6000 };
  const apps = countForScale(scale, 48, 'apps');
  return { jobs: Math.max(1, Math.ceil(apps / 8)), apps };
}

/**
 * The whole account at `scale`, drawn from `seed`; every date lies within the 90 days before
 * `anchor`, and `last_acted_on_at` is spread over those days so the day-granular cursor has work.
 */
export function generate(seed: number, scale: string, anchor: Date): CareerPlugData {
  const counts = recordCounts(scale);
  const random = new Random(seed);
  const account: AccountRef = { id: 9000 + random.int(1, 999), name: 'Lone Star Fitness Group', slt_code: 'LSFG' };
  const brands: Named[] = [
    { id: 11, name: 'Lone Star Fitness' },
    { id: 12, name: 'Hill Country Yoga' },
  ];
  const departments: Named[] = ['Front Desk', 'Personal Training', 'Operations', 'Kids Club'].map((name, index) => ({ id: 21 + index, name }));
  const employments: Named[] = ['Full Time', 'Part Time', 'Seasonal'].map((name, index) => ({ id: 31 + index, name }));
  const locations = usCities.map((city, index) => makeLocation(random.fork(100 + index), city, index, account));
  const users = Array.from({ length: 4 }, (_, index) => makeUser(random.fork(200 + index), index, account));
  const jobs = new Map<number, Job>();
  for (let index = 0; index < counts.jobs; index += 1) {
    const job = makeJob(random.fork(1000 + index), 4100 + index, { account, brands, departments, employments, locations, users, anchor });
    jobs.set(job.id, job);
  }
  const data: CareerPlugData = { account, brands, departments, employments, locations, users, jobs, apps: new Map(), nextAppId: 70_001 };
  const jobList = [...jobs.values()];
  for (let index = 0; index < counts.apps; index += 1) {
    const appRandom = random.fork(100_000 + index);
    const app = makeApp(appRandom, data.nextAppId, appRandom.pick(jobList), account, anchor);
    if (index % returningEvery === returningEvery - 1) applyAgain(random.fork(300_000 + index), app, data.apps);
    data.apps.set(app.id, app);
    data.nextAppId += 1;
  }
  return data;
}

/** Every twelfth app is from someone who already applied to another job, so even a small account has returning people. */
const returningEvery = 12;

/**
 * Makes `app` a second application of a person who applied to another job before: the same e-mail,
 * name, phone and address, with the current title and employer of this later form.
 */
function applyAgain(random: Random, app: App, earlier: ReadonlyMap<number, App>): void {
  const elsewhere = [...earlier.values()].filter((other) => other.job.id !== app.job.id);
  if (elsewhere.length === 0) return;
  const person = random.pick(elsewhere).app;
  app.app = { ...person, recent_title: app.app.recent_title, recent_employer: app.app.recent_employer };
}

function makeLocation(random: Random, city: City, index: number, account: AccountRef): Location {
  return {
    id: String(501 + index),
    name: `${city.city} ${random.pick(['Downtown', 'North', 'Central', 'Eastside'])}`,
    street: `${random.int(100, 9899)} ${random.pick(['Main St', 'Congress Ave', 'Lamar Blvd', 'Oak Dr', 'Market St'])}`,
    city: city.city,
    state: city.region,
    'zip code': city.postalCode,
    country: 'US',
    number: String(10 + index),
    account,
  };
}

function makeUser(random: Random, index: number, account: AccountRef): User {
  const person = makePerson(random, { emailDomain: 'lonestarfitness.example' });
  const id = 801 + index;
  return {
    id,
    email: person.email,
    firstname: person.first,
    lastname: person.last,
    description: null,
    title: index === 0 ? 'Director of Talent' : random.pick(['General Manager', 'Hiring Manager', 'Assistant Manager']),
    role: index === 0 ? 'admin' : 'manager',
    phone: person.phone,
    login_url: `https://app.careerplug.com/sso/login?user=${id}`,
    account,
  };
}

interface JobContext {
  account: AccountRef;
  brands: Named[];
  departments: Named[];
  employments: Named[];
  locations: Location[];
  users: User[];
  anchor: Date;
}

function makeJob(random: Random, id: number, context: JobContext): Job {
  const location = random.pick(context.locations);
  const owner = random.pick(context.users);
  const title = random.pick(jobTitles);
  const created = dateBetween(random, new Date(context.anchor.getTime() - 120 * dayMs), new Date(context.anchor.getTime() - 60 * dayMs));
  const questionCount = random.int(1, 3);
  const questions = Array.from({ length: questionCount }, (_, index) => {
    const question = questionBank[(id + index) % questionBank.length] as (typeof questionBank)[number];
    return { id: id * 10 + index, name: question.name, answers: question.answers };
  });
  return {
    id,
    name: `${title} - ${location.city}`,
    description: `<p>Join the ${location.name} team as a ${title}. We offer flexible schedules, a free membership and paid training.</p>`,
    status: random.pick(['active', 'active', 'active', 'inactive', 'passive']),
    city: location.city,
    state: location.state,
    postal_code: location['zip code'],
    country: 'US',
    employment: random.pick(context.employments),
    job_template_name: title,
    code: `LS-${id}`,
    created_at: timestamp(created),
    updated_at: timestamp(dateBetween(random, created, context.anchor)),
    location,
    department: random.pick(context.departments),
    prescreen_questions: questions,
    brand: random.pick(context.brands),
    owner: { id: String(owner.id), firstname: owner.firstname, lastname: owner.lastname, email: owner.email },
    account: context.account,
  };
}

export function makeApplicant(random: Random, city: Location): Applicant {
  const person = makePerson(random);
  return {
    email: person.email,
    firstname: person.latinFirst,
    lastname: person.latinLast,
    phone: person.phone,
    address: `${random.int(100, 9999)} ${random.pick(['Elm St', 'Cedar Ln', 'Pecan St', 'Riverside Dr'])}`,
    city: city.city,
    state: city.state,
    postal_code: city['zip code'],
    country: 'US',
    recent_title: random.chance(0.8) ? random.pick(jobTitles) : null,
    recent_employer: random.chance(0.8) ? random.pick(employers) : null,
    pay_type: random.chance(0.5) ? random.pick(['hourly', 'salary']) : null,
    pay_rate: random.chance(0.5) ? `${random.int(12, 30)}.00` : null,
    employment_type: random.chance(0.5) ? random.pick(['full_time', 'part_time']) : null,
  };
}

export function makeApp(random: Random, id: number, job: Job, account: AccountRef, anchor: Date): App {
  const applied = dateBetween(random, new Date(anchor.getTime() - 90 * dayMs), anchor);
  const lastActed = dateBetween(random, applied, anchor);
  const status = random.pick<HiringStatus>(['new_app', 'new_app', 'in_process', 'in_process', 'in_process', 'hired', 'inactive']);
  const hired = status === 'hired' ? lastActed : null;
  return {
    id,
    account,
    job: { id: job.id, name: job.name, account },
    app: makeApplicant(random, job.location),
    location: job.location,
    hiring_step: status === 'new_app' ? null : random.pick(hiringSteps),
    hiring_status: status,
    prescreen_questions: job.prescreen_questions.map((question) => ({ id: question.id, name: question.name, answer: random.pick(question.answers) })),
    applied_at: timestamp(applied),
    last_updated: timestamp(lastActed),
    hired_at: hired ? timestamp(hired) : null,
    start_date: hired ? new Date(hired.getTime() + 14 * dayMs).toISOString().slice(0, 10) : null,
    source_name: random.pick(sources),
    last_acted_on_at: timestamp(lastActed),
  };
}

/** An app as it looks the moment it arrives: new, unacted, applied `now`. */
export function arrivingApp(id: number, job: Job, account: AccountRef, applicant: Applicant, answers: ReadonlyMap<number, string>, now: Date): App {
  return {
    id,
    account,
    job: { id: job.id, name: job.name, account },
    app: applicant,
    location: job.location,
    hiring_step: null,
    hiring_status: 'new_app',
    prescreen_questions: job.prescreen_questions.map((question) => ({ id: question.id, name: question.name, answer: answers.get(question.id) ?? '' })),
    applied_at: timestamp(now),
    last_updated: timestamp(now),
    hired_at: null,
    start_date: null,
    source_name: 'API',
    last_acted_on_at: timestamp(now),
  };
}

/** Moves an app forward in the hiring process, as a recruiter acting on it `now` would. */
export function actOn(random: Random, app: App, now: Date): void {
  const next: HiringStatus = app.hiring_status === 'new_app' ? 'in_process' : random.pick<HiringStatus>(['in_process', 'hired', 'inactive']);
  app.hiring_status = next;
  app.hiring_step = next === 'inactive' ? app.hiring_step : random.pick(hiringSteps);
  app.hired_at = next === 'hired' ? timestamp(now) : app.hired_at;
  app.start_date = next === 'hired' ? new Date(now.getTime() + 14 * dayMs).toISOString().slice(0, 10) : app.start_date;
  app.last_updated = timestamp(now);
  app.last_acted_on_at = timestamp(now);
}
