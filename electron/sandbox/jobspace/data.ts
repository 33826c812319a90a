import { dateBetween, jobTitles, makePerson } from '../people.ts';
import { Random } from '../random.ts';
import { countForScale } from '../emulator.ts';

/** The Job Space (JDT Software) job-board records, kept flat; server.ts renders the documented shapes. */

export interface Country {
  id: number;
  iso: string;
  name: string;
  geo_lon: number;
  geo_lat: number;
}

export interface Handle {
  id: number;
  handle: string;
  name: string;
}

export interface Place {
  display: string;
  premise: string;
  thoroughfare: string;
  locality: string;
  main_area: string;
  postcode: string;
  lat: number;
  lon: number;
}

export interface JobRecord {
  id: number;
  organisation_id: number;
  reference: string;
  name: string;
  summary: string | null;
  description: string;
  benefits: string | null;
  skills: string | null;
  category: Handle;
  type: Handle;
  country: Country;
  place: Place;
  postcode_id: number;
  address_id: number;
  salary_from: number;
  salary_to: number;
  salary_text: string;
  salary_frequency: Handle;
  salary_currency: string;
  apply_type: string;
  apply_data: string | null;
  number_applied: number;
  creator_name: string;
  open_date: Date;
  close_date: Date;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export const organisation = { id: 10, handle: 'northern-careers', name: 'Northern Careers' };

export const countries: readonly Country[] = [
  { id: 1, iso: 'AF', name: 'Afghanistan', geo_lon: 67.71, geo_lat: 33.94 },
  { id: 74, iso: 'FR', name: 'France', geo_lon: 2.21, geo_lat: 46.23 },
  { id: 81, iso: 'DE', name: 'Germany', geo_lon: 10.45, geo_lat: 51.17 },
  { id: 105, iso: 'IE', name: 'Ireland', geo_lon: -8.24, geo_lat: 53.41 },
  { id: 206, iso: 'ES', name: 'Spain', geo_lon: -3.75, geo_lat: 40.46 },
  { id: 229, iso: 'GB', name: 'United Kingdom', geo_lon: -3.44, geo_lat: 55.38 },
  { id: 230, iso: 'US', name: 'United States', geo_lon: -95.71, geo_lat: 37.09 },
];

export const jobTypes: readonly Handle[] = [
  { id: 1, handle: 'perm_fulltime', name: 'Permanent Full Time' },
  { id: 2, handle: 'perm_parttime', name: 'Permanent Part Time' },
  { id: 3, handle: 'contract', name: 'Contract' },
  { id: 4, handle: 'temporary', name: 'Temporary' },
];

export const jobCategories: readonly (Handle & { parent: { id: number; handle: string } | null })[] = [
  { id: 1, handle: 'root', name: 'All', parent: null },
  { id: 2, handle: 'ACCOUNTANCY', name: 'Accountancy', parent: { id: 1, handle: 'root' } },
  { id: 6, handle: 'ANALYST', name: 'Analyst', parent: { id: 749, handle: 'SCIENTIFIC' } },
  { id: 9, handle: 'CATERING', name: 'Catering & Hospitality', parent: { id: 1, handle: 'root' } },
  { id: 14, handle: 'ENGINEERING', name: 'Engineering', parent: { id: 1, handle: 'root' } },
  { id: 21, handle: 'HEALTHCARE', name: 'Healthcare & Nursing', parent: { id: 1, handle: 'root' } },
  { id: 30, handle: 'IT', name: 'IT & Telecoms', parent: { id: 1, handle: 'root' } },
  { id: 41, handle: 'RETAIL', name: 'Retail', parent: { id: 1, handle: 'root' } },
  { id: 749, handle: 'SCIENTIFIC', name: 'Scientific', parent: { id: 1, handle: 'root' } },
];

export const salaryFrequencies: readonly Handle[] = ['HOURLY', 'DAILY', 'WEEKLY', 'FORTNIGHTLY', '4WEEKLY', 'MONTHLY', 'ANNUALLY'].map((handle, index) => ({
  id: index + 1,
  handle,
  name: handle.charAt(0) + handle.slice(1).toLowerCase(),
}));

export const currencies: readonly { id: number; iso_code: string; symbol: string; unicode: string }[] = [
  { id: 1, iso_code: 'GBP', symbol: '£', unicode: '£' },
  { id: 2, iso_code: 'EUR', symbol: '€', unicode: '€' },
  { id: 3, iso_code: 'USD', symbol: '$', unicode: '$' },
];

export const applyTypes: readonly Handle[] = ['REDIRECT', 'SIGNUP', 'SIGNUP_WITHPOST', 'EMAIL'].map((handle, index) => ({ id: index + 1, handle, name: handle.replace('_', ' ').toLowerCase() }));

const places: readonly Place[] = [
  { display: 'Sheffield, South Yorkshire', premise: '2 Rustic Court', thoroughfare: 'Division Street', locality: 'Sheffield', main_area: 'South Yorkshire', postcode: 'S95AT', lat: 53.39396667480469, lon: -1.419806718826294 },
  { display: 'Leeds, West Yorkshire', premise: '14 Wharf Approach', thoroughfare: 'Granary Wharf', locality: 'Leeds', main_area: 'West Yorkshire', postcode: 'LS14BR', lat: 53.7942, lon: -1.5476 },
  { display: 'Manchester, Greater Manchester', premise: '1 Spinningfields', thoroughfare: 'Hardman Street', locality: 'Manchester', main_area: 'Greater Manchester', postcode: 'M33EB', lat: 53.4794, lon: -2.2526 },
  { display: 'Newcastle upon Tyne, Tyne and Wear', premise: '3 Quayside', thoroughfare: 'Sandhill', locality: 'Newcastle upon Tyne', main_area: 'Tyne and Wear', postcode: 'NE13AF', lat: 54.9689, lon: -1.6087 },
  { display: 'York, North Yorkshire', premise: '22 Micklegate', thoroughfare: 'Micklegate', locality: 'York', main_area: 'North Yorkshire', postcode: 'YO16JX', lat: 53.9576, lon: -1.0867 },
];

const dayMs = 86_400_000;

export function recordCount(scale: string): number {
  if (scale === 'season') return 1500;
  return countForScale(scale, 30, 'jobs');
}

export function generate(seed: number, scale: string, anchor: Date): Map<number, JobRecord> {
  const random = new Random(seed);
  const jobs = new Map<number, JobRecord>();
  for (let index = 0; index < recordCount(scale); index += 1) {
    const job = makeJob(random.fork(1000 + index), 142 + index, anchor);
    jobs.set(job.id, job);
  }
  return jobs;
}

export function makeJob(random: Random, id: number, anchor: Date): JobRecord {
  const place = random.pick(places);
  const created = dateBetween(random, new Date(anchor.getTime() - 60 * dayMs), anchor);
  const open = new Date(Math.floor(created.getTime() / dayMs) * dayMs);
  const salaryFrom = random.int(18, 60) * 1000;
  const creator = makePerson(random);
  const applyType = random.pick(['REDIRECT', 'SIGNUP', 'EMAIL']);
  return {
    id,
    organisation_id: organisation.id,
    reference: `NC-${String(100000 + id)}`,
    name: random.pick(jobTitles),
    summary: random.chance(0.7) ? 'An exciting opportunity to join a growing team.' : null,
    description: `<p>We are looking for an experienced professional to join our ${place.locality} office. Hybrid working, 25 days holiday and a pension scheme.</p>`,
    benefits: random.chance(0.5) ? 'Pension, private healthcare, cycle to work scheme' : null,
    skills: random.chance(0.5) ? 'Communication, teamwork, attention to detail' : null,
    category: random.pick(jobCategories.slice(1)),
    type: random.pick(jobTypes),
    country: countries.find((country) => country.iso === 'GB') as Country,
    place,
    postcode_id: 22 + places.indexOf(place),
    address_id: 16 + places.indexOf(place),
    salary_from: salaryFrom,
    salary_to: salaryFrom + random.int(2, 12) * 1000,
    salary_text: random.chance(0.3) ? 'Competitive' : '',
    salary_frequency: salaryFrequencies[6] as Handle,
    salary_currency: 'GBP',
    apply_type: applyType,
    apply_data: applyType === 'REDIRECT' ? `https://careers.northern.example/apply/${id}` : applyType === 'EMAIL' ? 'jobs@northern.example' : null,
    number_applied: random.int(0, 60),
    creator_name: `${creator.latinFirst} ${creator.latinLast}`,
    open_date: open,
    close_date: new Date(open.getTime() + 30 * dayMs),
    created_at: created,
    updated_at: dateBetween(random, created, anchor),
    deleted_at: null,
  };
}
