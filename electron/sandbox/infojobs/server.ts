import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSwitch } from '../faults.ts';
import {
  AuthorizationServer,
  SandboxClock,
  basicCredentials,
  codeOrRefreshGrant,
  formBody,
  isFailure,
  mergedParams,
  requestClient,
  sandboxCredential,
} from '../oauth.ts';
import { Random } from '../random.ts';
import { applyRequestFaults, sendBody, sendJson, type RequestContext, type RunningSandbox } from '../server.ts';
import { mutationCount, startOAuthSandbox } from '../oauth-sandbox.ts';
import { advance, generate, infojobsDate, makeApplication, makeOffer, type Application, type Curriculum, type InfoJobsData, type Offer } from './data.ts';
import { servedPageSize, type StrictnessProfile } from '../strictness.ts';

/**
 * InfoJobs emulator: www.infojobs.net (authorize page, token endpoint) and api.infojobs.net (REST
 * operations, versioned per operation) on one server. Choices where the docs are silent: README.md.
 */

export interface EmulatorOptions {
  readonly port?: number;
  readonly scale?: string;
  readonly seed?: number;
  readonly strictness?: StrictnessProfile;
}

export interface InfoJobsEmulator extends RunningSandbox {
  readonly ready: { provider: 'infojobs'; baseUrl: string; tokenUrl: string; authorizeUrl: string; clientId: string; clientSecret: string };
  readonly data: InfoJobsData;
}

export const infojobsScopes = [
  'MY_APPLICATIONS',
  'APPLICATION_TIMELINE',
  'CANDIDATE_PROFILE_WITH_EMAIL',
  'CV',
  'CANDIDATE_READ_CURRICULUM_EXPERIENCE',
  'CANDIDATE_READ_CURRICULUM_PERSONAL_DATA',
  'CANDIDATE_READ_CURRICULUM_FUTURE_JOB',
  'CANDIDATE_READ_CURRICULUM_SKILLS',
  'CANDIDATE_EDIT_CURRICULUM_CVTEXT',
] as const;
type Scope = (typeof infojobsScopes)[number];

const documentedLifetimeSeconds = 43_199;
const pageSizes = [10, 20, 30];
const sinceDates: Record<string, number> = { _24_HOURS: 1, _7_DAYS: 7, _15_DAYS: 15, ANY: Infinity };
const offerOrders = ['updated', 'updated-desc', 'title', 'title-desc', 'city', 'city-desc', 'author', 'author-desc', 'relevancia-desc', 'applicants-asc'];

const escapeXml = (text: string) => text.replace(/[&<>]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[char] as string);

class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** One operation; `match` holds the path's captured ids. The dataset has one candidate, so the caller needs no passing on. */
type Operation = (query: URLSearchParams, match: string[], context: RequestContext) => unknown;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Null for the public operations that need only the client's Basic credentials. */
  readonly scope: Scope | null;
  readonly run: Operation;
}

export async function startInfoJobsEmulator(options: EmulatorOptions = {}): Promise<InfoJobsEmulator> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock();
  const anchor = new Date(clock.nowMs());
  const data = generate(seed, options.scale ?? 'small', anchor);
  const credentials = new Random(seed).fork(702);
  const client = {
    id: sandboxCredential(credentials, 32, '0123456789abcdef'),
    secret: sandboxCredential(credentials, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
    name: 'Dossier (sandbox)',
    redirectUris: ['http://127.0.0.1/callback'],
  };
  const harness: { faults?: FaultSwitch } = {};
  const user = { id: data.candidate.key, login: data.candidate.email, password: 'sandbox', displayName: `${data.candidate.first} ${data.candidate.last}` };
  const oauth = new AuthorizationServer({
    productName: 'InfoJobs',
    clients: [client],
    users: [user],
    scopes: { known: infojobsScopes, separator: ',', defaults: ['MY_APPLICATIONS'] },
    codeLifetimeSeconds: 600,
    accessTokenLifetimeSeconds: documentedLifetimeSeconds,
    issueRefreshTokens: true,
    faults: () => harness.faults,
    clock,
    redirectMatching: options.strictness?.redirect,
    tokenValue: randomUUID,
  });
  const mutations = new Random(seed).fork(99);
  const now = () => new Date(clock.nowMs());

  const errorBody = (code: string, description: string) => ({ error: code, error_description: description, timestamp: infojobsDate(now()) });

  async function handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const path = context.url.pathname;
    if (path === '/api/oauth/user-authorize/index.xhtml' && (context.method === 'GET' || context.method === 'POST')) return oauth.handleAuthorize(request, response, context);
    if (path === '/oauth/authorize' && context.method === 'POST') return token(request, response, context);
    if (!path.startsWith('/api/')) return sendJson(response, context, 404, errorBody('1', 'API operation does not exist'));
    return api(request, response, context);
  }

  /** Token and refresh share POST /oauth/authorize; parameters may come in the query string or the body. */
  async function token(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const params = mergedParams(context.url.searchParams, await formBody(request, context));
    const caller = requestClient(oauth, request, params);
    const reply = (status: number, value: unknown) => sendJson(response, context, status, value, { 'cache-control': 'no-store' });
    if (!caller) return reply(401, { error: 'invalid_client', error_description: 'Bad client credentials' });
    const result = codeOrRefreshGrant(oauth, caller, params);
    if (isFailure(result)) return reply(400, { error: result.error, error_description: result.description });
    return reply(200, {
      access_token: result.value,
      expires_in: result.expiresIn,
      refresh_token: result.refreshToken,
      scope: result.scope.join(','),
      token_type: 'undefined',
    });
  }

  async function api(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const requestId = randomUUID();
    try {
      const found = matchRoute(context.method, context.url.pathname);
      if (!found) throw new ApiError(404, '1', 'API operation does not exist');
      const storm = context.faults.settings.errorStatus === 500 && context.faults.take('errorStorm');
      if (await applyRequestFaults(response, context, throttled)) return;
      if (storm) return sendJson(response, context, 500, { error_description: 'Error processing API call', status: 500, timestamp: infojobsDate(now()), requestId });
      authenticate(request.headers.authorization, found.route.scope);
      const body = await found.route.run(context.url.searchParams, found.match, context);
      return sendJson(response, context, 200, body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) response.statusMessage = 'No Autorizado';
      if (/application\/xml/.test(request.headers.accept ?? '')) {
        const { error: code, error_description: description, timestamp } = errorBody(error.code, error.message);
        const xml = `<?xml version="1.0" encoding="UTF-8"?><exception><error>${code}</error><error_description>${escapeXml(description)}</error_description><timestamp>${timestamp}</timestamp></exception>`;
        return sendBody(response, context, error.status, { 'content-type': 'application/xml;charset=UTF-8', ...error.headers }, xml);
      }
      return sendJson(response, context, error.status, errorBody(error.code, error.message), error.headers);
    }
  }

  function throttled(response: ServerResponse): void {
    const body = JSON.stringify(errorBody('429', 'Too many requests, slow down'));
    response.writeHead(429, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    response.end(body);
  }

  /** Throws the documented 401/403 unless the client (and, for user operations, a token with `scope`) is valid. */
  function authenticate(header: string | undefined, scope: Scope | null): void {
    const challenge = { 'www-authenticate': 'Basic realm="InfoJobs-API"' };
    const basic = basicCredentials(header);
    if (!basic || !oauth.authenticateClient(basic.id, basic.secret)) throw new ApiError(401, '100', 'The client has not been authenticated', challenge);
    if (scope === null) return;
    const bearer = /^Basic\s+[A-Za-z0-9+/=]+\s*,\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    const check = oauth.verify(bearer);
    if (!check.ok) {
      const why = { unknown: 'The user has not been authenticated', expired: 'The access token has expired', revoked: 'The access token has been revoked' }[check.reason];
      throw new ApiError(401, '101', why, challenge);
    }
    if (check.token.clientId !== basic.id) throw new ApiError(401, '101', 'The access token was issued to another client', challenge);
    if (!check.token.scope.includes(scope)) throw new ApiError(403, '102', `The access token does not grant the scope ${scope} that this operation requires`);
  }

  const routes: readonly Route[] = [
    { method: 'GET', pattern: /^\/api\/9\/offer$/, scope: null, run: (query) => listOffers(query) },
    { method: 'GET', pattern: /^\/api\/7\/offer\/([^/]+)$/, scope: null, run: (_query, [id]) => offerDetail(offer(id)) },
    { method: 'GET', pattern: /^\/api\/5\/application$/, scope: 'MY_APPLICATIONS', run: (query) => listApplications(query) },
    { method: 'GET', pattern: /^\/api\/1\/application\/([^/]+)$/, scope: 'MY_APPLICATIONS', run: (_query, [code]) => applicationDetail(application(code)) },
    { method: 'GET', pattern: /^\/api\/3\/application\/([^/]+)\/timeline$/, scope: 'APPLICATION_TIMELINE', run: (query, [code]) => timeline(application(code), query) },
    { method: 'GET', pattern: /^\/api\/6\/candidate$/, scope: 'CANDIDATE_PROFILE_WITH_EMAIL', run: () => candidateProfile() },
    { method: 'GET', pattern: /^\/api\/2\/curriculum$/, scope: 'CV', run: () => data.curricula.map(curriculumSummary) },
    { method: 'GET', pattern: /^\/api\/1\/curriculum\/([^/]+)$/, scope: 'CV', run: (_query, [id]) => curriculumSummary(curriculum(id)) },
    { method: 'GET', pattern: /^\/api\/1\/curriculum\/([^/]+)\/cvtext$/, scope: 'CV', run: (_query, [id]) => ({ cvtext: curriculum(id).cvtext }) },
    { method: 'PUT', pattern: /^\/api\/1\/curriculum\/([^/]+)\/cvtext$/, scope: 'CANDIDATE_EDIT_CURRICULUM_CVTEXT', run: (_query, [id], context) => putCvText(curriculum(id), context) },
    { method: 'GET', pattern: /^\/api\/2\/curriculum\/([^/]+)\/experience$/, scope: 'CANDIDATE_READ_CURRICULUM_EXPERIENCE', run: (_query, [id]) => ({ experience: curriculum(id).experience }) },
    { method: 'GET', pattern: /^\/api\/1\/curriculum\/([^/]+)\/education$/, scope: 'CV', run: (_query, [id]) => ({ education: curriculum(id).education }) },
    { method: 'GET', pattern: /^\/api\/2\/curriculum\/([^/]+)\/personaldata$/, scope: 'CANDIDATE_READ_CURRICULUM_PERSONAL_DATA', run: (_query, [id]) => personalData(curriculum(id)) },
    { method: 'GET', pattern: /^\/api\/4\/curriculum\/([^/]+)\/futurejob$/, scope: 'CANDIDATE_READ_CURRICULUM_FUTURE_JOB', run: (_query, [id]) => futureJob(curriculum(id)) },
    { method: 'GET', pattern: /^\/api\/2\/curriculum\/([^/]+)\/skill$/, scope: 'CANDIDATE_READ_CURRICULUM_SKILLS', run: (_query, [id]) => skills(curriculum(id)) },
  ];

  function matchRoute(method: string, path: string): { route: Route; match: string[] } | undefined {
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (match && route.method === method) return { route, match: match.slice(1).map((part) => decodeURIComponent(part)) };
    }
    return undefined;
  }

  function offer(id: string | undefined): Offer {
    const found = id ? data.offers.get(id) : undefined;
    if (!found || found.deleted) throw new ApiError(404, '210', 'The offer does not exist');
    return found;
  }

  function application(code: string | undefined): Application {
    const found = code ? data.applications.get(code) : undefined;
    if (!found) throw new ApiError(404, '330', 'The application does not exist or does not belong to the user');
    return found;
  }

  function curriculum(id: string | undefined): Curriculum {
    const found = data.curricula.find((item) => item.code === id || String(item.id) === id);
    if (!found) throw new ApiError(404, '361', 'The curriculum does not exist or does not belong to the user');
    return found;
  }

  function intParam(query: URLSearchParams, name: string, fallback: number): number {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new ApiError(400, '203', `Invalid value for parameter ${name}`);
    return value;
  }

  function listOffers(query: URLSearchParams) {
    const q = query.get('q')?.toLowerCase();
    const since = query.get('sinceDate') ?? 'ANY';
    const days = sinceDates[since];
    if (days === undefined) throw new ApiError(400, '203', 'Invalid value for parameter sinceDate');
    const order = query.get('order') ?? 'updated-desc';
    if (!offerOrders.includes(order)) throw new ApiError(400, '203', 'Invalid value for parameter order');
    const province = query.get('province')?.toLowerCase();
    const from = clock.nowMs() - days * 86_400_000;
    const rows = [...data.offers.values()].filter(
      (item) =>
        !item.deleted &&
        item.updated.getTime() >= from &&
        (!q || item.title.toLowerCase().includes(q) || item.description.toLowerCase().includes(q)) &&
        (!province || item.province.value.toLowerCase() === province),
    );
    sortOffers(rows, order);
    const page = intParam(query, 'page', 1);
    // The offer list's largest page is undocumented (one public client caps maxResults at 50): the `pageCap` profile.
    const pageSize = servedPageSize(intParam(query, 'maxResults', 20), 20, options.strictness?.pageCap, 50);
    const slice = rows.slice((page - 1) * pageSize, page * pageSize);
    return {
      offers: slice.map(offerListItem),
      totalResults: rows.length,
      currentResults: slice.length,
      totalPages: Math.ceil(rows.length / pageSize),
      currentPage: page,
      pageSize,
      facets: [],
      availableSortingMethods: offerOrders,
      sortBy: order,
      sinceDate: since,
      queryParameters: Object.fromEntries(query),
    };
  }

  function sortOffers(rows: Offer[], order: string): void {
    const [field, direction] = order.split('-') as [string, string | undefined];
    const key = (item: Offer): string | number =>
      field === 'title' ? item.title : field === 'city' ? item.city : field === 'author' ? item.company.name : field === 'applicants' ? item.applications : item.updated.getTime();
    const sign = direction === 'desc' ? -1 : 1;
    rows.sort((a, b) => {
      const left = key(a);
      const right = key(b);
      return (left < right ? -1 : left > right ? 1 : a.id.localeCompare(b.id)) * sign;
    });
  }

  function offerLink(item: Offer): string {
    const slug = item.title.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-');
    return `https://www.infojobs.net/${item.city.toLowerCase().replace(/\s+/g, '-')}/${slug}/of-i${item.id}`;
  }

  function offerListItem(item: Offer) {
    return {
      id: item.id,
      title: item.title,
      province: item.province,
      city: item.city,
      link: offerLink(item),
      category: item.category,
      contractType: item.contractType,
      subcategory: item.subcategory,
      salaryMin: { id: 0, value: `${item.salaryMin.toLocaleString('es-ES')} €` },
      salaryMax: { id: 0, value: `${item.salaryMax.toLocaleString('es-ES')} €` },
      salaryPeriod: { id: 3, value: 'Bruto/año' },
      experienceMin: item.experienceMin,
      workDay: item.workDay,
      study: item.study,
      teleworking: item.teleworking,
      published: infojobsDate(item.published),
      updated: infojobsDate(item.updated),
      author: { id: item.company.id, privateId: 0, name: item.company.name, uri: `https://www.infojobs.net/${item.company.id}`, logoUrl: item.company.logoUrl, corporateResponsive: false, showCorporativeHeader: false },
      requirementMin: item.minRequirements,
      bold: false,
      applications: String(item.applications),
      subSegment: 0,
      executive: false,
      salaryDescription: `${item.salaryMin.toLocaleString('es-ES')} € - ${item.salaryMax.toLocaleString('es-ES')} € Bruto/año`,
      multiProvince: false,
      urgent: false,
      color: false,
    };
  }

  function offerDetail(item: Offer) {
    const pay = (amount: number) => ({ amount: `${amount.toLocaleString('es-ES')} €`, amountId: 0, periodValue: 'Bruto/año', periodId: 3, amountValue: amount });
    return {
      id: item.id,
      title: item.title,
      description: item.description,
      minRequirements: item.minRequirements,
      desiredRequirements: '',
      creationDate: infojobsDate(item.published),
      updateDate: infojobsDate(item.updated),
      city: item.city,
      zipCode: item.zipCode,
      externalUrlForm: '',
      blocked: false,
      country: { id: 17, value: 'España' },
      province: item.province,
      contractType: item.contractType,
      journey: item.workDay,
      studiesMin: item.study,
      experienceMin: item.experienceMin,
      residence: { id: 2, value: 'Indiferente' },
      category: item.category,
      subcategory: item.subcategory,
      teleworking: item.teleworking,
      minPay: pay(item.salaryMin),
      maxPay: pay(item.salaryMax),
      salaryDescription: `${item.salaryMin.toLocaleString('es-ES')} € - ${item.salaryMax.toLocaleString('es-ES')} € Bruto/año`,
      vacancies: item.vacancies,
      applications: item.applications,
      active: true,
      archived: false,
      deleted: item.deleted,
      skillsList: item.skills.map((skill) => ({ skill })),
      hasKillerQuestions: 0,
      hasOpenQuestions: 0,
      link: offerLink(item),
      profile: {
        id: item.company.id,
        name: item.company.name,
        description: `${item.company.name} es una empresa líder en su sector.`,
        province: item.province,
        web: '',
        numberWorkers: 120,
        logoUrl: item.company.logoUrl,
        url: `https://www.infojobs.net/${item.company.id}`,
        hidden: false,
        typeIndustry: { id: 3, value: 'Servicios' },
      },
    };
  }

  function newestEvent(item: Application) {
    return item.events.at(-1) ?? item.events[0];
  }

  function findEvent(item: Application, tipoId: number) {
    return item.events.find((entry) => entry.tipoId === tipoId);
  }

  function jobOffer(item: Application) {
    const source = data.offers.get(item.offerId);
    return { code: item.offerId, title: source?.title ?? '', company: source?.company.name ?? '', city: source?.city ?? '', logoUrl: source?.company.logoUrl ?? '' };
  }

  function listApplications(query: URLSearchParams) {
    const pageSize = intParam(query, 'pageSize', 20);
    if (!pageSizes.includes(pageSize)) throw new ApiError(400, '310', 'Invalid page size: use 10, 20 or 30');
    const page = intParam(query, 'page', 1);
    const order = query.get('order') ?? 'application-date';
    if (order !== 'application-date' && order !== 'last-event') throw new ApiError(400, '203', 'Invalid value for parameter order');
    const hideRejected = query.get('hideRejected') === 'true';
    const rows = [...data.applications.values()].filter((item) => !(hideRejected && item.rejected));
    const sortKey = (item: Application) => (order === 'last-event' ? Date.parse(newestEvent(item)?.date.replace('+0000', 'Z') ?? '') : item.date.getTime());
    rows.sort((a, b) => sortKey(b) - sortKey(a) || a.code.localeCompare(b.code));
    return {
      totalFound: rows.length,
      htmlApplicationsEnabled: false,
      applications: rows.slice((page - 1) * pageSize, page * pageSize).map((item) => ({
        rejected: item.rejected,
        offerRemoved: item.offerRemoved,
        processClosed: item.processClosed,
        code: item.code,
        date: infojobsDate(item.date),
        lastEvent: newestEvent(item),
        cvReceivedEvent: findEvent(item, 1),
        ...(findEvent(item, 2) ? { cvReadEvent: findEvent(item, 2) } : {}),
        ...(findEvent(item, 4) ? { notPreselectedCandidateEvent: findEvent(item, 4) } : {}),
        eventsReadPending: item.eventsReadPending,
        jobOffer: jobOffer(item),
      })),
    };
  }

  function applicationDetail(item: Application) {
    const source = data.curricula.find((entry) => entry.code === item.curriculumCode);
    return {
      date: infojobsDate(item.date),
      code: item.code,
      cv: { code: item.curriculumCode, name: source?.name ?? '' },
      hasCoverLetter: item.hasCoverLetter,
      rejected: item.rejected,
      offerRemoved: item.offerRemoved,
      processClosed: item.processClosed,
      // The operation page spells it with a lower-case p; the list (per client code) does not.
      eventsReadpending: item.eventsReadPending,
      cvReceivedEvent: findEvent(item, 1),
      cvReadEvent: findEvent(item, 2) ?? null,
      inProcessEvent: findEvent(item, 3) ?? null,
      processClosedEvent: findEvent(item, 5) ?? null,
      offerRemovedEvent: null,
      jobOffer: jobOffer(item),
    };
  }

  function timeline(item: Application, query: URLSearchParams) {
    const pageSize = intParam(query, 'pageSize', 20);
    if (!pageSizes.includes(pageSize)) throw new ApiError(400, '310', 'Invalid page size: use 10, 20 or 30');
    const page = intParam(query, 'page', 1);
    const events = [...item.events].reverse();
    return { totalFound: events.length, events: events.slice((page - 1) * pageSize, page * pageSize) };
  }

  function candidateProfile() {
    const person = data.candidate;
    const [surname1, ...rest] = person.last.split(' ');
    return {
      id: 1_234_567,
      key: person.key,
      email: person.email,
      hasPhoto: false,
      isPhotoAccepted: false,
      photo: null,
      name: person.first,
      surname1,
      surname2: rest.join(' ') || null,
      fullName: `${person.first} ${person.last}`,
      city: person.city,
      province: person.province,
      publicProfileLink: `https://www.infojobs.net/candidate/${person.key}`,
      status: 'ACTIVE',
      validatedMail: true,
    };
  }

  function curriculumSummary(item: Curriculum) {
    return { id: item.id, code: item.code, name: item.name, principal: item.principal, completed: item.completed, incompleteSteps: item.completed ? [] : ['futurejob'] };
  }

  function personalData(_item: Curriculum) {
    const person = data.candidate;
    return {
      name: person.first,
      surname1: person.last,
      surname2: '',
      birthDay: infojobsDate(new Date(Date.UTC(1990, 4, 17))),
      country: 'espana',
      province: person.province.value.toLowerCase(),
      cityCode: person.city.toLowerCase(),
      zipCode: '28013',
      preferredContactPhone: 'mobile-phone',
      mobilePhone: person.phone,
      internationalPhone: '',
      nationalIdentityCardType: 'dni',
      nationalIdentityCard: '00000000T',
      nationalities: ['espana'],
      freelance: false,
      vehicleOwner: false,
      drivingLicenses: ['b'],
    };
  }

  function futureJob(item: Curriculum) {
    return {
      employmentStatus: 'trabajando',
      preferredPosition: item.experience[0]?.job ?? '',
      motivationToChange: 'mejorar-profesionalmente',
      yearsOfExperience: item.experience.length * 2,
      contractTypes: ['indefinido'],
      workDay: 'completa',
      availabilityToChangeHomeAddress: 'no',
      availabilityToTravel: 'a-veces',
      preferredSalary: '24000-30000',
    };
  }

  function skills(_item: Curriculum) {
    return {
      expertise: [
        { skill: 'Atención al cliente', level: 'avanzado' },
        { skill: 'Excel', level: 'medio' },
      ],
      language: [
        { id: 1, comments: '', reading: 'nativo', speaking: 'nativo', writing: 'nativo' },
        { id: 2, comments: '', reading: 'avanzado', speaking: 'medio', writing: 'medio' },
      ],
    };
  }

  async function putCvText(item: Curriculum, context: RequestContext) {
    let body: { cvtext?: unknown };
    try {
      body = JSON.parse((await context.body()).toString('utf8')) as { cvtext?: unknown };
    } catch {
      throw new ApiError(400, '730', 'The request body must be JSON like {"cvtext": "…"}');
    }
    if (typeof body.cvtext !== 'string' || body.cvtext === '') throw new ApiError(400, '202', 'Missing required parameter: cvtext');
    if (body.cvtext.length < 110) throw new ApiError(400, '731', 'The cvtext must be at least 110 characters long');
    if (body.cvtext.length > 30_720) throw new ApiError(400, '732', 'The cvtext must be at most 30720 characters long');
    item.cvtext = body.cvtext;
    return { cvtext: item.cvtext };
  }

  /** `{add, change, remove}` applications and `offers` new offers; changed applications get a new timeline event now. */
  function mutate(body: Record<string, unknown>) {
    const count = (key: string) => mutationCount(body, key);
    const at = now();
    const addedOffers: string[] = [];
    for (let index = 0; index < count('offers'); index += 1) {
      const item = makeOffer(mutations.fork(data.offers.size + index), at);
      item.published = at;
      item.updated = at;
      data.offers.set(item.id, item);
      addedOffers.push(item.id);
    }
    const offers = [...data.offers.values()];
    const added: string[] = [];
    for (let index = 0; index < count('add'); index += 1) {
      const item = makeApplication(mutations.fork(10_000 + data.applications.size + index), mutations.pick(offers), data.curricula, at);
      item.date = at;
      item.events = item.events.slice(0, 1).map((entry) => ({ ...entry, date: infojobsDate(at) }));
      Object.assign(item, { rejected: false, processClosed: false, eventsReadPending: 0 });
      data.applications.set(item.code, item);
      added.push(item.code);
    }
    const open = [...data.applications.values()].filter((item) => !item.rejected && !item.processClosed && !added.includes(item.code));
    const changed = open.slice(0, count('change')).map((item) => {
      advance(mutations, item, at);
      return item.code;
    });
    const removable = [...data.applications.keys()].filter((code) => !added.includes(code) && !changed.includes(code));
    const removed = removable.slice(0, count('remove'));
    for (const code of removed) data.applications.delete(code);
    return { added, changed, removed, addedOffers };
  }

  const running = await startOAuthSandbox(
    {
      provider: 'infojobs',
      handle,
      controls: {
        mutate,
        // Invented, for the demo only: who may sign in on the consent page, so the demo can approve it on the user's behalf.
        'demo-user': () => ({ login: user.login, password: user.password }),
      },
    },
    { oauth, clock, harness },
    options.port,
  );
  return {
    ...running,
    data,
    ready: {
      provider: 'infojobs',
      baseUrl: running.baseUrl,
      tokenUrl: `${running.baseUrl}/oauth/authorize`,
      authorizeUrl: `${running.baseUrl}/api/oauth/user-authorize/index.xhtml`,
      clientId: client.id,
      clientSecret: client.secret,
    },
  };
}
