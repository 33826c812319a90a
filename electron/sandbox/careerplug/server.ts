import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AuthorizationServer,
  SandboxClock,
  codeOrRefreshGrant,
  isFailure,
  requestClient,
  sandboxCredential,
  tokenRequestParams,
  type AccessToken,
  type OAuthFailure,
} from '../oauth.ts';
import type { FaultSwitch } from '../faults.ts';
import { Random } from '../random.ts';
import { applyRequestFaults, sendJson, type RequestContext, type RunningSandbox } from '../server.ts';
import { mutationCount, startOAuthSandbox } from '../oauth-sandbox.ts';
import { actOn, arrivingApp, generate, makeApplicant, type App, type Applicant, type CareerPlugData, type Job } from './data.ts';
import { servedPageSize, type StrictnessProfile } from '../strictness.ts';

/**
 * CareerPlug emulator: the app host (OAuth, Doorkeeper) and the API host (Grape + WineBouncer)
 * served by one server; paths under /oauth/ behave as app.careerplug.com, all others as
 * api.careerplug.com. Choices where the published material is silent are in README.md.
 */

export interface EmulatorOptions {
  readonly port?: number;
  readonly scale?: string;
  readonly seed?: number;
  readonly strictness?: StrictnessProfile;
}

export interface CareerPlugEmulator extends RunningSandbox {
  readonly ready: {
    provider: 'careerplug';
    baseUrl: string;
    tokenUrl: string;
    authorizeUrl: string;
    clientId: string;
    clientSecret: string;
  };
  readonly data: CareerPlugData;
}

export const partnerScope = 'global_partner_api';
const documentedLifetimeSeconds = 172_800;
const resources = ['jobs', 'apps', 'locations', 'users', 'departments', 'employments', 'brands'] as const;
type Resource = (typeof resources)[number];
/** The resources the spec gives a `/{id}` path. */
const showableResources = ['jobs', 'apps', 'locations', 'users'] as const;
type ShowableResource = (typeof showableResources)[number];
const isShowable = (resource: Resource): resource is ShowableResource => (showableResources as readonly string[]).includes(resource);
const wineBouncer = { error: 'OAuth error: WineBouncer::Errors::OAuthUnauthorizedError' };
const apiNotFound = { error: 'Unable to find endpoint' };
const defaultPerPage = 25;
/** The cap served when the strictness profile names none (README, "Strictness profiles"). */
const defaultPageCap = 100;

/** The AWS load balancer's throttling reply: bare HTML, no Rails headers. */
function elbThrottle(response: ServerResponse): void {
  const page = '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n</body>\r\n</html>\r\n';
  response.writeHead(403, { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)) });
  response.end(page);
}

class BadRequest extends Error {}

export async function startCareerPlugEmulator(options: EmulatorOptions = {}): Promise<CareerPlugEmulator> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock();
  const anchor = new Date(Math.floor(clock.nowMs() / 86_400_000) * 86_400_000);
  const data = generate(seed, options.scale ?? 'small', anchor);
  const credentials = new Random(seed).fork(701);
  const client = {
    id: sandboxCredential(credentials, 43),
    secret: sandboxCredential(credentials, 43),
    name: 'Dossier (sandbox)',
    redirectUris: ['http://127.0.0.1/callback', 'urn:ietf:wg:oauth:2.0:oob'],
  };
  const admin = data.users[0];
  if (!admin) throw new Error('the CareerPlug dataset has no users');
  const harness: { faults?: FaultSwitch } = {};
  const oauth = new AuthorizationServer({
    productName: 'CareerPlug',
    clients: [client],
    users: [{ id: String(admin.id), login: admin.email, password: 'sandbox', displayName: `${admin.firstname} ${admin.lastname}` }],
    scopes: { known: ['public'], separator: ' ', defaults: ['public'] },
    codeLifetimeSeconds: 600,
    accessTokenLifetimeSeconds: documentedLifetimeSeconds,
    issueRefreshTokens: true,
    faults: () => harness.faults,
    clock,
    redirectMatching: options.strictness?.redirect,
  });
  const integration = options.strictness?.integration ?? 'custom';
  /** The `ignore-page` fault: every list answers its first page, whatever `page` asks. */
  const paging = { ignorePage: false };
  /** Resources each client's client_credentials tokens may read; absent = all of them. */
  const provisioned = new Map<string, ReadonlySet<string>>();
  /** Jobs the `close-job` control closed: `POST /apps` to them is refused (README, "Closing a job"). */
  const closedToApplications = new Set<number>();
  const mutations = new Random(seed).fork(99);

  const handle = async (request: IncomingMessage, response: ServerResponse, context: RequestContext) => {
    const path = context.url.pathname;
    if (path === '/oauth' || path.startsWith('/oauth/')) return appHost(request, response, context);
    return apiHost(request, response, context);
  };

  async function appHost(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const path = context.url.pathname;
    const json = (status: number, value: unknown) => sendJson(response, context, status, value, { 'cache-control': 'no-store', 'x-request-id': randomUUID() });
    if (path === '/oauth/authorize' && (context.method === 'GET' || context.method === 'POST')) return oauth.handleAuthorize(request, response, context);
    if (path === '/oauth/token' && context.method === 'POST') {
      const params = await tokenRequestParams(request, context);
      const caller = requestClient(oauth, request, params);
      if (!caller) {
        return json(401, {
          error: 'invalid_client',
          error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
        });
      }
      let result: AccessToken | OAuthFailure;
      if (params.get('grant_type') === 'client_credentials') {
        const scope = (params.get('scope') ?? '').trim();
        // A partner app holds only global_partner_api; a customer's custom app is granted the official page's request, which names no scope.
        const granted = integration === 'partner' ? partnerScope : '';
        if (scope !== granted) return json(400, { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.' });
        result = oauth.clientCredentials(caller, granted === '' ? [] : [granted]);
      } else {
        result = codeOrRefreshGrant(oauth, caller, params);
      }
      if (isFailure(result)) return json(result.error === 'invalid_client' ? 401 : 400, doorkeeperError(result));
      return json(200, {
        access_token: result.value,
        token_type: 'Bearer',
        expires_in: result.expiresIn,
        ...(result.refreshToken ? { refresh_token: result.refreshToken } : {}),
        // Doorkeeper leaves a blank scope out of the reply, as the official page's example shows.
        ...(result.scope.length > 0 ? { scope: result.scope.join(' ') } : {}),
        created_at: result.createdAt,
      });
    }
    if (path === '/oauth/token/info' && context.method === 'GET') {
      const value = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? context.url.searchParams.get('access_token');
      const check = oauth.verify(value);
      if (!check.ok) return json(401, { error: 'invalid_token', error_description: 'The access token is invalid' });
      const { token } = check;
      return json(200, {
        resource_owner_id: token.userId === null ? null : Number(token.userId),
        scope: token.scope,
        expires_in: token.createdAt + token.expiresIn - clock.nowSeconds(),
        application: { uid: token.clientId },
        created_at: token.createdAt,
      });
    }
    if (path === '/oauth/revoke' && context.method === 'POST') {
      const params = await tokenRequestParams(request, context);
      if (!requestClient(oauth, request, params)) return json(403, { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' });
      oauth.revoke(params.get('token') ?? '');
      return json(200, {});
    }
    return json(404, { error: 'not_found' });
  }

  async function apiHost(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const reply = (status: number, value: unknown) => sendJson(response, context, status, value, { 'x-request-id': randomUUID(), 'x-runtime': '0.012' });
    const version = request.headers['accept-version'];
    const route = matchRoute(context.method, context.url.pathname);
    if (!route || (version !== undefined && version !== 'v1')) return reply(404, apiNotFound);
    if (await applyRequestFaults(response, context, elbThrottle)) return;
    const check = oauth.verify(context.url.searchParams.get('access_token'));
    if (!check.ok) return reply(401, wineBouncer);
    const allowed = provisioned.get(check.token.clientId);
    if (check.token.userId === null && allowed && !allowed.has(route.resource)) return reply(401, wineBouncer);
    try {
      const result = await route.run(request, context);
      return reply(result.status, result.body);
    } catch (error) {
      if (error instanceof BadRequest) return reply(400, { error: error.message });
      throw error;
    }
  }

  interface Route {
    resource: Resource;
    run(request: IncomingMessage, context: RequestContext): Promise<{ status: number; body: unknown }> | { status: number; body: unknown };
  }

  function matchRoute(method: string, path: string): Route | undefined {
    const [, resource, id, extra] = path.split('/');
    if (extra !== undefined || !resources.includes(resource as Resource)) return undefined;
    const name = resource as Resource;
    if (method === 'POST' && name === 'apps' && id === undefined) return { resource: name, run: (request, context) => createApp(request, context) };
    if (method !== 'GET') return undefined;
    if (id !== undefined) return isShowable(name) ? { resource: name, run: () => show(name, id) } : undefined;
    return { resource: name, run: (_request, context) => list(name, context.url.searchParams) };
  }

  function list(resource: Resource, query: URLSearchParams): { status: number; body: unknown } {
    const rows = filtered(resource, query);
    const page = paging.ignorePage ? 1 : (positiveInteger(query, 'page') ?? 1);
    const perPage = servedPageSize(positiveInteger(query, 'per_page') ?? undefined, defaultPerPage, options.strictness?.pageCap, defaultPageCap);
    return { status: 200, body: rows.slice((page - 1) * perPage, page * perPage) };
  }

  function filtered(resource: Resource, query: URLSearchParams): unknown[] {
    switch (resource) {
      case 'jobs': {
        const search = query.get('search')?.toLowerCase();
        return [...data.jobs.values()].filter(
          (job) =>
            (!search || job.name.toLowerCase().includes(search) || job.description.toLowerCase().includes(search)) &&
            matchesId(query, 'location_id', job.location.id) &&
            matchesId(query, 'department_id', job.department.id) &&
            matchesId(query, 'employment_id', job.employment.id) &&
            matchesId(query, 'brand_id', job.brand.id) &&
            matchesId(query, 'postal_code', job.postal_code),
        );
      }
      case 'apps':
        return filterApps(query);
      case 'locations':
        return data.locations;
      case 'users': {
        const email = query.get('email');
        return data.users.filter((user) => !email || user.email === email);
      }
      case 'departments':
        return data.departments;
      case 'employments':
        return data.employments;
      case 'brands':
        return data.brands;
    }
  }

  function filterApps(query: URLSearchParams): App[] {
    const jobId = positiveInteger(query, 'job_id');
    const start = dayParam(query, 'start_date');
    const end = dayParam(query, 'end_date');
    const field = query.get('date_field') ?? 'applied_at';
    if (field !== 'applied_at' && field !== 'hired_at' && field !== 'last_acted_on_at') throw new BadRequest('date_field does not have a valid value');
    const from = start === null ? -Infinity : Date.parse(`${start}T00:00:00.000Z`);
    const to = end === null ? Infinity : Date.parse(`${end}T23:59:59.999Z`);
    return [...data.apps.values()].filter((app) => {
      if (jobId !== null && app.job.id !== jobId) return false;
      if (start === null && end === null) return true;
      const value = app[field];
      if (value === null) return false;
      const instant = Date.parse(value);
      return instant >= from && instant <= to;
    });
  }

  function show(resource: ShowableResource, id: string): { status: number; body: unknown } {
    const byId = <T extends { id: number | string }>(rows: Iterable<T>) => [...rows].find((row) => String(row.id) === id);
    const rows = { jobs: data.jobs.values(), apps: data.apps.values(), locations: data.locations, users: data.users }[resource];
    const found = byId<{ id: number | string }>(rows);
    return found ? { status: 200, body: found } : { status: 404, body: { error: `Couldn't find ${resource.slice(0, -1)} with 'id'=${id}` } };
  }

  async function createApp(request: IncomingMessage, context: RequestContext): Promise<{ status: number; body: unknown }> {
    if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) throw new BadRequest('body must be application/json');
    let inbound: unknown;
    try {
      inbound = JSON.parse((await context.body()).toString('utf8'));
    } catch {
      throw new BadRequest('body is not valid JSON');
    }
    const job = validateInbound(inbound);
    const body = inbound as { app: Record<string, unknown>; prescreen_answers: { id: number; value: string }[] };
    const text = (key: string) => (typeof body.app[key] === 'string' ? (body.app[key] as string) : null);
    const applicant: Applicant = {
      email: text('email') ?? '',
      firstname: text('firstname') ?? '',
      lastname: text('lastname') ?? '',
      phone: text('phone') ?? '',
      address: text('address') ?? '',
      city: text('city') ?? '',
      state: text('state') ?? '',
      postal_code: text('postal_code') ?? '',
      country: text('country') ?? '',
      recent_title: text('recent_title'),
      recent_employer: text('recent_employer'),
      pay_type: null,
      pay_rate: null,
      employment_type: null,
    };
    const answers = new Map(body.prescreen_answers.map((answer) => [answer.id, answer.value]));
    const app = arrivingApp(data.nextAppId, job, data.account, applicant, answers, new Date(clock.nowMs()));
    data.apps.set(app.id, app);
    data.nextAppId += 1;
    return { status: 201, body: { id: app.id, ...(inbound as object) } };
  }

  function validateInbound(inbound: unknown): Job {
    const problems: string[] = [];
    const record = (inbound ?? {}) as Record<string, unknown>;
    const app = record.app as Record<string, unknown> | undefined;
    if (typeof record.job_id !== 'number' && typeof record.job_id !== 'string') problems.push('job_id is missing');
    if (!app || typeof app !== 'object') problems.push('app is missing');
    for (const key of ['email', 'firstname', 'lastname']) if (app && typeof app[key] !== 'string') problems.push(`app[${key}] is missing`);
    const resume = app?.resume as { text?: unknown; file?: Record<string, unknown> } | undefined;
    if (resume !== undefined) {
      const hasText = typeof resume.text === 'string' && resume.text !== '';
      const hasFile = resume.file !== undefined;
      if (hasText === hasFile) problems.push('app[resume][text], app[resume][file] are mutually exclusive, exactly one must be provided');
      if (hasFile) {
        for (const key of ['name', 'data', 'content_type']) if (typeof resume.file?.[key] !== 'string') problems.push(`app[resume][file][${key}] is missing`);
        if (typeof resume.file?.data === 'string' && !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(resume.file.data)) problems.push('app[resume][file][data] is not valid base64');
      }
    }
    const answers = record.prescreen_answers;
    if (!Array.isArray(answers)) problems.push('prescreen_answers is missing');
    if (problems.length > 0) throw new BadRequest(problems.join(', '));
    const job = data.jobs.get(Number(record.job_id));
    if (!job) throw new BadRequest(`job_id does not exist`);
    if (closedToApplications.has(job.id)) throw new BadRequest(`job_id ${job.id} is not accepting applications`);
    const given = answers as { id?: unknown; value?: unknown }[];
    for (const [index, answer] of given.entries()) {
      if (typeof answer?.id !== 'number' || typeof answer.value !== 'string') problems.push(`prescreen_answers[${index}] needs id and value`);
      else if (!job.prescreen_questions.some((question) => question.id === answer.id)) problems.push(`prescreen_answers[${index}][id] is not a question of job ${job.id}`);
    }
    for (const question of job.prescreen_questions) {
      if (!given.some((answer) => answer?.id === question.id)) problems.push(`prescreen_answers is missing an answer for question ${question.id}`);
    }
    if (problems.length > 0) throw new BadRequest(problems.join(', '));
    return job;
  }

  /** `{add, change, remove}` counts of apps; `change` moves an app along and bumps its last_acted_on_at to now. */
  function mutate(body: Record<string, unknown>) {
    const count = (key: string) => mutationCount(body, key);
    const now = new Date(clock.nowMs());
    const jobs = [...data.jobs.values()];
    const added: number[] = [];
    for (let index = 0; index < count('add'); index += 1) {
      const job = mutations.pick(jobs);
      const answers = new Map(job.prescreen_questions.map((question) => [question.id, mutations.pick(question.answers)]));
      const app = arrivingApp(data.nextAppId, job, data.account, makeApplicant(mutations.fork(data.nextAppId), job.location), answers, now);
      app.source_name = mutations.pick(['Indeed', 'Company Website', 'Referral']);
      data.apps.set(app.id, app);
      added.push(app.id);
      data.nextAppId += 1;
    }
    const pickExisting = (exclude: ReadonlySet<number>) => {
      const candidates = [...data.apps.keys()].filter((id) => !exclude.has(id));
      return candidates.length === 0 ? undefined : mutations.pick(candidates);
    };
    const changed = explicitIds(body.changeIds) ?? [];
    for (let index = 0; index < count('change'); index += 1) {
      const id = pickExisting(new Set([...added, ...changed]));
      if (id !== undefined) changed.push(id);
    }
    for (const id of changed) {
      const app = data.apps.get(id);
      if (app) actOn(mutations, app, now);
    }
    const removed = explicitIds(body.removeIds) ?? [];
    for (let index = 0; index < count('remove'); index += 1) {
      const id = pickExisting(new Set([...added, ...changed, ...removed]));
      if (id !== undefined) removed.push(id);
    }
    for (const id of removed) data.apps.delete(id);
    return { added, changed, removed };
  }

  const running = await startOAuthSandbox(
    {
      provider: 'careerplug',
      handle,
      controls: {
        mutate,
        'close-job': (body) => {
          const job = data.jobs.get(Number(body.jobId));
          if (!job) return { error: `no job ${String(body.jobId)}` };
          job.status = 'inactive';
          closedToApplications.add(job.id);
          return { jobId: job.id, status: job.status };
        },
        'ignore-page': (body) => {
          paging.ignorePage = body.on !== false;
          return { ignorePage: paging.ignorePage };
        },
        provision: (body) => {
          const clientId = typeof body.clientId === 'string' ? body.clientId : client.id;
          if (Array.isArray(body.resources)) provisioned.set(clientId, new Set(body.resources.map(String)));
          else provisioned.delete(clientId);
          return { clientId, resources: Array.isArray(body.resources) ? body.resources : 'all' };
        },
      },
    },
    { oauth, clock, harness },
    options.port,
  );
  return {
    ...running,
    data,
    ready: {
      provider: 'careerplug',
      baseUrl: running.baseUrl,
      tokenUrl: `${running.baseUrl}/oauth/token`,
      authorizeUrl: `${running.baseUrl}/oauth/authorize`,
      clientId: client.id,
      clientSecret: client.secret,
    },
  };
}

function doorkeeperError(result: OAuthFailure): { error: string; error_description: string } {
  const descriptions: Partial<Record<OAuthFailure['error'], string>> = {
    invalid_grant:
      'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
    unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
    invalid_request: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  };
  return { error: result.error, error_description: descriptions[result.error] ?? result.description };
}

function positiveInteger(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new BadRequest(`${name} is invalid`);
  return value;
}

function dayParam(query: URLSearchParams, name: string): string | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) throw new BadRequest(`${name} is invalid`);
  return raw;
}

function matchesId(query: URLSearchParams, name: string, value: number | string): boolean {
  const wanted = query.get(name);
  return wanted === null || wanted === '' || wanted === String(value);
}

function explicitIds(value: unknown): number[] | undefined {
  return Array.isArray(value) ? value.map(Number).filter(Number.isInteger) : undefined;
}
