import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthorizationServer, SandboxClock, codeOrRefreshGrant, isFailure, requestClient, sandboxCredential, tokenRequestParams } from '../oauth.ts';
import { mutationCount, startOAuthSandbox } from '../oauth-sandbox.ts';
import type { FaultSwitch } from '../faults.ts';
import type { PracticeReadyLine } from '../emulator.ts';
import { makePerson } from '../people.ts';
import { pdfBytes } from '../pdf.ts';
import { Random } from '../random.ts';
import { ApiError, applyRequestFaults, sendBody, sendJson, type RequestContext, type RunningSandbox } from '../server.ts';
import { generate, makeCandidacy, uuid, type Candidacy, type LeverData } from './data.ts';

/**
 * Lever practice server: the authorization server (auth.lever.co: /authorize, /oauth/token) and
 * the Data API (api.lever.co/v1) on one port. Written from Lever's public documentation
 * (docs/providers/published/lever.md); choices where it is silent are in README.md.
 */

export const manifestName = 'lever';

/** `token` is an API key (HTTP Basic user name, empty password: build/manifests/lever-api-key.json); the rest serves build/manifests/lever.json's OAuth. */
export interface LeverReadyLine extends PracticeReadyLine {
  readonly tokenUrl: string;
  readonly authorizeUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The `audience` an authorization request must name: the API root with a trailing slash. */
  readonly audience: string;
}

export interface LeverPracticeServer extends RunningSandbox {
  readonly ready: LeverReadyLine;
  readonly data: LeverData;
}

export interface LeverOptions {
  readonly port?: number;
  readonly scale?: string;
  readonly seed?: number;
}

/** Read scopes the Data API routes below need; `:write:` scopes include the read ones (Lever's scope list). */
const readScopes = ['postings:read:admin', 'opportunities:read:admin', 'applications:read:admin', 'resumes:read:admin', 'interviews:read:admin'] as const;
type ReadScope = (typeof readScopes)[number];
const knownScopes = ['offline_access', ...readScopes, ...readScopes.map((scope) => scope.replace(':read:', ':write:'))];
const tokenLifetimeSeconds = 3600;
const defaultLimit = 100;
const maxLimit = 100;


export async function startLeverPracticeServer(options: LeverOptions = {}): Promise<LeverPracticeServer> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock();
  const anchor = new Date(Math.floor(clock.nowMs() / 86_400_000) * 86_400_000);
  const data = generate(seed, options.scale ?? 'small', anchor);
  const credentials = new Random(seed).fork(907);
  const client = { id: sandboxCredential(credentials, 30), secret: sandboxCredential(credentials, 64), name: 'Dossier (sandbox)', redirectUris: [] as string[] };
  const apiKey = sandboxCredential(credentials, 40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/');
  const admin = data.users[0];
  if (!admin) throw new Error('the Lever dataset has no users');
  const harness: { faults?: FaultSwitch } = {};
  const oauth = new AuthorizationServer({
    productName: 'Lever',
    clients: [client],
    users: [{ id: admin.id, login: admin.email, password: 'sandbox', displayName: admin.name }],
    scopes: { known: knownScopes, separator: ' ', defaults: [] },
    codeLifetimeSeconds: 600,
    accessTokenLifetimeSeconds: tokenLifetimeSeconds,
    issueRefreshTokens: true,
    faults: () => harness.faults,
    clock,
    // "The redirect URI must exactly match the value that the application was registered with."
    redirectMatching: 'exact',
  });
  /** Offset tokens handed out, per list: Lever accepts only offsets it returned. */
  const issuedOffsets = new Set<string>();
  const mutations = new Random(seed).fork(99);
  const origin = { value: '' };
  /** The client's registered redirect URIs, kept beside the authorization server's so a refused link redirects only where it may. */
  const registrations = new Map<string, string[]>([[client.id, [...client.redirectUris]]]);
  const apiRoot = () => `${origin.value}/v1`;

  const handle = async (request: IncomingMessage, response: ServerResponse, context: RequestContext) => {
    const path = context.url.pathname;
    if (path === '/authorize' && (context.method === 'GET' || context.method === 'POST')) return authorize(request, response, context);
    if (path === '/oauth/token' && context.method === 'POST') return token(request, response, context);
    if (path === '/v1' || path.startsWith('/v1/')) return api(request, response, context);
    return sendJson(response, context, 404, { code: 'ResourceNotFound', message: `${context.method} ${path} is not a known action` });
  };

  /** The documented required parameters are checked on the link itself; the consent form then carries the standard ones. */
  async function authorize(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const params = context.url.searchParams;
    if (context.method === 'GET' && oauth.client(params.get('client_id')) && params.get('redirect_uri')) {
      const missing = ['state', 'audience', 'scope'].filter((name) => (params.get(name) ?? '') === '');
      const audience = params.get('audience');
      const problem =
        missing.length > 0 ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required` : audience !== `${apiRoot()}/` ? `audience must be ${apiRoot()}/` : null;
      if (problem !== null && registeredRedirect(params.get('client_id'), params.get('redirect_uri'))) {
        const target = new URL(params.get('redirect_uri') as string);
        target.searchParams.set('error', 'invalid_request');
        target.searchParams.set('error_description', problem);
        if (params.get('state')) target.searchParams.set('state', params.get('state') as string);
        response.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
        response.end();
        return;
      }
    }
    return oauth.handleAuthorize(request, response, context);
  }

  function registeredRedirect(clientId: string | null, redirectUri: string | null): boolean {
    return registrations.get(clientId ?? '')?.includes(redirectUri ?? '') ?? false;
  }

  async function token(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const json = (status: number, value: unknown) => sendJson(response, context, status, value, { 'cache-control': 'no-store' });
    const params = await tokenRequestParams(request, context);
    const caller = requestClient(oauth, request, params);
    if (!caller) return json(401, { error: 'access_denied', error_description: 'Unauthorized' });
    const result = codeOrRefreshGrant(oauth, caller, params);
    if (isFailure(result)) return json(result.error === 'invalid_client' ? 401 : 400, { error: result.error, error_description: result.description });
    const offline = result.scope.includes('offline_access');
    return json(200, {
      access_token: result.value,
      ...(offline && result.refreshToken ? { refresh_token: result.refreshToken } : {}),
      token_type: 'Bearer',
      scope: result.scope.join(' '),
      expires_in: result.expiresIn,
    });
  }

  async function api(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const reply = (status: number, value: unknown) => sendJson(response, context, status, value);
    if (await applyRequestFaults(response, context, leverThrottle)) return;
    try {
      if (context.method !== 'GET') throw new ApiError(404, 'ResourceNotFound', `${context.method} ${context.url.pathname} is not a known action`);
      const route = matchRoute(context.url.pathname.slice('/v1'.length));
      if (!route) throw new ApiError(404, 'ResourceNotFound', `GET ${context.url.pathname} is not a known action`);
      authenticate(request.headers.authorization, route.scope);
      const result = route.run(context.url.searchParams);
      if ('download' in result) {
        const body = await pdfBytes(result.download.spec);
        return sendBody(response, context, 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${result.download.fileName}"` }, body);
      }
      return reply(200, result.body);
    } catch (error) {
      if (error instanceof ApiError) return reply(error.status, { code: error.code, message: error.message });
      throw error;
    }
  }

  function authenticate(header: string | undefined, scope: ReadScope): void {
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      if (decoded === `${apiKey}:` || decoded === apiKey) return;
      throw new ApiError(401, 'UnauthorizedError', 'Invalid API key');
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (bearer === undefined) throw new ApiError(401, 'UnauthorizedError', 'Missing credentials: send the API key as the Basic user name, or an OAuth access token as Bearer');
    const check = oauth.verify(bearer);
    if (!check.ok) throw new ApiError(401, 'UnauthorizedError', check.reason === 'expired' ? 'The access token has expired' : 'The access token is not valid');
    if (!check.token.scope.includes(scope) && !check.token.scope.includes(scope.replace(':read:', ':write:'))) {
      throw new ApiError(403, 'Forbidden', `This token was not granted ${scope}`);
    }
  }

  type RouteResult = { body: unknown } | { download: { spec: Candidacy['resumes'][number]['pdf']; fileName: string } };
  interface Route {
    scope: ReadScope;
    run(query: URLSearchParams): RouteResult;
  }

  function matchRoute(path: string): Route | undefined {
    const parts = path.split('/').filter((part) => part !== '');
    const [collection, id, child, childId, action] = parts;
    if (collection === 'postings') {
      if (id === undefined) return { scope: 'postings:read:admin', run: (query) => ({ body: page('postings', [...data.postings.values()].sort(byCreated), query) }) };
      if (parts.length === 2) return { scope: 'postings:read:admin', run: () => ({ body: { data: found(data.postings.get(id), 'postings', id) } }) };
      return undefined;
    }
    if (collection !== 'opportunities') return undefined;
    if (id === undefined) return { scope: 'opportunities:read:admin', run: (query) => ({ body: page('opportunities', filterOpportunities(query), query, expander(query)) }) };
    const candidacy = () => found(data.candidacies.get(id), 'opportunities', id);
    if (child === undefined) return { scope: 'opportunities:read:admin', run: (query) => ({ body: { data: expander(query)(candidacy().opportunity) } }) };
    if (child === 'applications' && childId === undefined) return { scope: 'applications:read:admin', run: (query) => ({ body: page(`applications/${id}`, [candidacy().application], query) }) };
    if (child === 'interviews' && childId === undefined) return { scope: 'interviews:read:admin', run: (query) => ({ body: page(`interviews/${id}`, [...candidacy().interviews], query) }) };
    if (child !== 'resumes') return undefined;
    if (childId === undefined) return { scope: 'resumes:read:admin', run: (query) => ({ body: page(`resumes/${id}`, candidacy().resumes.map((entry) => entry.resume), query) }) };
    const resume = () => found(candidacy().resumes.find((entry) => entry.resume.id === childId), 'resumes', childId);
    if (action === undefined && parts.length === 4) return { scope: 'resumes:read:admin', run: () => ({ body: { data: resume().resume } }) };
    if (action === 'download' && parts.length === 5) return { scope: 'resumes:read:admin', run: () => ({ download: { spec: resume().pdf, fileName: resume().resume.file.name } }) };
    return undefined;
  }

  function filterOpportunities(query: URLSearchParams): Candidacy['opportunity'][] {
    const range = (name: string) => {
      const raw = query.get(name);
      if (raw === null || raw === '') return null;
      if (!/^\d+$/.test(raw)) throw new ApiError(400, 'BadRequestError', `${name} must be a timestamp in milliseconds`);
      return Number(raw);
    };
    const bounds = {
      updated: [range('updated_at_start') ?? -Infinity, range('updated_at_end') ?? Infinity],
      created: [range('created_at_start') ?? -Infinity, range('created_at_end') ?? Infinity],
    } as const;
    const postings = query.getAll('posting_id');
    const contacts = query.getAll('contact_id');
    const archived = query.get('archived');
    return [...data.candidacies.values()]
      .filter(({ opportunity, application }) => {
        const within = (value: number, [from, to]: readonly [number, number]) => value >= from && value <= to;
        if (!within(opportunity.updatedAt, bounds.updated) || !within(opportunity.createdAt, bounds.created)) return false;
        if (postings.length > 0 && !postings.includes(application.posting)) return false;
        if (contacts.length > 0 && !contacts.includes(opportunity.contact)) return false;
        if (archived === 'true' && opportunity.archived === null) return false;
        if (archived === 'false' && opportunity.archived !== null) return false;
        return true;
      })
      .map(({ opportunity }) => opportunity)
      .sort(byCreated);
  }

  /** `expand=applications` replaces the id list with the application objects (Lever's expandable fields). */
  function expander(query: URLSearchParams): (opportunity: Candidacy['opportunity']) => unknown {
    const expand = query.getAll('expand');
    if (!expand.includes('applications')) return (opportunity) => opportunity;
    return (opportunity) => {
      const application = data.candidacies.get(opportunity.id)?.application;
      return { ...opportunity, applications: opportunity.applications.flatMap((applicationId) => (application?.id === applicationId ? [application] : [])) };
    };
  }

  /**
   * One page of a list, Lever's way: `{data, hasNext, next}`. The offset token names the last item
   * served, so records added while a client pages do not shift it (README, "Paging").
   */
  function page<Item extends { id: string; createdAt: number }>(list: string, items: readonly Item[], query: URLSearchParams, shape: (item: Item) => unknown = (item) => item): { data: unknown[]; hasNext: boolean; next?: string } {
    const rawLimit = query.get('limit');
    const limit = rawLimit === null || rawLimit === '' ? defaultLimit : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new ApiError(400, 'BadRequestError', `limit must be a whole number from 1 to ${maxLimit}`);
    const offset = query.get('offset');
    let start = 0;
    if (offset !== null && offset !== '') {
      if (!issuedOffsets.has(`${list} ${offset}`)) throw new ApiError(400, 'BadRequestError', 'Invalid offset token: pass only an offset returned as `next` by a previous page');
      const [, createdAt, id] = /^0\.(\d+)\.(.+)$/.exec(offset) ?? [];
      start = items.findIndex((item) => item.createdAt > Number(createdAt) || (item.createdAt === Number(createdAt) && item.id > (id ?? '')));
      if (start < 0) start = items.length;
    }
    const served = items.slice(start, start + limit);
    const last = served.at(-1);
    const hasNext = start + served.length < items.length;
    if (!hasNext || !last) return { data: served.map(shape), hasNext: false };
    const next = `0.${last.createdAt}.${last.id}`;
    issuedOffsets.add(`${list} ${next}`);
    return { data: served.map(shape), hasNext: true, next };
  }

  /** `{add, change, remove}` counts of opportunities (or `changeIds`, `removeIds`); a change advances the stage and bumps updatedAt to now. */
  function mutate(body: Record<string, unknown>) {
    const now = clock.nowMs();
    const added: string[] = [];
    const postings = [...data.postings.values()];
    for (let index = 0; index < mutationCount(body, 'add'); index += 1) {
      const fork = mutations.fork(data.candidacies.size + index + 1);
      const candidacy = makeCandidacy(fork, { contact: { id: uuid(fork), person: makePerson(fork, { unique: 10_000 + data.candidacies.size }) }, postings, users: data.users, stages: data.stages, company: data.company, start: new Date(now - 1000), end: new Date(now) });
      candidacy.opportunity.createdAt = now;
      candidacy.opportunity.updatedAt = now;
      data.candidacies.set(candidacy.opportunity.id, candidacy);
      added.push(candidacy.opportunity.id);
    }
    const pick = (exclude: ReadonlySet<string>) => {
      const candidates = [...data.candidacies.keys()].filter((id) => !exclude.has(id));
      return candidates.length === 0 ? undefined : mutations.pick(candidates);
    };
    const changed = Array.isArray(body.changeIds) ? body.changeIds.map(String) : [];
    for (let index = 0; index < mutationCount(body, 'change'); index += 1) {
      const id = pick(new Set([...added, ...changed]));
      if (id !== undefined) changed.push(id);
    }
    for (const id of changed) {
      const candidacy = data.candidacies.get(id);
      if (!candidacy) continue;
      const { opportunity } = candidacy;
      const next = data.stages[(data.stages.findIndex((stage) => stage.id === opportunity.stage) + 1) % data.stages.length] ?? data.stages[0];
      if (next) opportunity.stage = next.id;
      opportunity.headline = `${opportunity.headline.split(' (')[0] ?? ''} (updated)`;
      opportunity.updatedAt = now;
      opportunity.lastAdvancedAt = now;
    }
    const removed = Array.isArray(body.removeIds) ? body.removeIds.map(String) : [];
    for (let index = 0; index < mutationCount(body, 'remove'); index += 1) {
      const id = pick(new Set([...added, ...changed, ...removed]));
      if (id !== undefined) removed.push(id);
    }
    for (const id of removed) data.candidacies.delete(id);
    return { added, changed, removed };
  }

  const running = await startOAuthSandbox(
    {
      provider: 'lever',
      handle,
      controls: {
        mutate,
        'demo-user': () => ({ login: admin.email, password: 'sandbox' }),
        'register-redirect': (body) => {
          const result = oauth.registerRedirectUri(String(body.uri ?? ''), typeof body.clientId === 'string' ? body.clientId : undefined);
          registrations.set(result.clientId, [...result.redirectUris]);
          return result;
        },
      },
    },
    { oauth, clock, harness },
    options.port,
  );
  origin.value = running.baseUrl;
  return {
    ...running,
    data,
    ready: {
      provider: 'oauth2',
      manifest: manifestName,
      baseUrl: apiRoot(),
      token: apiKey,
      downloadHosts: [],
      tokenUrl: `${running.baseUrl}/oauth/token`,
      authorizeUrl: `${running.baseUrl}/authorize`,
      clientId: client.id,
      clientSecret: client.secret,
      audience: `${apiRoot()}/`,
    },
  };
}

function byCreated(left: { createdAt: number; id: string }, right: { createdAt: number; id: string }): number {
  return left.createdAt - right.createdAt || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);
}

function found<T>(value: T | undefined, resource: string, id: string): T {
  if (value === undefined) throw new ApiError(404, 'ResourceNotFound', `${resource} ${id} was not found`);
  return value;
}

/** The `throttle` fault: Lever's documented 429, here without a Retry-After header (README). */
function leverThrottle(response: ServerResponse): void {
  response.writeHead(429, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ code: 'TooManyRequests', message: 'Rate limit exceeded' }));
}
