import { cities, dateBetween, makePerson, type Person } from '../people.ts';
import { Random } from '../random.ts';
import { countForScale } from '../emulator.ts';

/** InfoJobs records in the shapes of docs/providers/reference.md §3.5 (offer list items, v7 offer detail, candidate data). */

export interface Dictionary {
  id: number;
  value: string;
}

export interface TimelineEvent {
  tipoId: number;
  date: string;
  description: string;
  initializer: boolean;
  finisher: boolean;
  rejectedReasons: string[];
}

export interface Offer {
  id: string;
  title: string;
  description: string;
  minRequirements: string;
  company: { id: string; name: string; logoUrl: string };
  province: Dictionary;
  city: string;
  zipCode: string;
  category: Dictionary;
  subcategory: Dictionary;
  contractType: Dictionary;
  workDay: Dictionary;
  study: Dictionary;
  experienceMin: Dictionary;
  teleworking: Dictionary;
  salaryMin: number;
  salaryMax: number;
  vacancies: number;
  applications: number;
  skills: string[];
  published: Date;
  updated: Date;
  deleted: boolean;
}

export interface Application {
  code: string;
  offerId: string;
  curriculumCode: string;
  date: Date;
  hasCoverLetter: boolean;
  events: TimelineEvent[];
  rejected: boolean;
  processClosed: boolean;
  offerRemoved: boolean;
  eventsReadPending: number;
}

export interface Curriculum {
  id: number;
  code: string;
  name: string;
  principal: boolean;
  completed: boolean;
  cvtext: string;
  experience: { id: number; company: string; job: string; description: string; startingDate: string; finishingDate?: string; onCourse: boolean; category: Dictionary; level: Dictionary; staff: Dictionary }[];
  education: { id: number; educationLevelCode: string; courseCode: string; courseName: string; startingDate: string; finishingDate?: string; stillEnrolled: boolean; institutionName: string }[];
}

export interface InfoJobsData {
  readonly candidate: Person & { key: string; city: string; province: Dictionary };
  readonly offers: Map<string, Offer>;
  readonly curricula: Curriculum[];
  /** Newest first is computed on read; kept in creation order here. */
  readonly applications: Map<string, Application>;
}

const provinces: readonly (Dictionary & { city: string })[] = [
  { id: 33, value: 'Madrid', city: 'Madrid' },
  { id: 9, value: 'Barcelona', city: 'Barcelona' },
  { id: 47, value: 'Valencia/València', city: 'València' },
  { id: 2, value: 'A Coruña', city: 'A Coruña' },
  { id: 42, value: 'Sevilla', city: 'Sevilla' },
];
const categories: readonly (Dictionary & { titles: string[] })[] = [
  { id: 150, value: 'Informática y telecomunicaciones', titles: ['Programador/a Java', 'Desarrollador/a Full Stack', 'Analista de datos', 'Técnico/a de sistemas'] },
  { id: 10, value: 'Administración de empresas', titles: ['Administrativo/a contable', 'Recepcionista', 'Auxiliar administrativo/a'] },
  { id: 80, value: 'Comercial y ventas', titles: ['Comercial', 'Dependiente/a', 'Key Account Manager'] },
  { id: 120, value: 'Sanidad y salud', titles: ['Enfermero/a', 'Auxiliar de enfermería', 'Fisioterapeuta'] },
  { id: 140, value: 'Turismo y restauración', titles: ['Camarero/a', 'Cocinero/a', 'Ayudante de cocina'] },
  { id: 60, value: 'Compras, logística y almacén', titles: ['Mozo/a de almacén', 'Carretillero/a', 'Técnico/a de logística'] },
];
const companies = ['Grupo Ibérica Logística', 'Soluciones Mediterráneo SL', 'Clínica Nuestra Señora del Pilar', 'Hostelería Peñalara', 'Datos y Código SA', 'Distribuciones Núñez e Hijos', 'Talento Cántabro ETT'];
const contractTypes: readonly Dictionary[] = [
  { id: 1, value: 'Indefinido' },
  { id: 4, value: 'De duración determinada' },
  { id: 3, value: 'Otros contratos' },
];
const workDays: readonly Dictionary[] = [
  { id: 1, value: 'Completa' },
  { id: 2, value: 'Parcial - Mañana' },
  { id: 4, value: 'Intensiva - Tarde' },
];
const studies: readonly Dictionary[] = [
  { id: 10, value: 'Educación Secundaria Obligatoria' },
  { id: 30, value: 'Ciclo Formativo Grado Superior' },
  { id: 125, value: 'Grado' },
];
const experiences: readonly Dictionary[] = [
  { id: 1, value: 'No Requerida' },
  { id: 3, value: 'Al menos 1 año' },
  { id: 5, value: 'Al menos 3 años' },
];
const teleworkings: readonly Dictionary[] = [
  { id: 1, value: 'Presencial' },
  { id: 2, value: 'Solo teletrabajo' },
  { id: 3, value: 'Híbrido' },
];
const skillPool = ['Java', 'Spring Boot', 'SQL', 'Atención al cliente', 'Inglés', 'Excel', 'SAP', 'Trabajo en equipo', 'Python', 'Carnet de carretillero'];

/** The documented event types, as the candidate sees them (tipoId / description). */
export const eventTypes = {
  cvReceived: { tipoId: 1, description: 'CV recibido', initializer: true, finisher: false },
  cvRead: { tipoId: 2, description: 'CV leído', initializer: false, finisher: false },
  inProcess: { tipoId: 3, description: 'En proceso', initializer: false, finisher: false },
  notPreselected: { tipoId: 4, description: 'No seleccionado', initializer: false, finisher: true },
  processClosed: { tipoId: 5, description: 'Proceso cerrado', initializer: false, finisher: true },
} as const;

/** `2011-05-31T09:09:20.000+0000`: milliseconds and an offset without a colon. */
export function infojobsDate(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

const dayMs = 86_400_000;
const hex = (random: Random, length: number) => Array.from({ length }, () => '0123456789abcdef'[random.int(0, 15)]).join('');
const uuid = (random: Random) => `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${'89ab'[random.int(0, 3)]}${hex(random, 3)}-${hex(random, 12)}`;

export function recordCounts(scale: string): { offers: number; applications: number } {
  if (scale === 'season') return { offers: 2000, applications: 300 };
  const applications = countForScale(scale, 25, 'applications');
  return { offers: Math.max(10, applications * 2), applications };
}

export function generate(seed: number, scale: string, anchor: Date): InfoJobsData {
  const counts = recordCounts(scale);
  const random = new Random(seed);
  const person = makePerson(random.fork(1));
  const home = random.pick(provinces);
  const candidate = { ...person, key: uuid(random), city: home.city, province: { id: home.id, value: home.value } };
  const offers = new Map<string, Offer>();
  for (let index = 0; index < counts.offers; index += 1) {
    const offer = makeOffer(random.fork(1000 + index), anchor);
    offers.set(offer.id, offer);
  }
  const curricula = [makeCurriculum(random.fork(2), 0, candidate), makeCurriculum(random.fork(3), 1, candidate)];
  const data: InfoJobsData = { candidate, offers, curricula, applications: new Map() };
  const offerList = [...offers.values()];
  for (let index = 0; index < counts.applications; index += 1) {
    const application = makeApplication(random.fork(50_000 + index), random.pick(offerList), curricula, anchor);
    data.applications.set(application.code, application);
  }
  return data;
}

export function makeOffer(random: Random, anchor: Date): Offer {
  const province = random.pick(provinces);
  const category = random.pick(categories);
  const published = dateBetween(random, new Date(anchor.getTime() - 40 * dayMs), anchor);
  const salaryMin = random.int(14, 40) * 1000;
  const company = random.pick(companies);
  const city = cities.find((entry) => entry.city === province.city);
  return {
    id: hex(random, 30),
    title: random.pick(category.titles),
    description: `En ${company} buscamos una persona para incorporarse a nuestro equipo de ${province.city}. Ofrecemos estabilidad, formación continua y buen ambiente.`,
    minRequirements: 'Experiencia previa en un puesto similar. Disponibilidad inmediata.',
    company: { id: hex(random, 30), name: company, logoUrl: `https://multimedia.infojobs.net/api/v1/tenants/c3e1/logos/${hex(random, 8)}.gif` },
    province: { id: province.id, value: province.value },
    city: province.city,
    zipCode: city?.postalCode ?? '28013',
    category: { id: category.id, value: category.value },
    subcategory: { id: category.id * 10 + random.int(1, 9), value: category.value },
    contractType: random.pick(contractTypes),
    workDay: random.pick(workDays),
    study: random.pick(studies),
    experienceMin: random.pick(experiences),
    teleworking: random.pick(teleworkings),
    salaryMin,
    salaryMax: salaryMin + random.int(2, 10) * 1000,
    vacancies: random.int(1, 5),
    applications: random.int(0, 400),
    skills: [random.pick(skillPool), random.pick(skillPool)].filter((skill, index, all) => all.indexOf(skill) === index),
    published,
    updated: dateBetween(random, published, anchor),
    deleted: false,
  };
}

function makeCurriculum(random: Random, index: number, candidate: Person): Curriculum {
  const start = new Date(Date.UTC(2012 + random.int(0, 6), random.int(0, 11), 1));
  return {
    id: 33_695_177_462 + index,
    code: uuid(random),
    name: index === 0 ? candidate.first : `${candidate.first} (${random.pick(['hostelería', 'logística', 'tecnología'])})`,
    principal: index === 0,
    completed: index === 0,
    cvtext: `${candidate.first} ${candidate.last}. Profesional con experiencia en atención al cliente, organización de equipos y herramientas ofimáticas. Busco un puesto estable con proyección.`,
    experience: [
      {
        id: 9_000_000 + index * 10,
        company: random.pick(companies),
        job: random.pick(random.pick(categories).titles),
        description: 'Gestión diaria del equipo y atención a clientes.',
        startingDate: infojobsDate(start),
        finishingDate: infojobsDate(new Date(start.getTime() + random.int(300, 1500) * dayMs)),
        onCourse: false,
        category: random.pick(categories),
        level: { id: 3, value: 'Empleado/a' },
        staff: { id: 2, value: '1-5 personas' },
      },
      {
        id: 9_000_001 + index * 10,
        company: random.pick(companies),
        job: random.pick(random.pick(categories).titles),
        description: 'Puesto actual.',
        startingDate: infojobsDate(new Date(start.getTime() + 1600 * dayMs)),
        onCourse: true,
        category: random.pick(categories),
        level: { id: 4, value: 'Mando intermedio' },
        staff: { id: 1, value: 'Ninguno' },
      },
    ].map(({ category, ...rest }) => ({ ...rest, category: { id: category.id, value: category.value } })),
    education: [
      {
        id: 7_000_000 + index,
        educationLevelCode: 'grado',
        courseCode: 'administracion-direccion-empresas',
        courseName: 'Grado en Administración y Dirección de Empresas',
        startingDate: infojobsDate(new Date(start.getTime() - 1500 * dayMs)),
        finishingDate: infojobsDate(new Date(start.getTime() - 60 * dayMs)),
        stillEnrolled: false,
        institutionName: random.pick(['Universidad Complutense de Madrid', 'Universitat de València', 'Universidad de Sevilla', 'Universidade da Coruña']),
      },
    ],
  };
}

function event(kind: keyof typeof eventTypes, date: Date): TimelineEvent {
  return { ...eventTypes[kind], date: infojobsDate(date), rejectedReasons: kind === 'notPreselected' ? ['No cumple los requisitos mínimos'] : [] };
}

export function makeApplication(random: Random, offer: Offer, curricula: readonly Curriculum[], anchor: Date): Application {
  const date = dateBetween(random, new Date(anchor.getTime() - 60 * dayMs), anchor);
  const application: Application = {
    code: uuid(random),
    offerId: offer.id,
    curriculumCode: random.pick(curricula).code,
    date,
    hasCoverLetter: random.chance(0.4),
    events: [event('cvReceived', date)],
    rejected: false,
    processClosed: false,
    offerRemoved: false,
    eventsReadPending: 0,
  };
  const steps = random.int(0, 3);
  let at = date;
  for (let step = 0; step < steps; step += 1) {
    at = dateBetween(random, at, anchor);
    advance(random, application, at);
  }
  return application;
}

/** Adds the next timeline event, as the employer acting on the application at `when` would. */
export function advance(random: Random, application: Application, when: Date): void {
  if (application.rejected || application.processClosed) return;
  const read = application.events.some((item) => item.tipoId === eventTypes.cvRead.tipoId);
  const kind: keyof typeof eventTypes = !read ? 'cvRead' : random.pick(['inProcess', 'inProcess', 'notPreselected', 'processClosed'] as const);
  application.events.push(event(kind, when));
  application.rejected ||= kind === 'notPreselected';
  application.processClosed ||= kind === 'processClosed';
  application.eventsReadPending += 1;
}
