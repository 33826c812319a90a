import type { Random } from './random.ts';

/**
 * Deterministic, realistic people, places and dates for every provider emulator. Everything here
 * is drawn from a `Random`, so the same seed gives the same people on every machine.
 */

/** A name as the person writes it, plus the Latin form used where only Latin-1 text fits (PDF standard fonts). */
export interface Name {
  readonly native: string;
  readonly latin: string;
}

interface NamePool {
  readonly country: string;
  readonly female: readonly (string | Name)[];
  readonly male: readonly (string | Name)[];
  readonly last: readonly (string | Name)[];
}

const namePools: readonly NamePool[] = [
  {
    country: 'USA',
    female: ['Emily', 'Sarah', 'Jessica', 'Rachel', 'Hannah', 'Megan', 'Abigail', 'Olivia', 'Grace', 'Lauren', 'Madison', 'Claire'],
    male: ['Michael', 'David', 'James', 'Daniel', 'Matthew', 'Benjamin', 'Andrew', 'Ethan', 'Nathan', 'Samuel', 'Jacob', 'Ryan'],
    last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Miller', 'Davis', 'Anderson', 'Taylor', 'Thompson', 'Harris', 'Clark', 'Walker', "O'Connor", 'McAllister'],
  },
  {
    country: 'Germany',
    female: ['Anna', 'Lena', 'Katharina', 'Julia', 'Sophie', 'Marie'],
    male: ['Jürgen', 'Lukas', 'Maximilian', 'Felix', 'Jonas', 'Tobias'],
    last: ['Müller', 'Schäfer', 'Weiß', 'Schröder', 'Groß', 'Köhler', 'Becker', 'Hoffmann'],
  },
  {
    country: 'France',
    female: ['Chloé', 'Léa', 'Margaux', 'Hélène', 'Élodie', 'Camille'],
    male: ['François', 'Jérôme', 'Étienne', 'Benoît', 'Thibault', 'Raphaël'],
    last: ['Lefèvre', 'Dubois', 'Bélanger', 'Moreau', 'Girard', 'Rousseau', 'Mercier'],
  },
  {
    country: 'Spain',
    female: ['María', 'Lucía', 'Inés', 'Begoña', 'Ainhoa', 'Nuria'],
    male: ['José', 'Álvaro', 'Sergio', 'Íñigo', 'Jesús', 'Andrés'],
    last: ['García', 'Fernández', 'Martínez', 'Núñez', 'Peña', 'Ibáñez', 'Gómez', 'Sánchez'],
  },
  {
    country: 'Italy',
    female: ['Giulia', 'Francesca', 'Chiara', 'Federica'],
    male: ['Niccolò', 'Lorenzo', 'Matteo', 'Giacomo'],
    last: ['Rossi', 'Bianchi', 'Esposito', 'Ricci', 'De Luca', 'Colombo'],
  },
  {
    country: 'Brazil',
    female: ['Luíza', 'Beatriz', 'Letícia', 'Fernanda'],
    male: ['João', 'Gonçalo', 'Thiago', 'Sebastião'],
    last: ['Gonçalves', 'Araújo', 'Conceição', 'Magalhães', 'Simões'],
  },
  {
    country: 'Poland',
    female: ['Małgorzata', 'Agnieszka', 'Zofia'],
    male: ['Łukasz', 'Paweł', 'Wojciech'],
    last: ['Wójcik', 'Kowalczyk', 'Zieliński', 'Dąbrowski'],
  },
  {
    country: 'Norway',
    female: ['Ingrid', 'Åse', 'Sigrid'],
    male: ['Søren', 'Bjørn', 'Håkon'],
    last: ['Ødegård', 'Bjørnstad', 'Løvås', 'Hansen'],
  },
  {
    country: 'Turkey',
    female: ['Ayşe', 'Zeynep', 'Gülşen'],
    male: ['Çağrı', 'Mehmet', 'Oğuz'],
    last: ['Yılmaz', 'Öztürk', 'Çelik', 'Şahin'],
  },
  {
    country: 'China',
    female: [{ native: '李娜', latin: 'Na' }, 'Xiaoyu', 'Yiwen', 'Jing', 'Mengqi'],
    male: [{ native: '王伟', latin: 'Wei' }, 'Zhiyuan', 'Haoran', 'Jian', 'Yichen'],
    last: ['Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', { native: '黄', latin: 'Huang' }],
  },
  {
    country: 'Japan',
    female: ['Yuki', 'Haruka', { native: '美咲', latin: 'Misaki' }],
    male: ['Takeshi', 'Kenji', { native: '翔太', latin: 'Shota' }],
    last: ['Tanaka', 'Suzuki', 'Takahashi', { native: '渡辺', latin: 'Watanabe' }],
  },
  {
    country: 'South Korea',
    female: ['Ji-woo', 'Seo-yeon', { native: '민지', latin: 'Min-ji' }],
    male: ['Min-jun', 'Hyun-woo', { native: '도윤', latin: 'Do-yoon' }],
    last: ['Kim', 'Lee', 'Park', { native: '최', latin: 'Choi' }],
  },
  {
    country: 'India',
    female: ['Priya', 'Ananya', 'Kavya', 'Ishita', 'Meera'],
    male: ['Arjun', 'Rohan', 'Vikram', 'Aditya', 'Siddharth'],
    last: ['Sharma', 'Patel', 'Iyer', 'Chatterjee', 'Reddy', 'Gupta'],
  },
  {
    country: 'Russia',
    female: [{ native: 'Анастасия', latin: 'Anastasia' }, 'Ekaterina', 'Olga'],
    male: [{ native: 'Дмитрий', latin: 'Dmitry' }, 'Sergei', 'Alexei'],
    last: [{ native: 'Иванов', latin: 'Ivanov' }, 'Petrov', 'Smirnova', 'Volkov'],
  },
  {
    country: 'Greece',
    female: [{ native: 'Ελένη', latin: 'Eleni' }, 'Sofia'],
    male: [{ native: 'Γιώργος', latin: 'Giorgos' }, 'Nikos'],
    last: [{ native: 'Παπαδόπουλος', latin: 'Papadopoulos' }, 'Georgiou'],
  },
  {
    country: 'Israel',
    female: ['Noa', 'Tamar'],
    male: ['Itai', { native: 'אורי', latin: 'Uri' }],
    last: ['Cohen', 'Levi', { native: 'מזרחי', latin: 'Mizrahi' }],
  },
  {
    country: 'Egypt',
    female: ['Yasmin', 'Nour'],
    male: ['Omar', { native: 'محمد', latin: 'Mohamed' }],
    last: ['Hassan', 'El-Sayed', { native: 'عبد الله', latin: 'Abdallah' }],
  },
  {
    country: 'Vietnam',
    female: ['Ngọc Anh', 'Thảo'],
    male: ['Đức Minh', 'Quốc Huy'],
    last: ['Nguyễn', 'Trần', 'Phạm', 'Lê'],
  },
  {
    country: 'Nigeria',
    female: ['Chiamaka', 'Adaeze', 'Folake'],
    male: ['Oluwaseun', 'Chukwuemeka', 'Babatunde'],
    last: ['Okafor', 'Adeyemi', 'Oyelaran', 'Eze'],
  },
];

/** Weights per pool: the US pool is larger, as on a real North American job market. */
const poolWeights = namePools.map((pool) => (pool.country === 'USA' ? 8 : pool.country === 'China' || pool.country === 'India' ? 3 : 1));

export interface Institution {
  readonly name: string;
  readonly city: string;
  readonly country: string;
  /** E-mail domain of the institution. */
  readonly domain: string;
}

export const institutions: readonly Institution[] = [
  { name: 'Harvard University', city: 'Cambridge', country: 'USA', domain: 'harvard.edu' },
  { name: 'Massachusetts Institute of Technology', city: 'Cambridge', country: 'USA', domain: 'mit.edu' },
  { name: 'Stanford University', city: 'Stanford', country: 'USA', domain: 'stanford.edu' },
  { name: 'Princeton University', city: 'Princeton', country: 'USA', domain: 'princeton.edu' },
  { name: 'University of Chicago', city: 'Chicago', country: 'USA', domain: 'uchicago.edu' },
  { name: 'Northwestern University', city: 'Evanston', country: 'USA', domain: 'northwestern.edu' },
  { name: 'Yale University', city: 'New Haven', country: 'USA', domain: 'yale.edu' },
  { name: 'University of California, Berkeley', city: 'Berkeley', country: 'USA', domain: 'berkeley.edu' },
  { name: 'University of California, San Diego', city: 'La Jolla', country: 'USA', domain: 'ucsd.edu' },
  { name: 'Columbia University', city: 'New York', country: 'USA', domain: 'columbia.edu' },
  { name: 'New York University', city: 'New York', country: 'USA', domain: 'nyu.edu' },
  { name: 'University of Pennsylvania', city: 'Philadelphia', country: 'USA', domain: 'upenn.edu' },
  { name: 'University of Michigan', city: 'Ann Arbor', country: 'USA', domain: 'umich.edu' },
  { name: 'University of Wisconsin–Madison', city: 'Madison', country: 'USA', domain: 'wisc.edu' },
  { name: 'Boston University', city: 'Boston', country: 'USA', domain: 'bu.edu' },
  { name: 'University of Texas at Austin', city: 'Austin', country: 'USA', domain: 'utexas.edu' },
  { name: 'University of British Columbia', city: 'Vancouver', country: 'Canada', domain: 'ubc.ca' },
  { name: 'University of Toronto', city: 'Toronto', country: 'Canada', domain: 'utoronto.ca' },
  { name: 'McGill University', city: 'Montréal', country: 'Canada', domain: 'mcgill.ca' },
  { name: 'Université de Montréal', city: 'Montréal', country: 'Canada', domain: 'umontreal.ca' },
  { name: 'London School of Economics', city: 'London', country: 'United Kingdom', domain: 'lse.ac.uk' },
  { name: 'University College London', city: 'London', country: 'United Kingdom', domain: 'ucl.ac.uk' },
  { name: 'University of Oxford', city: 'Oxford', country: 'United Kingdom', domain: 'ox.ac.uk' },
  { name: 'Paris School of Economics', city: 'Paris', country: 'France', domain: 'psemail.eu' },
  { name: 'Toulouse School of Economics', city: 'Toulouse', country: 'France', domain: 'tse-fr.eu' },
  { name: 'Universität Mannheim', city: 'Mannheim', country: 'Germany', domain: 'uni-mannheim.de' },
  { name: 'Ludwig-Maximilians-Universität München', city: 'München', country: 'Germany', domain: 'lmu.de' },
  { name: 'Universität Zürich', city: 'Zürich', country: 'Switzerland', domain: 'uzh.ch' },
  { name: 'Università Bocconi', city: 'Milano', country: 'Italy', domain: 'unibocconi.it' },
  { name: 'Universitat Pompeu Fabra', city: 'Barcelona', country: 'Spain', domain: 'upf.edu' },
  { name: 'CEMFI', city: 'Madrid', country: 'Spain', domain: 'cemfi.es' },
  { name: 'Stockholm University', city: 'Stockholm', country: 'Sweden', domain: 'su.se' },
  { name: 'Norges Handelshøyskole', city: 'Bergen', country: 'Norway', domain: 'nhh.no' },
  { name: 'Tel Aviv University', city: 'Tel Aviv', country: 'Israel', domain: 'tau.ac.il' },
  { name: 'Peking University', city: 'Beijing', country: 'China', domain: 'pku.edu.cn' },
  { name: 'Tsinghua University', city: 'Beijing', country: 'China', domain: 'tsinghua.edu.cn' },
  { name: 'University of Tokyo', city: 'Tokyo', country: 'Japan', domain: 'u-tokyo.ac.jp' },
  { name: 'Seoul National University', city: 'Seoul', country: 'South Korea', domain: 'snu.ac.kr' },
  { name: 'Australian National University', city: 'Canberra', country: 'Australia', domain: 'anu.edu.au' },
  { name: 'Fundação Getulio Vargas', city: 'São Paulo', country: 'Brazil', domain: 'fgv.br' },
  { name: 'Indian Statistical Institute', city: 'New Delhi', country: 'India', domain: 'isid.ac.in' },
  { name: 'Federal Reserve Board', city: 'Washington', country: 'USA', domain: 'frb.gov' },
  { name: 'International Monetary Fund', city: 'Washington', country: 'USA', domain: 'imf.org' },
];

export const departments: readonly string[] = [
  'Department of Economics',
  'Department of Economics',
  'Department of Economics',
  'Booth School of Business',
  'Department of Agricultural and Resource Economics',
  'School of Public Policy',
  'Department of Finance',
  'Research Department',
];

/** Economics fields with their JEL code, as EconJobMarket lists them (`primary_field`, `secondary_fields`). */
export interface Field {
  readonly id: number;
  readonly jel: string;
  readonly name: string;
}

export const economicsFields: readonly Field[] = [
  { id: 1, jel: 'C', name: 'Econometrics' },
  { id: 2, jel: 'D', name: 'Microeconomic Theory' },
  { id: 3, jel: 'E', name: 'Macroeconomics' },
  { id: 4, jel: 'F', name: 'International Trade' },
  { id: 5, jel: 'F3', name: 'International Finance' },
  { id: 6, jel: 'G', name: 'Financial Economics' },
  { id: 7, jel: 'H', name: 'Public Economics' },
  { id: 8, jel: 'I1', name: 'Health Economics' },
  { id: 9, jel: 'I2', name: 'Economics of Education' },
  { id: 10, jel: 'J', name: 'Labor Economics' },
  { id: 11, jel: 'K', name: 'Law and Economics' },
  { id: 12, jel: 'L', name: 'Industrial Organization' },
  { id: 13, jel: 'N', name: 'Economic History' },
  { id: 14, jel: 'O', name: 'Development Economics' },
  { id: 15, jel: 'Q', name: 'Environmental Economics' },
  { id: 16, jel: 'R', name: 'Urban Economics' },
  { id: 17, jel: 'C7', name: 'Game Theory' },
  { id: 18, jel: 'D9', name: 'Behavioral Economics' },
  { id: 19, jel: 'C9', name: 'Experimental Economics' },
  { id: 20, jel: 'E5', name: 'Monetary Economics' },
  { id: 21, jel: 'D6', name: 'Welfare Economics' },
  { id: 22, jel: 'Q1', name: 'Agricultural Economics' },
  { id: 23, jel: 'D7', name: 'Political Economy' },
  { id: 24, jel: 'C5', name: 'Computational Economics' },
];

export const academicRanks: readonly string[] = ['Professor', 'Professor', 'Associate Professor', 'Assistant Professor', 'Professor Emeritus'];
export const currentPositions: readonly string[] = ['Doctoral Student', 'Doctoral Student', 'Doctoral Student', 'Postdoctoral Fellow', 'Assistant Professor', 'Economist', 'Visiting Scholar'];

/** General job titles and cities, for the non-academic providers. */
export const jobTitles: readonly string[] = [
  'Shift Supervisor', 'Store Manager', 'Line Cook', 'Server', 'Cashier', 'Delivery Driver', 'Warehouse Associate',
  'Customer Service Representative', 'Registered Nurse', 'Dental Assistant', 'Software Engineer', 'Data Analyst',
  'Accountant', 'Marketing Coordinator', 'Sales Associate', 'HR Generalist', 'Electrician', 'Maintenance Technician',
];

export interface City {
  readonly city: string;
  readonly region: string;
  readonly country: string;
  readonly countryCode: string;
  readonly postalCode: string;
}

export const cities: readonly City[] = [
  { city: 'Austin', region: 'TX', country: 'USA', countryCode: 'US', postalCode: '78701' },
  { city: 'Columbus', region: 'OH', country: 'USA', countryCode: 'US', postalCode: '43215' },
  { city: 'Denver', region: 'CO', country: 'USA', countryCode: 'US', postalCode: '80202' },
  { city: 'Raleigh', region: 'NC', country: 'USA', countryCode: 'US', postalCode: '27601' },
  { city: 'Phoenix', region: 'AZ', country: 'USA', countryCode: 'US', postalCode: '85004' },
  { city: 'Madrid', region: 'Madrid', country: 'Spain', countryCode: 'ES', postalCode: '28013' },
  { city: 'Barcelona', region: 'Barcelona', country: 'Spain', countryCode: 'ES', postalCode: '08002' },
  { city: 'València', region: 'Valencia', country: 'Spain', countryCode: 'ES', postalCode: '46002' },
  { city: 'A Coruña', region: 'A Coruña', country: 'Spain', countryCode: 'ES', postalCode: '15001' },
  { city: 'Sevilla', region: 'Sevilla', country: 'Spain', countryCode: 'ES', postalCode: '41001' },
  { city: 'Manchester', region: 'Greater Manchester', country: 'United Kingdom', countryCode: 'GB', postalCode: 'M1 1AE' },
  { city: 'Lagos', region: 'Lagos', country: 'Nigeria', countryCode: 'NG', postalCode: '100001' },
  { city: 'Toronto', region: 'ON', country: 'Canada', countryCode: 'CA', postalCode: 'M5H 2N2' },
];

export type Gender = 'female' | 'male' | 'withheld';

export interface Person {
  readonly first: string;
  readonly middle: string | null;
  readonly last: string;
  /** Latin forms of the names, for text that must stay in Latin-1. */
  readonly latinFirst: string;
  readonly latinLast: string;
  readonly gender: Gender;
  /** The country the names come from; use it as nationality. */
  readonly nationality: string;
  readonly email: string;
  readonly phone: string;
}

function nameOf(entry: string | Name): Name {
  return typeof entry === 'string' ? { native: entry, latin: entry } : entry;
}

/** Lower-case ASCII for e-mail local parts: strips accents, keeps letters only. */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function weightedIndex(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [index, weight] of weights.entries()) {
    roll -= weight;
    if (roll < 0) return index;
  }
  return weights.length - 1;
}

/** A person with a consistent name, nationality, e-mail (at `emailDomain` when given) and phone. */
export function makePerson(random: Random, options: { emailDomain?: string; unique?: number } = {}): Person {
  const pool = namePools[weightedIndex(random, poolWeights)] as NamePool;
  const gender: Gender = random.chance(0.08) ? 'withheld' : random.chance(0.5) ? 'female' : 'male';
  const firstPool = gender === 'female' || (gender === 'withheld' && random.chance(0.5)) ? pool.female : pool.male;
  const first = nameOf(random.pick(firstPool));
  const last = nameOf(random.pick(pool.last));
  const middle = random.chance(0.15) ? `${String.fromCharCode(65 + random.int(0, 25))}.` : null;
  const domain = options.emailDomain ?? random.pick(['gmail.com', 'outlook.com', 'proton.me', 'yahoo.com']);
  const suffix = options.unique === undefined ? '' : String(options.unique);
  const email = `${asciiSlug(first.latin).slice(0, 12)}.${asciiSlug(last.latin).slice(0, 16)}${suffix}@${domain}`;
  return {
    first: first.native,
    middle,
    last: last.native,
    latinFirst: first.latin,
    latinLast: last.latin,
    gender,
    nationality: pool.country,
    email,
    phone: phoneNumber(random, pool.country),
  };
}

export function phoneNumber(random: Random, country: string): string {
  const digits = (count: number) => Array.from({ length: count }, () => String(random.int(0, 9))).join('');
  if (country === 'USA') return `(${random.int(201, 989)}) ${random.int(200, 989)}-${digits(4)}`;
  if (country === 'Spain') return `+34 6${digits(2)} ${digits(3)} ${digits(3)}`;
  return `+${random.int(30, 98)} ${digits(3)} ${digits(3)} ${digits(4)}`;
}

export function fullName(person: Pick<Person, 'first' | 'middle' | 'last'>): string {
  return [person.first, person.middle, person.last].filter(Boolean).join(' ');
}

export function latinName(person: Pick<Person, 'latinFirst' | 'middle' | 'latinLast'>): string {
  return [person.latinFirst, person.middle, person.latinLast].filter(Boolean).join(' ');
}

/** A uniformly drawn instant in [start, end), whole seconds. */
export function dateBetween(random: Random, start: Date, end: Date): Date {
  const span = Math.max(0, end.getTime() - start.getTime());
  return new Date(Math.floor((start.getTime() + random.next() * span) / 1000) * 1000);
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` with no zone, the way EconJobMarket writes dates (read as UTC here). */
export function zonelessDateTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** `YYYY-MM-DD` (UTC). */
export function isoDay(date: Date): string {
  return zonelessDateTime(date).slice(0, 10);
}

/** Paragraph text for documents: sentences drawn from an economics-flavoured vocabulary. */
export function paragraph(random: Random, sentences: number, topic: string): string {
  const openings = ['This paper studies', 'We document', 'I show that', 'Using administrative data, I estimate', 'We exploit variation in', 'The model predicts'];
  const objects = ['the response of household savings', 'firm entry and exit', 'wage dynamics over the life cycle', 'the pass-through of monetary policy', 'the incidence of payroll taxes', 'matching frictions in the labor market', 'misallocation across plants', 'school choice and peer effects', 'the welfare cost of business cycles'];
  const links = ['to changes in', 'in the presence of', 'under', 'when agents face', 'after shocks to'];
  const causes = ['credit constraints', 'minimum wage increases', 'trade liberalization', 'information frictions', 'uncertainty about future income', 'a regression discontinuity at the eligibility threshold', 'staggered policy adoption'];
  const findings = ['The effects are large and persistent.', 'Standard models miss half of the observed response.', 'Heterogeneity across regions explains most of the aggregate effect.', 'The estimates are robust to alternative specifications.', 'Counterfactual simulations suggest sizeable welfare gains.'];
  const parts: string[] = [];
  for (let index = 0; index < sentences; index += 1) {
    parts.push(index % 3 === 2
      ? random.pick(findings)
      : `${random.pick(openings)} ${random.pick(objects)} ${random.pick(links)} ${random.pick(causes)} in ${topic.toLowerCase()}.`);
  }
  return parts.join(' ');
}
