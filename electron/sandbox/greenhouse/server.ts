import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PracticeReadyLine } from '../emulator.ts';
import { SandboxClock, sandboxCredential } from '../oauth.ts';
import { mutationCount } from '../oauth-sandbox.ts';
import { buildPdf } from '../pdf.ts';
import { latinName } from '../people.ts';
import { Random } from '../random.ts';
import { applyRequestFaults, sendBody, sendJson, startSandbox, type RequestContext, type RunningSandbox } from '../server.ts';
import { actOn, addCandidate, generate, removeCandidate, timestamp, type Application, type Candidate, type GreenhouseData, type ScheduledInterview, type StoredAttachment } from './data.ts';

/**
 * Greenhouse Harvest v1 practice server: the API (`/v1/…`, HTTP Basic with the API key as user
 * name) on one port, and the storage host the attachments' signed, expiring URLs point at on
 * another, so a client that sends its API key to the storage host is caught. Written from the
 * public documentation (docs/providers/published/greenhouse-harvest.md); choices where it is
 * silent are in README.md.
 */

export interface GreenhouseOptions {
  readonly port?: number;
  readonly scale?: string;
  readonly seed?: number;
}

export interface GreenhousePracticeServer extends RunningSandbox {
  readonly ready: PracticeReadyLine;
  readonly data: GreenhouseData;
  /** The storage host (its own faults and stats). */
  readonly storage: RunningSandbox;
  /** Every `Authorization` header the storage host was sent; a correct client sends none. */
  readonly storageAuthorizations: readonly string[];
  /** Every API request as `METHOD path?query`, for tests that check which filters a client sent. */
  readonly requestLog: string[];
}

export const manifestName = 'greenhouse-harvest';
const documentedMaxPerPage = 500;
const documentedDefaultPerPage = 100;
/** "URLs expire in 7 days" (the candidate object's attachments[].url). */
const documentedUrlLifetimeSeconds = 7 * 86_400;
/** The limit in the documentation's example reply (`X-RateLimit-Limit: 50`, per 10 seconds). */
const documentedRateLimit = 50;
const documentedRateWindowSeconds = 10;
const bucket = 'prod-heroku';
const maxLoggedRequests = 10_000;
const unauthorized = { message: 'Invalid Basic Auth credentials' };
const notFound = { message: 'Resource not found' };

class ValidationError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export async function startGreenhousePracticeServer(options: GreenhouseOptions = {}): Promise<GreenhousePracticeServer> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock();
  const anchor = new Date(Math.floor(clock.nowMs() / 86_400_000) * 86_400_000);
  const data = generate(seed, options.scale ?? 'small', anchor);
  const credentials = new Random(seed).fork(701);
  const apiKey = sandboxCredential(credentials, 32, '0123456789abcdef');
  const signingSecret = sandboxCredential(credentials, 40);
  const accessKeyId = `AKIA${sandboxCredential(credentials, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
  const mutations = new Random(seed).fork(99);
  const rate = { limit: documentedRateLimit, windowSeconds: documentedRateWindowSeconds, windowStartMs: clock.nowMs(), used: 0 };
  const storageAuthorizations: string[] = [];
  const requestLog: string[] = [];

  const storage = await startSandbox({ provider: 'greenhouse-storage', handle: storageHost });
  const storageOrigin = storage.baseUrl;

  function sign(key: string, expires: number): string {
    return createHmac('sha1', signingSecret).update(`GET\n\n\n${expires}\n/${bucket}/${key}`).digest('base64');
  }

  function signedUrl(attachment: StoredAttachment): string {
    const expires = clock.nowSeconds() + documentedUrlLifetimeSeconds;
    const url = new URL(`${storageOrigin}/${bucket}/${attachment.key.split('/').map(encodeURIComponent).join('/')}`);
    url.searchParams.set('AWSAccessKeyId', accessKeyId);
    url.searchParams.set('Expires', String(expires));
    url.searchParams.set('Signature', sign(attachment.key, expires));
    return url.toString();
  }

  const attachmentView = (attachment: StoredAttachment) => ({ filename: attachment.filename, url: signedUrl(attachment), type: attachment.type, created_at: attachment.created_at });
  const applicationsOf = (candidate: Candidate) => [...data.applications.values()].filter((application) => application.candidate_id === candidate.id);
  const applicationView = (application: Application) => ({ ...application, attachments: application.attachments.map(attachmentView) });
  function candidateView(candidate: Candidate) {
    const { person: _person, ...documented } = candidate;
    const applications = applicationsOf(candidate);
    return {
      ...documented,
      attachments: applications.flatMap((application) => application.attachments.map(attachmentView)),
      application_ids: applications.map((application) => application.id),
      applications: applications.map(applicationView),
    };
  }

  /** S3's XML error document (the storage host is Amazon S3 in the documentation). */
  function s3Error(response: ServerResponse, context: RequestContext, status: number, code: string, message: string): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${sandboxCredential(mutations, 16, '0123456789ABCDEF')}</RequestId></Error>`;
    sendBody(response, context, status, { 'content-type': 'application/xml' }, body);
  }

  async function storageHost(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    if (request.headers.authorization !== undefined) {
      storageAuthorizations.push(request.headers.authorization);
      return s3Error(response, context, 400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    }
    if (await applyRequestFaults(response, context, (reply) => s3Error(reply, context, 503, 'SlowDown', 'Please reduce your request rate.'))) return;
    if (context.method !== 'GET' && context.method !== 'HEAD') return s3Error(response, context, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const prefix = `/${bucket}/`;
    const key = context.url.pathname.startsWith(prefix) ? context.url.pathname.slice(prefix.length).split('/').map(decodeURIComponent).join('/') : '';
    const query = context.url.searchParams;
    const expires = Number(query.get('Expires'));
    const signature = query.get('Signature');
    if (signature === null || query.get('AWSAccessKeyId') === null || !Number.isInteger(expires)) {
      return s3Error(response, context, 403, 'AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    }
    if (expires < clock.nowSeconds()) return s3Error(response, context, 403, 'AccessDenied', 'Request has expired');
    const expected = Buffer.from(sign(key, expires));
    const given = Buffer.from(signature);
    if (query.get('AWSAccessKeyId') !== accessKeyId || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return s3Error(response, context, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const found = findAttachment(key);
    if (!found) return s3Error(response, context, 404, 'NoSuchKey', 'The specified key does not exist.');
    const document = await buildPdf({
      kind: found.attachment.type === 'resume' ? 'cv' : found.attachment.type === 'cover_letter' ? 'cover' : 'paper',
      seed: found.attachment.seed,
      bytes: found.attachment.bytes,
      candidate: { name: latinName(found.candidate.person), institution: found.candidate.company ?? 'Independent', email: found.candidate.person.email, field: found.candidate.tags[0] ?? 'Economics' },
      title: found.attachment.title,
    });
    const bytes = Buffer.concat([...document.chunks()]);
    const headers = { 'content-type': 'application/pdf', 'last-modified': new Date(found.attachment.created_at).toUTCString(), 'accept-ranges': 'bytes' };
    if (context.method === 'HEAD') {
      response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      response.end();
      return;
    }
    sendBody(response, context, 200, headers, bytes);
  }

  function findAttachment(key: string): { attachment: StoredAttachment; candidate: Candidate } | undefined {
    for (const application of data.applications.values()) {
      const attachment = application.attachments.find((each) => each.key === key);
      const candidate = data.candidates.get(application.candidate_id);
      if (attachment && candidate) return { attachment, candidate };
    }
    return undefined;
  }

  /** The documented limit, per fixed window (ten seconds unless the `rate-limit` control says otherwise). */
  function takeRequest(): { allowed: boolean; remaining: number; resetSeconds: number } {
    const now = clock.nowMs();
    if (now - rate.windowStartMs >= rate.windowSeconds * 1000) {
      rate.windowStartMs = now;
      rate.used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((rate.windowStartMs + rate.windowSeconds * 1000 - now) / 1000));
    if (rate.used >= rate.limit) return { allowed: false, remaining: 0, resetSeconds };
    rate.used += 1;
    return { allowed: true, remaining: rate.limit - rate.used, resetSeconds };
  }

  function authorized(request: IncomingMessage): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = Buffer.from(decoded.slice(0, colon));
    const key = Buffer.from(apiKey);
    return decoded.slice(colon + 1) === '' && user.length === key.length && timingSafeEqual(user, key);
  }

  async function apiHost(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const reply = (status: number, value: unknown, headers: Record<string, string> = {}) => sendJson(response, context, status, value, headers);
    requestLog.push(`${context.method} ${context.url.pathname}${context.url.search}`);
    // A long-running `dossier sandbox` keeps only the latest lines.
    if (requestLog.length > maxLoggedRequests) requestLog.splice(0, requestLog.length - maxLoggedRequests);
    const route = matchRoute(context.method, context.url.pathname);
    if (!route) return reply(404, notFound);
    if (await applyRequestFaults(response, context, (throttled) => {
      throttled.writeHead(429, { 'content-type': 'application/json' });
      throttled.end(JSON.stringify({ message: 'Too Many Requests' }));
    })) return;
    if (!authorized(request)) return reply(401, unauthorized);
    const rateState = takeRequest();
    // "the HTTP 429 response will exclude the X-RateLimit-Limit and X-RateLimit-Remaining headers"
    if (!rateState.allowed) return reply(429, { message: 'Too Many Requests' }, { 'retry-after': String(rateState.resetSeconds) });
    const rateHeaders = { 'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': String(rateState.remaining) };
    try {
      const result = route(context.url);
      if (result === undefined) return reply(404, notFound, rateHeaders);
      if (!Array.isArray(result)) return reply(200, result, rateHeaders);
      const page = pageOf(result, context.url);
      return reply(200, page.items, { ...rateHeaders, ...(page.link ? { link: page.link } : {}) });
    } catch (error) {
      if (error instanceof ValidationError) return reply(422, { message: 'Validation error', errors: [{ message: error.message, field: error.field }] }, rateHeaders);
      throw error;
    }
  }

  type Route = (url: URL) => unknown[] | object | undefined;

  function matchRoute(method: string, path: string): Route | undefined {
    if (method !== 'GET') return undefined;
    const [, version, resource, id, sub, extra] = path.split('/');
    if (version !== 'v1' || extra !== undefined) return undefined;
    const byId = <T>(rows: Map<number, T>, view: (row: T) => object): Route => () => {
      const row = rows.get(Number(id));
      return row === undefined ? undefined : view(row);
    };
    if (resource === 'candidates' && id === undefined) return (url) => candidates(url.searchParams).map(candidateView);
    if (resource === 'candidates' && sub === undefined) return byId(data.candidates, candidateView);
    if (resource === 'applications' && id === undefined) return (url) => applications(url.searchParams).map(applicationView);
    if (resource === 'applications' && sub === 'scheduled_interviews') return (url) => (data.applications.has(Number(id)) ? interviews(url.searchParams).filter((interview) => interview.application_id === Number(id)) : undefined);
    if (resource === 'applications' && sub === undefined) return byId(data.applications, applicationView);
    if (resource === 'jobs' && id === undefined) return (url) => jobs(url.searchParams);
    if (resource === 'jobs' && sub === undefined) return byId(data.jobs, (job) => job);
    if (resource === 'scheduled_interviews' && id === undefined) return (url) => interviews(url.searchParams);
    if (resource === 'scheduled_interviews' && sub === undefined) return byId(data.interviews, (interview) => interview);
    return undefined;
  }

  function candidates(query: URLSearchParams): Candidate[] {
    const window = instantWindow(query, ['created', 'updated']);
    const jobId = query.get('job_id');
    const email = query.get('email')?.toLowerCase();
    const ids = email === undefined ? query.get('candidate_ids')?.split(',').map((each) => Number(each.trim())).slice(0, 50) : undefined;
    return [...data.candidates.values()].filter(
      (candidate) =>
        window.created(candidate.created_at) &&
        window.updated(candidate.updated_at) &&
        (jobId === null || applicationsOf(candidate).some((application) => application.jobs.some((job) => String(job.id) === jobId))) &&
        (email === undefined || candidate.email_addresses.some((address) => address.value.toLowerCase() === email)) &&
        (ids === undefined || ids.includes(candidate.id)),
    );
  }

  function applications(query: URLSearchParams): Application[] {
    const window = instantWindow(query, ['created']);
    const activity = instant(query, 'last_activity_after');
    const jobId = query.get('job_id');
    const status = query.get('status');
    return [...data.applications.values()].filter(
      (application) =>
        window.created(application.applied_at) &&
        (activity === null || Date.parse(application.last_activity_at) >= activity) &&
        (jobId === null || application.jobs.some((job) => String(job.id) === jobId)) &&
        (status === null || application.status === status),
    );
  }

  function jobs(query: URLSearchParams) {
    const window = instantWindow(query, ['created', 'updated']);
    const status = query.get('status');
    return [...data.jobs.values()].filter((job) => window.created(job.created_at) && window.updated(job.updated_at) && (status === null || job.status === status));
  }

  function interviews(query: URLSearchParams) {
    const window = instantWindow(query, ['created', 'updated']);
    const startsAfter = instant(query, 'starts_after');
    const startsBefore = instant(query, 'starts_before');
    const startOf = (interview: ScheduledInterview) => Date.parse('date_time' in interview.start ? interview.start.date_time : interview.start.date);
    return [...data.interviews.values()].filter(
      (interview) =>
        window.created(interview.created_at) &&
        window.updated(interview.updated_at) &&
        (startsAfter === null || startOf(interview) >= startsAfter) &&
        (startsBefore === null || startOf(interview) < startsBefore),
    );
  }

  /** `<name>_after` (at or after) and `<name>_before` (strictly before) for each named timestamp. */
  function instantWindow(query: URLSearchParams, names: readonly ('created' | 'updated')[]): Record<'created' | 'updated', (value: string) => boolean> {
    const test = (name: 'created' | 'updated') => {
      if (!names.includes(name)) return () => true;
      const after = instant(query, `${name}_after`);
      const before = instant(query, `${name}_before`);
      return (value: string) => (after === null || Date.parse(value) >= after) && (before === null || Date.parse(value) < before);
    };
    return { created: test('created'), updated: test('updated') };
  }

  function pageOf(rows: unknown[], url: URL): { items: unknown[]; link: string | null } {
    const perPage = wholeNumber(url.searchParams, 'per_page', documentedDefaultPerPage, documentedMaxPerPage);
    const page = wholeNumber(url.searchParams, 'page', 1, Number.MAX_SAFE_INTEGER);
    const lastPage = Math.max(1, Math.ceil(rows.length / perPage));
    const withPage = (number: number) => {
      const target = new URL(url.pathname, `http://${url.host}`);
      for (const [key, value] of url.searchParams) if (key !== 'page') target.searchParams.append(key, value);
      target.searchParams.set('page', String(number));
      if (!target.searchParams.has('per_page')) target.searchParams.set('per_page', String(perPage));
      return `<${api.baseUrl}${target.pathname}${target.search}>`;
    };
    const links: string[] = [];
    if (page < lastPage) links.push(`${withPage(page + 1)}; rel="next"`);
    if (page > 1) links.push(`${withPage(Math.min(page - 1, lastPage))}; rel="prev"`);
    if (url.searchParams.get('skip_count') !== 'true' && (lastPage > 1 || page > 1)) links.push(`${withPage(lastPage)}; rel="last"`);
    return { items: rows.slice((page - 1) * perPage, page * perPage), link: links.length === 0 ? null : links.join(', ') };
  }

  /** `{add, change, remove, changeIds, removeIds}` on candidates; a change moves an application a stage on, now. */
  function mutate(body: Record<string, unknown>) {
    const now = new Date(clock.nowMs());
    const added: number[] = [];
    for (let index = 0; index < mutationCount(body, 'add'); index += 1) added.push(addCandidate(data, mutations.fork(data.nextCandidateId), now, now).id);
    const pick = (exclude: ReadonlySet<number>) => {
      const left = [...data.candidates.keys()].filter((id) => !exclude.has(id));
      return left.length === 0 ? undefined : mutations.pick(left);
    };
    const changed = explicitIds(body.changeIds);
    for (let index = 0; index < mutationCount(body, 'change'); index += 1) {
      const id = pick(new Set([...added, ...changed]));
      if (id !== undefined) changed.push(id);
    }
    for (const id of changed) {
      const candidate = data.candidates.get(id);
      const application = candidate && applicationsOf(candidate)[0];
      if (candidate && application) actOn(candidate, application, now);
    }
    const removed = explicitIds(body.removeIds);
    for (let index = 0; index < mutationCount(body, 'remove'); index += 1) {
      const id = pick(new Set([...added, ...changed, ...removed]));
      if (id !== undefined) removed.push(id);
    }
    for (const id of removed) removeCandidate(data, id);
    return { added, changed, removed, at: timestamp(now) };
  }

  const api = await startSandbox(
    {
      provider: manifestName,
      handle: apiHost,
      controls: {
        mutate,
        'advance-clock': (body) => {
          clock.advance(typeof body.seconds === 'number' ? body.seconds : 0);
          return { now: new Date(clock.nowMs()).toISOString() };
        },
        'rate-limit': (body) => {
          rate.limit = typeof body.limit === 'number' && body.limit > 0 ? Math.floor(body.limit) : documentedRateLimit;
          rate.windowSeconds = typeof body.windowSeconds === 'number' && body.windowSeconds > 0 ? body.windowSeconds : documentedRateWindowSeconds;
          rate.used = 0;
          rate.windowStartMs = clock.nowMs();
          return { limit: rate.limit, windowSeconds: rate.windowSeconds };
        },
      },
    },
    options.port === undefined ? {} : { port: options.port },
  );
  return {
    ...api,
    data,
    storage,
    storageAuthorizations,
    requestLog,
    close: async () => {
      await api.close();
      await storage.close();
    },
    ready: { provider: 'oauth2', manifest: manifestName, baseUrl: `${api.baseUrl}/v1`, token: apiKey, downloadHosts: [new URL(storageOrigin).host] },
  };
}

function instant(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  const value = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(value)) throw new ValidationError(name, 'must be an ISO-8601 timestamp');
  return value;
}

function wholeNumber(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) throw new ValidationError(name, max === Number.MAX_SAFE_INTEGER ? 'must be a positive integer' : `must be an integer between 1 and ${max}`);
  return value;
}

function explicitIds(value: unknown): number[] {
  return Array.isArray(value) ? value.map(Number).filter(Number.isInteger) : [];
}
