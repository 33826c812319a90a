import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSwitch } from '../faults.ts';
import { AuthorizationServer, SandboxClock, codeOrRefreshGrant, isFailure, requestClient, sandboxCredential, tokenRequestParams } from '../oauth.ts';
import { Random } from '../random.ts';
import { ApiError, applyRequestFaults, sendBody, sendJson, type RequestContext, type RunningSandbox } from '../server.ts';
import { mutationCount, startOAuthSandbox } from '../oauth-sandbox.ts';
import { addApplication, addJobPost, generate, resumeOf, utc, type JobApplication, type JyMobData } from './data.ts';
import { servedPageSize, type StrictnessProfile } from '../strictness.ts';

/**
 * JyMob emulator: jymob.com (consent page, token endpoint) and api.jymob.com/v1 (JSON and XML)
 * on one server. Most of JyMob's behaviour is unpublished; every choice is listed in README.md.
 */

export interface EmulatorOptions {
  readonly port?: number;
  readonly scale?: string;
  readonly seed?: number;
  readonly strictness?: StrictnessProfile;
}

export interface JyMobEmulator extends RunningSandbox {
  readonly ready: {
    provider: 'jymob';
    baseUrl: string;
    tokenUrl: string;
    authorizeUrl: string;
    clientId: string;
    clientSecret: string;
    /** The app user's own access token ("On Behalf of Your Own JyMob User Account"). */
    personalAccessToken: string;
  };
  readonly data: JyMobData;
}

const documentedLifetimeSeconds = 2_592_000;
const defaultPerPage = 25;
const maxPerPage = 100;

type Format = 'json' | 'xml';


/** Rails-style `to_xml`: typed scalar elements, arrays as `type="array"` with singular children. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, '')}\n`;
}

function element(name: string, value: unknown, indent: string): string {
  const escape = (text: string) => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] as string);
  if (value === null || value === undefined) return `${indent}<${name} nil="true"/>`;
  if (Array.isArray(value)) {
    const child = name.endsWith('s') ? name.slice(0, -1) : `${name}_item`;
    if (value.length === 0) return `${indent}<${name} type="array"/>`;
    return `${indent}<${name} type="array">\n${value.map((item) => element(child, item, `${indent}  `)).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>).map(([key, item]) => element(key, item, `${indent}  `));
    return `${indent}<${name}>\n${children.join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'number') return `${indent}<${name} type="${Number.isInteger(value) ? 'integer' : 'float'}">${value}</${name}>`;
  if (typeof value === 'boolean') return `${indent}<${name} type="boolean">${value}</${name}>`;
  const text = String(value);
  const type = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) ? ' type="datetime"' : '';
  return `${indent}<${name}${type}>${escape(text)}</${name}>`;
}

export async function startJyMobEmulator(options: EmulatorOptions = {}): Promise<JyMobEmulator> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock();
  const data = generate(seed, options.scale ?? 'small', new Date(clock.nowMs()));
  const credentials = new Random(seed).fork(704);
  const client = {
    id: sandboxCredential(credentials, 24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    secret: sandboxCredential(credentials, 32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    name: `${data.appUser.name} (app_user)`,
    redirectUris: ['http://127.0.0.1/callback'],
  };
  const reviewer = [...data.users.values()].find((user) => user.id === data.appUser.id);
  if (!reviewer) throw new Error('the JyMob dataset has no app user');
  const harness: { faults?: FaultSwitch } = {};
  const oauth = new AuthorizationServer({
    productName: 'JyMob',
    clients: [client],
    users: [{ id: String(reviewer.id), login: reviewer.email, password: 'sandbox', displayName: reviewer.name }],
    scopes: { known: [], separator: ' ', defaults: [] },
    codeLifetimeSeconds: 60,
    accessTokenLifetimeSeconds: documentedLifetimeSeconds,
    issueRefreshTokens: false,
    faults: () => harness.faults,
    clock,
    redirectMatching: options.strictness?.redirect,
  });
  let personalToken = oauth.issueForUser(client, String(reviewer.id), []).value;
  const mutations = new Random(seed).fork(99);
  const now = () => new Date(clock.nowMs());

  async function handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const path = context.url.pathname;
    if (path === '/oauth/authorize' && (context.method === 'GET' || context.method === 'POST')) return oauth.handleAuthorize(request, response, context);
    if (path === '/oauth/access_token' && context.method === 'POST') return token(request, response, context);
    return api(request, response, context);
  }

  async function token(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const params = await tokenRequestParams(request, context);
    if (!params.has('grant_type') && params.has('code')) params.set('grant_type', 'authorization_code');
    const headers = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' };
    const caller = requestClient(oauth, request, params);
    if (!caller) return sendJson(response, context, 401, { error: 'invalid_client', error_description: 'Client ID or secret is wrong.' }, headers);
    const result = codeOrRefreshGrant(oauth, caller, params);
    if (isFailure(result)) return sendJson(response, context, 400, { error: result.error, error_description: result.description }, headers);
    return sendJson(response, context, 200, { access_token: result.value, token_type: 'bearer', expires_in: result.expiresIn }, headers);
  }

  async function api(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const { resource, id, format } = parsePath(context.url.pathname, request.headers.accept);
    const send = (status: number, root: string, value: unknown, headers: Record<string, string> = {}) =>
      format === 'xml'
        ? sendBody(response, context, status, { 'content-type': 'application/xml; charset=utf-8', ...headers }, toXml(root, value))
        : sendJson(response, context, status, value, headers);
    try {
      if (resource === null) throw new ApiError(404, 'not_found', 'No such API resource. See https://jymob.com/main_docs for the list.');
      if (await applyRequestFaults(response, context, (reply) => throttled(reply, format))) return;
      const params = await requestParams(request, context);
      const check = oauth.verify(params.get('access_token'));
      if (!check.ok) {
        const messages = { unknown: 'The access_token parameter is missing or unknown.', expired: 'The access token has expired; ask the user to authorize again.', revoked: 'The access token was revoked by the user.' };
        throw new ApiError(401, `${check.reason === 'unknown' ? 'invalid' : check.reason}_access_token`, messages[check.reason]);
      }
      const userId = Number(check.token.userId);
      const result = route(context.method, resource, id, params, userId);
      return send(result.status, result.root, result.body, result.headers);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const detail = { status: error.status, code: error.code, message: error.message };
      return send(error.status, 'error', format === 'xml' ? detail : { error: detail });
    }
  }

  function throttled(response: ServerResponse, format: Format): void {
    const error = { status: 429, code: 'rate_limited', message: 'Too many requests. Slow down and retry after a minute.' };
    const body = format === 'xml' ? toXml('error', error) : JSON.stringify({ error });
    response.writeHead(429, { 'content-type': format === 'xml' ? 'application/xml' : 'application/json', 'retry-after': '60', 'content-length': String(Buffer.byteLength(body)) });
    response.end(body);
  }

  /** `/v1/job_posts.json`, `/job_posts/7.xml`, or no extension with the format from Accept (JSON by default). */
  function parsePath(path: string, accept: string | undefined): { resource: string | null; id: number | null; format: Format } {
    const match = /^(?:\/v1)?\/(job_posts|job_applications|screening_tests)(?:\/(\d+))?(?:\.(json|xml))?$/.exec(path);
    const extension = match?.[3] ?? /\.(json|xml)$/.exec(path)?.[1];
    const format: Format = extension === 'xml' || (!extension && /application\/xml|text\/xml/.test(accept ?? '') && !/application\/json/.test(accept ?? '')) ? 'xml' : 'json';
    return { resource: match?.[1] ?? null, id: match?.[2] ? Number(match[2]) : null, format };
  }

  /** Query string plus a urlencoded or JSON body: "access_token passed as a parameter". */
  async function requestParams(request: IncomingMessage, context: RequestContext): Promise<URLSearchParams> {
    return tokenRequestParams(request, context);
  }

  interface Result {
    status: number;
    root: string;
    body: unknown;
    headers?: Record<string, string>;
  }

  function route(method: string, resource: string, id: number | null, params: URLSearchParams, userId: number): Result {
    if (resource === 'job_posts' && method === 'GET') return id === null ? listJobPosts(params) : { status: 200, root: 'job_post', body: jobPost(id) };
    if (resource === 'job_applications' && method === 'GET') return id === null ? listApplications(params, userId) : { status: 200, root: 'job_application', body: showApplication(id, userId) };
    if (resource === 'job_applications' && method === 'POST' && id === null) return createApplication(params, userId);
    if (resource === 'screening_tests' && method === 'GET' && id === null) return listScreeningTests(params, userId);
    throw new ApiError(405, 'method_not_allowed', `${method} is not supported on ${resource}${id === null ? '' : `/${id}`}.`);
  }

  const foreignPostStatus = options.strictness?.foreignPost ?? 403;
  const screeningTestListing = options.strictness?.screeningTests ?? 'perPost';

  /** The error for a post that is not the caller's, as the `foreignPost` profile answers it (README, "Strictness profiles"). */
  function notYourPost(post: { id: number }, what: string): ApiError {
    if (foreignPostStatus === 404) return new ApiError(404, 'job_post_not_found', `Job post ${post.id} does not exist.`);
    return new ApiError(foreignPostStatus, 'not_authorized', `You do not own job post ${post.id}, so you cannot see its ${what}.`);
  }

  /** `page` (from 1) and `per_page` (default 25, at most 100 or the `pageCap` profile's cap); totals and links in headers, as Rails' api-pagination does. */
  function paged<T>(rows: T[], params: URLSearchParams, root: string): Result {
    const integer = (name: string, fallback: number) => {
      const raw = params.get(name);
      if (raw === null || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 1) throw new ApiError(400, 'invalid_parameter', `${name} must be a whole number of at least 1.`);
      return value;
    };
    const page = integer('page', 1);
    const perPage = servedPageSize(integer('per_page', defaultPerPage), defaultPerPage, options.strictness?.pageCap, maxPerPage);
    const lastPage = Math.max(1, Math.ceil(rows.length / perPage));
    const link = (target: number, rel: string) => {
      const next = new URLSearchParams(params);
      next.delete('access_token');
      next.set('page', String(target));
      next.set('per_page', String(perPage));
      return `<${running.baseUrl}/v1/${root}?${next}>; rel="${rel}"`;
    };
    const links = [page > 1 ? link(1, 'first') : '', page > 1 ? link(page - 1, 'prev') : '', page < lastPage ? link(page + 1, 'next') : '', page < lastPage ? link(lastPage, 'last') : ''].filter(Boolean);
    return {
      status: 200,
      root,
      body: rows.slice((page - 1) * perPage, page * perPage),
      headers: { 'x-total-count': String(rows.length), 'x-page': String(page), 'x-per-page': String(perPage), ...(links.length > 0 ? { link: links.join(', ') } : {}) },
    };
  }

  function listJobPosts(params: URLSearchParams): Result {
    const terms = (params.get('search') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const rows = [...data.jobPosts.values()].filter((post) => {
      const text = `${post.title} ${post.description} ${post.skills.join(' ')}`.toLowerCase();
      return terms.every((term) => text.includes(term));
    });
    return paged(rows, params, 'job_posts');
  }

  function jobPost(id: number) {
    const post = data.jobPosts.get(id);
    if (!post) throw new ApiError(404, 'job_post_not_found', `Job post ${id} does not exist.`);
    return post;
  }

  function applicationView(application: JobApplication) {
    const applicant = data.users.get(application.user_id);
    return { ...application, applicant: { id: application.user_id, name: applicant?.name ?? '', email: applicant?.email ?? '' } };
  }

  function listApplications(params: URLSearchParams, userId: number): Result {
    const postId = params.get('job_post_id');
    if (postId !== null && postId !== '') {
      const post = jobPost(Number(postId));
      if (post.user_id !== userId) throw notYourPost(post, 'applications');
      return paged([...data.applications.values()].filter((item) => item.job_post_id === post.id).map(applicationView), params, 'job_applications');
    }
    return paged([...data.applications.values()].filter((item) => item.user_id === userId).map(applicationView), params, 'job_applications');
  }

  function showApplication(id: number, userId: number) {
    const application = data.applications.get(id);
    if (!application) throw new ApiError(404, 'job_application_not_found', `Job application ${id} does not exist.`);
    if (application.user_id !== userId && data.jobPosts.get(application.job_post_id)?.user_id !== userId) {
      throw new ApiError(403, 'not_authorized', `Job application ${id} is neither yours nor to one of your job posts.`);
    }
    return applicationView(application);
  }

  function createApplication(params: URLSearchParams, userId: number): Result {
    const missing = ['job_post_id', 'resume_id'].filter((name) => !params.get(name));
    if (missing.length > 0) throw new ApiError(422, 'missing_parameter', `Required parameter missing: ${missing.join(', ')}.`);
    const post = jobPost(Number(params.get('job_post_id')));
    if (post.status !== 'open') throw new ApiError(422, 'job_post_closed', `Job post ${post.id} no longer accepts applications.`);
    const resume = data.resumes.get(Number(params.get('resume_id')));
    if (!resume || resume.user_id !== userId) throw new ApiError(422, 'invalid_resume', `Resume ${params.get('resume_id')} is not one of your resumes.`);
    if ([...data.applications.values()].some((item) => item.job_post_id === post.id && item.user_id === userId)) {
      throw new ApiError(422, 'already_applied', `You have already applied to job post ${post.id}.`);
    }
    const application = addApplication(data, mutations.fork(data.nextId.application), post, userId, now(), params.get('cover_letter') ?? undefined);
    Object.assign(application, { resume_id: resume.id, status: 'submitted', created_at: utc(now()), updated_at: utc(now()) });
    for (const [testId, test] of data.screeningTests) if (test.job_application_id === application.id) data.screeningTests.delete(testId);
    return { status: 201, root: 'job_application', body: applicationView(application) };
  }

  function listScreeningTests(params: URLSearchParams, userId: number): Result {
    const postId = params.get('job_post_id');
    if (postId !== null && postId !== '' && screeningTestListing !== 'ownOnly') {
      if (screeningTestListing === 'absent') throw new ApiError(404, 'not_found', 'No such API resource. See https://jymob.com/main_docs for the list.');
      const post = jobPost(Number(postId));
      if (post.user_id !== userId) throw notYourPost(post, 'screening tests');
      return paged([...data.screeningTests.values()].filter((test) => test.source_id === post.id), params, 'screening_tests');
    }
    return paged([...data.screeningTests.values()].filter((test) => test.user_id === userId), params, 'screening_tests');
  }

  /** `{add, change, remove}` applications to the app user's posts and `posts` new job posts. */
  function mutate(body: Record<string, unknown>) {
    const count = (key: string) => mutationCount(body, key);
    const at = now();
    const addedPosts = Array.from({ length: count('posts') }, () => {
      const post = addJobPost(data, mutations.fork(data.nextId.jobPost), data.appUser.id, at);
      Object.assign(post, { created_at: utc(at), updated_at: utc(at), status: 'open' });
      return post.id;
    });
    const owned = [...data.jobPosts.values()].filter((post) => post.user_id === data.appUser.id);
    const applicants = [...data.users.values()].filter((user) => user.id !== data.appUser.id && resumeOf(data, user.id));
    const added = Array.from({ length: count('add') }, () => {
      const application = addApplication(data, mutations.fork(data.nextId.application), mutations.pick(owned), mutations.pick(applicants).id, at);
      Object.assign(application, { created_at: utc(at), updated_at: utc(at), status: 'submitted' });
      return application.id;
    });
    const toOwned = [...data.applications.values()].filter((item) => data.jobPosts.get(item.job_post_id)?.user_id === data.appUser.id && !added.includes(item.id));
    const changed = toOwned.slice(0, count('change')).map((item) => {
      item.status = item.status === 'submitted' ? 'reviewed' : 'shortlisted';
      item.updated_at = utc(at);
      return item.id;
    });
    const removed = toOwned.slice(count('change'), count('change') + count('remove')).map((item) => {
      data.applications.delete(item.id);
      return item.id;
    });
    return { added, changed, removed, addedPosts };
  }

  const running = await startOAuthSandbox(
    {
      provider: 'jymob',
      handle,
      controls: {
        mutate,
        'personal-token': (body) => {
          if (body.rotate === true) {
            oauth.revoke(personalToken);
            personalToken = oauth.issueForUser(client, String(reviewer.id), []).value;
          }
          return { accessToken: personalToken };
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
      provider: 'jymob',
      baseUrl: `${running.baseUrl}/v1`,
      tokenUrl: `${running.baseUrl}/oauth/access_token`,
      authorizeUrl: `${running.baseUrl}/oauth/authorize`,
      clientId: client.id,
      clientSecret: client.secret,
      personalAccessToken: personalToken,
    },
  };
}
