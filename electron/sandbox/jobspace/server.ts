import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import type { FaultSwitch } from '../faults.ts';
import { AuthorizationServer, SandboxClock, basicCredentials, isFailure, sandboxCredential, type AccessToken, type OAuthFailure } from '../oauth.ts';
import { Random } from '../random.ts';
import { applyRequestFaults, sendJson, type RequestContext, type RunningSandbox } from '../server.ts';
import { mutationCount, startOAuthSandbox } from '../oauth-sandbox.ts';
import { servedPageSize, type StrictnessProfile } from '../strictness.ts';
import {
  applyTypes,
  countries,
  currencies,
  generate,
  jobCategories,
  jobTypes,
  makeJob,
  organisation,
  salaryFrequencies,
  type JobRecord,
} from './data.ts';

/**
 * The Job Space emulator (Laravel + Dingo + Fractal, per its Slate docs): the 2017-05 paths
 * (`/api/job…`) and the 2017-09+ admin paths (`/admin/api/job…`) side by side. Choices where the
 * docs are silent: README.md.
 */

export interface EmulatorOptions {
  readonly port?: number;
  readonly scale?: string;
  readonly seed?: number;
  readonly strictness?: StrictnessProfile;
}

export interface JobSpaceEmulator extends RunningSandbox {
  readonly ready: { provider: 'jobspace'; baseUrl: string; tokenUrl: string; authorizeUrl: null; clientId: string; clientSecret: string };
  readonly jobs: Map<number, JobRecord>;
}

export const versionMediaType = 'application/vnd.jb.v1+json';
const documentedLifetimeSeconds = 86_400;
const defaultPageSize = 25;
const boardZone = 'Europe/London';

class HttpError extends Error {
  readonly status: number;
  readonly errors: Record<string, string[]> | undefined;
  constructor(status: number, message: string, errors?: Record<string, string[]>) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/** Reads multipart/form-data (the documented encoding), urlencoded or JSON bodies into string fields. */
async function readFields(request: IncomingMessage, context: RequestContext): Promise<Map<string, string>> {
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  const body = await context.body();
  const fields = new Map<string, string>();
  if (type.startsWith('multipart/form-data')) {
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: request.headers, limits: { fieldSize: 1024 * 1024 } });
      parser.on('field', (name, value) => fields.set(name, value));
      parser.on('file', (_name, stream) => stream.resume());
      parser.on('close', resolve);
      parser.on('error', reject);
      parser.end(body);
    }).catch(() => {
      throw new HttpError(400, 'Malformed multipart body');
    });
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields.set(key, value);
  } else if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'Malformed JSON body');
    }
    for (const [key, value] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
      if (value !== null && value !== undefined) fields.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  return fields;
}

/** `{utc, converted, formatted}`: the instant, the board's local time with its offset, and display text. */
export function boardDate(date: Date | null): { utc: string; converted: string; formatted: string } | null {
  if (!date) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: boardZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  const month = new Intl.DateTimeFormat('en-GB', { timeZone: boardZone, month: 'short' }).format(date);
  return {
    utc: date.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    converted: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`,
    formatted: `${parts.day} ${month} ${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`,
  };
}

export async function startJobSpaceEmulator(options: EmulatorOptions = {}): Promise<JobSpaceEmulator> {
  const seed = options.seed ?? 1;
  const clock = new SandboxClock();
  const jobs = generate(seed, options.scale ?? 'small', new Date(clock.nowMs()));
  const credentials = new Random(seed).fork(703);
  const client = { id: String(credentials.int(2, 99)), secret: sandboxCredential(credentials, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), name: 'Dossier (sandbox)', redirectUris: [] };
  const harness: { faults?: FaultSwitch } = {};
  const oauth = new AuthorizationServer({
    productName: 'The Job Space',
    clients: [client],
    users: [{ id: '1', login: 'recruiter@northern.example', password: 'sandbox', displayName: 'Test Martin' }],
    scopes: { known: [], separator: ' ', defaults: [] },
    codeLifetimeSeconds: 600,
    accessTokenLifetimeSeconds: documentedLifetimeSeconds,
    issueRefreshTokens: true,
    faults: () => harness.faults,
    clock,
  });
  const state = { credits: 1000, nextId: 142 + jobs.size };
  const board = options.strictness?.board ?? 'current';
  /** The `ignore-page` fault: the job list answers its first page, whatever `page[number]` asks. */
  const paging = { ignorePage: false };
  const mutations = new Random(seed).fork(99);
  const now = () => new Date(clock.nowMs());

  async function handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const reply = (status: number, value: unknown) => sendJson(response, context, status, value);
    try {
      if (!(request.headers.accept ?? '').toLowerCase().includes(versionMediaType)) throw new HttpError(406, 'Not Acceptable');
      if (context.url.pathname === '/oauth/token' && context.method === 'POST') return await token(request, response, context);
      const route = servedByBoard(context.url.pathname) ? matchRoute(context.method, context.url.pathname) : undefined;
      if (!route) throw new HttpError(404, '404 Not Found');
      if (await applyRequestFaults(response, context, throttled)) return;
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!oauth.verify(bearer).ok) throw new HttpError(401, 'Unauthenticated');
      const result = await route(request, context);
      return reply(result.status, result.body);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return reply(error.status, { data: { message: error.message, ...(error.errors ? { errors: error.errors } : {}), status_code: error.status } });
    }
  }

  function throttled(response: ServerResponse): void {
    const body = JSON.stringify({ data: { message: 'Too Many Attempts.', status_code: 429 } });
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'content-length': String(Buffer.byteLength(body)) });
    response.end(body);
  }

  /** The 2017-05 docs know only `/api/…`; the admin API (`/admin/api/…`) came with the 2017-09 docs. */
  function servedByBoard(path: string): boolean {
    return board === 'current' || !path.startsWith('/admin/');
  }

  /** client_credentials (2017-05 docs), password (later docs) and refresh_token, multipart body. */
  async function token(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const fields = await readFields(request, context);
    const basic = basicCredentials(request.headers.authorization);
    const caller = basic ? oauth.authenticateClient(basic.id, basic.secret) : oauth.authenticateClient(fields.get('client_id'), fields.get('client_secret'));
    const reply = (status: number, value: unknown) => sendJson(response, context, status, value, { 'cache-control': 'no-store' });
    const leagueError = (status: number, error: string, message: string, hint?: string) => reply(status, { error, error_description: message, ...(hint ? { hint } : {}), message });
    if (!caller) return leagueError(401, 'invalid_client', 'Client authentication failed');
    let result: AccessToken | OAuthFailure;
    const grant = fields.get('grant_type');
    // The 2017-05 docs describe client_credentials only; password and refresh_token came later.
    const documented = board === 'current' || grant === 'client_credentials';
    switch (documented ? grant : undefined) {
      case 'client_credentials':
        result = oauth.clientCredentials(caller, []);
        break;
      case 'password': {
        const user = oauth.authenticateUser(fields.get('username') ?? null, fields.get('password') ?? null);
        if (!user) return leagueError(401, 'invalid_credentials', 'The user credentials were incorrect.');
        result = oauth.issueForUser(caller, user.id, [], { refresh: true });
        break;
      }
      case 'refresh_token':
        result = oauth.refresh({ client: caller, refreshToken: fields.get('refresh_token') ?? null });
        break;
      default:
        return leagueError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.', 'Check the `grant_type` parameter');
    }
    if (isFailure(result)) return leagueError(401, 'invalid_request', 'The refresh token is invalid.', result.description);
    return reply(200, { token_type: 'Bearer', expires_in: result.expiresIn, access_token: result.value, ...(result.refreshToken ? { refresh_token: result.refreshToken } : {}) });
  }

  type Handler = (request: IncomingMessage, context: RequestContext) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

  function matchRoute(method: string, path: string): Handler | undefined {
    const admin = path.startsWith('/admin/api/');
    const rest = path.replace(/^\/(admin\/)?api\//, '');
    if (rest === path) return undefined;
    if (method === 'GET') {
      if (!admin && rest === 'job') return (_request, context) => ({ status: 200, body: listJobs(context.url) });
      if (!admin && rest === 'address/country') return () => ({ status: 200, body: { data: countries.map(({ id, iso, name }) => ({ id, iso, name })) } });
      if (!admin && rest === 'job/type') return () => ({ status: 200, body: { data: jobTypes.map(({ id, handle }) => ({ id, handle, created_at: boardDate(new Date('2017-01-05T10:00:00Z')), updated_at: boardDate(new Date('2017-01-05T10:00:00Z')) })) } });
      if (!admin && rest === 'job/category') return () => ({ status: 200, body: { data: jobCategories.map(({ id, handle }) => ({ id, handle, created_at: boardDate(new Date('2017-01-05T10:00:00Z')), updated_at: boardDate(new Date('2017-01-05T10:00:00Z')) })) } });
      if (admin && rest === 'job/options') return () => ({ status: 200, body: { data: optionsLookup() } });
      const id = /^job\/(\d+)$/.exec(rest)?.[1];
      if (!admin && id) return () => ({ status: 200, body: { data: jobDetail(existing(Number(id))), meta: { similarity_boxes: [] } } });
      return undefined;
    }
    if (method !== 'POST') return undefined;
    if (rest === 'job') return (request, context) => createJob(request, context);
    const [, id, action] = /^job\/(\d+)\/(update|delete)$/.exec(rest) ?? [];
    if (id && action === 'update') return (request, context) => updateJob(Number(id), request, context);
    if (id && action === 'delete' && admin) return () => deleteJob(Number(id));
    return undefined;
  }

  function existing(id: number): JobRecord {
    const job = jobs.get(id);
    if (!job || job.deleted_at) throw new HttpError(404, 'No query results for model [App\\Models\\Job].');
    return job;
  }

  function listJobs(url: URL) {
    const number = paging.ignorePage ? 1 : pageParam(url, 'page[number]', 1);
    const size = servedPageSize(pageParam(url, 'page[size]', defaultPageSize), defaultPageSize, options.strictness?.pageCap, null);
    const live = [...jobs.values()].filter((job) => !job.deleted_at);
    const slice = live.slice((number - 1) * size, number * size);
    const totalPages = Math.max(1, Math.ceil(live.length / size));
    const link = (page: number) => {
      const next = new URL(url);
      next.searchParams.set('page[number]', String(page));
      next.searchParams.set('page[size]', String(size));
      return next.toString();
    };
    const countBy = (key: (job: JobRecord) => string) => Object.entries(Object.groupBy(live, key)).map(([value, group]) => ({ key: value, doc_count: group?.length ?? 0 }));
    return {
      data: slice.map(jobListItem),
      meta: {
        took: 12,
        pagination: {
          total: live.length,
          count: slice.length,
          per_page: size,
          current_page: number,
          total_pages: totalPages,
          links: { ...(number > 1 ? { previous: link(number - 1) } : {}), ...(number < totalPages ? { next: link(number + 1) } : {}) },
        },
        aggregations: { 'location.country.iso': countBy((job) => job.country.iso.toLowerCase()), 'type.handle': countBy((job) => job.type.handle) },
      },
    };
  }

  function pageParam(url: URL, name: string, fallback: number): number {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new HttpError(422, '422 Unprocessable Entity', { [name]: [`The ${name} must be an integer of at least 1.`] });
    return value;
  }

  function links(job: JobRecord, base: string) {
    return { self: `${base}/api/job/${job.id}`, apply: `${base}/api/job/${job.id}/apply` };
  }

  function currency(iso: string) {
    return currencies.find((entry) => entry.iso_code === iso) ?? currencies[0];
  }

  function jobListItem(job: JobRecord) {
    const { id: countryId, iso, name } = job.country;
    return {
      id: job.id,
      organisation_id: job.organisation_id,
      reference: job.reference,
      number_applied: job.number_applied,
      job_title: job.name,
      slug: `${organisation.handle}/${job.id}/${job.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      summary: job.summary,
      description: job.description,
      benefits: job.benefits,
      skills: job.skills,
      salary: { from: job.salary_from, to: job.salary_to, text: job.salary_text || 'Competitive', frequency: job.salary_frequency.handle, currency: currency(job.salary_currency) },
      creator_name: job.creator_name,
      location: {
        display: job.place.display,
        postcode: { id: job.postcode_id, postcode: job.place.postcode },
        country: { id: countryId, iso, name, geo: { lon: 0, lat: 0 } },
        geo: { lon: String(job.place.lon), lat: String(job.place.lat) },
      },
      language: { data: { id: 1, iso_code: 'en', name: 'English' } },
      evergreen: false,
      open_date: boardDate(job.open_date),
      close_date: boardDate(job.close_date),
      created_at: boardDate(job.created_at),
      updated_at: boardDate(job.updated_at),
      deleted_at: boardDate(job.deleted_at),
      organisation: { data: organisation },
      category: { data: { id: job.category.id, handle: job.category.handle, parent: jobCategories.find((entry) => entry.id === job.category.id)?.parent ?? null } },
      type: { data: { id: job.type.id, handle: job.type.handle } },
      media: { data: [] },
      address: addressOf(job),
      links: links(job, base()),
    };
  }

  function addressOf(job: JobRecord) {
    return {
      id: job.address_id,
      premise: job.place.premise,
      sub_premise: null,
      thoroughfare: job.place.thoroughfare,
      locality: job.place.locality,
      postalcode: { id: job.postcode_id, postcode: job.place.postcode },
      geo: { lat: job.place.lat, lon: job.place.lon },
      country: { id: job.country.id, iso: job.country.iso, name: job.country.name },
    };
  }

  /** The flatter single-job shape: salary and address fields at the top, numbers as strings. */
  function jobDetail(job: JobRecord) {
    const money = (value: number) => value.toFixed(2);
    return {
      id: job.id,
      organisation_id: job.organisation_id,
      reference: job.reference,
      name: job.name,
      content_mode: 'HTML',
      summary: job.summary,
      description: job.description,
      benefits: job.benefits,
      skills: job.skills,
      salary_from: money(job.salary_from),
      salary_to: money(job.salary_to),
      salary_text: job.salary_text,
      location_display: job.place.display,
      apply_type: job.apply_type,
      apply_data: job.apply_data,
      premise: job.place.premise,
      sub_premise: null,
      thoroughfare: job.place.thoroughfare,
      locality: job.place.locality,
      main_area: job.place.main_area,
      sub_area: null,
      country_id: String(job.country.id),
      postcode: job.place.postcode,
      source_address: null,
      number_applied: String(job.number_applied),
      open_date: boardDate(job.open_date),
      close_date: boardDate(job.close_date),
      created_at: boardDate(job.created_at),
      updated_at: boardDate(job.updated_at),
      deleted_at: boardDate(job.deleted_at),
      salary_frequency: { data: { id: job.salary_frequency.id, handle: job.salary_frequency.handle } },
      salary_currency: { data: currency(job.salary_currency) },
      organisation: { data: { ...organisation, created_at: boardDate(new Date('2016-11-02T09:00:00Z')) } },
      category: { data: { id: job.category.id, handle: job.category.handle } },
      type: { data: { id: job.type.id, handle: job.type.handle } },
      address: { data: { ...addressOf(job), administrative: { main_area: job.place.main_area, sub_area: null } } },
      links: links(job, base()),
    };
  }

  function optionsLookup() {
    return {
      country: countries,
      job_type: jobTypes,
      job_category: jobCategories.map(({ id, handle, name }) => ({ id, handle, name })),
      salary_currency: currencies,
      salary_frequency: salaryFrequencies,
      apply_type: applyTypes,
    };
  }

  /** Laravel-style validation of the create/update fields (handles or the 2017-05 ids); throws a 422 with every problem. */
  function validated(fields: Map<string, string>, current: JobRecord | null): Partial<JobRecord> {
    const errors: Record<string, string[]> = {};
    const fail = (field: string, message: string) => (errors[field] ??= []).push(message);
    const creating = current === null;
    const value = (name: string) => {
      const raw = fields.get(name);
      return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
    };
    const changes: Partial<JobRecord> = {};
    const required = (name: string, label = name.replace(/_/g, ' ')) => {
      if (creating && value(name) === undefined) fail(name, `The ${label} field is required.`);
    };
    required('reference');
    required('name');
    required('description');
    const reference = value('reference');
    if (reference !== undefined) {
      if (reference.length < 5 || reference.length > 191) fail('reference', 'The reference must be between 5 and 191 characters.');
      else if ([...jobs.values()].some((job) => job.reference === reference && job.id !== current?.id && !job.deleted_at)) fail('reference', 'The reference has already been taken.');
      else changes.reference = reference;
    }
    const lookup = <T extends { id: number; handle: string }>(field: string, idField: string, table: readonly T[]): T | undefined => {
      const handle = value(field);
      const id = value(idField);
      if (handle === undefined && id === undefined) {
        if (creating) fail(field, `The ${field.replace(/_/g, ' ')} field is required.`);
        return undefined;
      }
      const found = table.find((entry) => (handle !== undefined ? entry.handle === handle : String(entry.id) === id));
      if (!found) fail(handle !== undefined ? field : idField, `The selected ${field.replace(/_/g, ' ')} is invalid.`);
      return found;
    };
    const category = lookup('job_category', 'job_category_id', jobCategories);
    if (category) changes.category = category;
    const type = lookup('job_type', 'job_type_id', jobTypes);
    if (type) changes.type = type;
    const name = value('name');
    if (name !== undefined) changes.name = name;
    const description = value('description');
    if (description !== undefined) changes.description = description;
    const summary = value('summary');
    if (summary !== undefined && summary.length > 300) fail('summary', 'The summary may not be greater than 300 characters.');
    else if (summary !== undefined) changes.summary = summary;
    for (const field of ['benefits', 'skills'] as const) {
      const text = value(field);
      if (text !== undefined && text.length > 6500) fail(field, `The ${field} may not be greater than 6500 characters.`);
      else if (text !== undefined) changes[field] = text;
    }
    for (const field of ['open_date', 'close_date'] as const) {
      const raw = value(field);
      if (raw === undefined) continue;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : /^(\d{2})-(\d{2})-(\d{4})$/.exec(raw)?.slice(1).reverse().join('-');
      const date = day ? new Date(`${day}T00:00:00Z`) : null;
      if (!date || Number.isNaN(date.getTime())) fail(field, `The ${field.replace('_', ' ')} does not match the format Y-m-d.`);
      else changes[field] = date;
    }
    const frequency = value('salary_frequency');
    if (frequency !== undefined) {
      const found = salaryFrequencies.find((entry) => entry.handle === frequency);
      if (found) changes.salary_frequency = found;
      else fail('salary_frequency', 'The selected salary frequency is invalid.');
    }
    const currencyCode = value('salary_currency');
    if (currencyCode !== undefined && !currencies.some((entry) => entry.iso_code === currencyCode)) fail('salary_currency', 'The selected salary currency is invalid.');
    else if (currencyCode !== undefined) changes.salary_currency = currencyCode;
    for (const field of ['salary_from', 'salary_to'] as const) {
      const raw = value(field);
      if (raw !== undefined && !Number.isFinite(Number(raw))) fail(field, `The ${field.replace('_', ' ')} must be a number.`);
      else if (raw !== undefined) changes[field] = Number(raw);
    }
    const applyType = value('apply_type');
    const applyData = value('apply_data') ?? value('apply_url');
    if (applyType !== undefined && !applyTypes.some((entry) => entry.handle === applyType)) fail('apply_type', 'The selected apply type is invalid.');
    else if (applyType !== undefined) {
      changes.apply_type = applyType;
      if (applyType === 'EMAIL' && !/^[^@\s]+@[^@\s]+$/.test(applyData ?? '')) fail('apply_data', 'The apply data must be a valid email address.');
      else if ((applyType === 'REDIRECT' || applyType === 'SIGNUP_WITHPOST') && !/^https?:\/\//.test(applyData ?? '')) fail('apply_data', 'The apply data format is invalid.');
      else changes.apply_data = applyData ?? null;
    }
    const countryValue = value('country') ?? value('country_id');
    if (countryValue !== undefined) {
      const found = countries.find((entry) => entry.iso === countryValue || String(entry.id) === countryValue);
      if (found) changes.country = found;
      else fail('country', 'The selected country is invalid.');
    }
    if (Object.keys(errors).length > 0) throw new HttpError(422, '422 Unprocessable Entity', errors);
    return changes;
  }

  async function createJob(request: IncomingMessage, context: RequestContext) {
    const fields = await readFields(request, context);
    const changes = validated(fields, null);
    if (state.credits <= 0) throw new HttpError(402, 'Insufficient Credits');
    const at = now();
    const job: JobRecord = { ...makeJob(mutations.fork(state.nextId), state.nextId, at), ...changes, number_applied: 0, created_at: at, updated_at: at };
    const place = { ...job.place };
    for (const field of ['premise', 'thoroughfare', 'locality', 'main_area'] as const) place[field] = fields.get(field) ?? place[field];
    place.postcode = fields.get('postal_code') ?? place.postcode;
    place.display = fields.get('location_display') ?? `${place.locality}, ${place.main_area}`;
    job.place = place;
    jobs.set(job.id, job);
    state.nextId += 1;
    state.credits -= 1;
    return { status: 201, body: { data: jobDetail(job) } };
  }

  async function updateJob(id: number, request: IncomingMessage, context: RequestContext) {
    const job = existing(id);
    const changes = validated(await readFields(request, context), job);
    Object.assign(job, changes, { updated_at: now() });
    return { status: 200, body: { data: jobDetail(job) } };
  }

  function deleteJob(id: number) {
    const job = existing(id);
    job.deleted_at = now();
    job.updated_at = now();
    return { status: 200, body: { data: { acknowledged: true } } };
  }

  /** `{add, change, remove}` jobs; changed jobs get a new title suffix and updated_at = now. */
  function mutate(body: Record<string, unknown>) {
    const count = (key: string) => mutationCount(body, key);
    const at = now();
    const added: number[] = [];
    for (let index = 0; index < count('add'); index += 1) {
      const job = { ...makeJob(mutations.fork(state.nextId), state.nextId, at), created_at: at, updated_at: at };
      jobs.set(job.id, job);
      added.push(job.id);
      state.nextId += 1;
    }
    const live = [...jobs.values()].filter((job) => !job.deleted_at && !added.includes(job.id));
    const changed = live.slice(0, count('change')).map((job) => {
      job.name = `${job.name.replace(/ \(updated.*\)$/, '')} (updated ${at.toISOString().slice(0, 10)})`;
      job.updated_at = at;
      return job.id;
    });
    const removed = live.slice(count('change'), count('change') + count('remove')).map((job) => {
      job.deleted_at = at;
      return job.id;
    });
    return { added, changed, removed };
  }

  const running = await startOAuthSandbox(
    {
      provider: 'jobspace',
      handle,
      controls: {
        mutate,
        'ignore-page': (body) => {
          paging.ignorePage = body.on !== false;
          return { ignorePage: paging.ignorePage };
        },
        credits: (body) => {
          if (typeof body.credits === 'number') state.credits = body.credits;
          return { credits: state.credits };
        },
      },
    },
    { oauth, clock, harness },
    options.port,
  );
  const base = () => running.baseUrl;
  return {
    ...running,
    jobs,
    ready: { provider: 'jobspace', baseUrl: running.baseUrl, tokenUrl: `${running.baseUrl}/oauth/token`, authorizeUrl: null, clientId: client.id, clientSecret: client.secret },
  };
}
