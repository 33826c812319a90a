import { Readable } from 'node:stream';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { DossierError } from '../base/errors.ts';
import type { Logger } from '../base/log.ts';
import type { ErrorReply } from '../providers/kit/auth-profile.ts';
import type { ProviderRequest, ProviderSession } from '../providers/kit/session.ts';
import type { TokenRecord } from '../secrets/tokens.ts';
import { parseJson, type AuthSetup } from './oauth.ts';
import { needsLogin, type TokenSource } from './token-source.ts';

/** Replies read in full to learn whether they are about the token; everything else streams to the caller untouched. */
const authStatuses = new Set([400, 401, 403]);

/**
 * An authenticated session for an account. Tokens are obtained, refreshed or minted again
 * as needed; when the provider says the token expired, the request is retried once with a new
 * one. Throttling, server errors and connection failures are returned or thrown as they are:
 * retrying those is the caller's job (a provider's own throttle page becomes `provider.throttled`).
 */
export function sessionFor(setup: AuthSetup, tokens: TokenSource, log: Logger): ProviderSession {
  return {
    accountId: setup.account.id,
    provider: setup.account.provider,
    baseUrl: setup.baseUrl.href,
    request: (request) => send(setup, tokens, log, request),
  };
}

async function send(setup: AuthSetup, tokens: TokenSource, log: Logger, request: ProviderRequest): Promise<Dispatcher.ResponseData> {
  if (request.anonymous === true) {
    return undiciRequest(resolveUrl(setup.baseUrl, request), { method: request.method, headers: lowerKeys(request.headers ?? {}), dispatcher: setup.dispatcher, signal: request.signal });
  }
  let rejected: string | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const { record, fresh } = await tokens.current(setup, rejected);
    const { query, ...placed } = place(setup, record, request);
    const url = resolveUrl(setup.baseUrl, request);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    // Connection failures propagate as undici reports them: whether to retry is the caller's call.
    const response = await undiciRequest(url, { ...placed, dispatcher: setup.dispatcher, signal: request.signal });
    if (!authStatuses.has(response.statusCode) || (request.ownershipProbe === true && response.statusCode === 401)) return response;
    const text = await response.body.text();
    const reply: ErrorReply = { status: response.statusCode, headers: response.headers, text, json: parseJson(text), freshToken: fresh || attempt > 0 };
    const verdict = setup.profile.classifyApiReply(reply);
    if (verdict === 'token_rejected') {
      if (attempt === 0) {
        log.info('auth.token_refused', { accountId: setup.account.id, provider: setup.account.provider, status: reply.status });
        rejected = record.accessToken;
        continue;
      }
      const error = needsLogin(setup, 'refused');
      await tokens.recordFailure(setup.account.id, error);
      throw error;
    }
    if (verdict instanceof DossierError) {
      await tokens.recordFailure(setup.account.id, verdict);
      throw verdict;
    }
    return { ...response, body: bufferedBody(text) };
  }
  throw new Error('unreachable: the retry loop always returns or throws');
}

function resolveUrl(baseUrl: URL, request: ProviderRequest): URL {
  const url = request.url instanceof URL || /^https?:\/\//i.test(request.url)
    ? new URL(request.url)
    : new URL(request.url.replace(/^\/+/, ''), baseUrl.href.endsWith('/') ? baseUrl : new URL(`${baseUrl.href}/`));
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  return url;
}

type Placed = { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; query: Record<string, string> };

/** Puts the token where the provider reads it, and adds the provider's own headers. */
function place(setup: AuthSetup, record: TokenRecord, request: ProviderRequest): Placed {
  const headers: Record<string, string> = { ...setup.profile.headers, ...lowerKeys(request.headers ?? {}) };
  let form = request.form === undefined ? undefined : { ...request.form };
  const query: Record<string, string> = {};
  const placement = setup.profile.placement;
  if (typeof placement === 'object') {
    if ('header' in placement) headers[placement.header.toLowerCase()] = `${placement.prefix}${record.accessToken}`;
    else query[placement.query] = record.accessToken;
    return withBody({ method: request.method, headers, query }, form, request.json);
  }
  switch (placement) {
    case 'bearer':
      headers.authorization = `Bearer ${record.accessToken}`;
      break;
    case 'basic_and_bearer': {
      if (setup.clientSecret === undefined) {
        throw new DossierError('input.invalid', `${setup.label} signs every request with the app's client secret too; add it to the account.`, { field: 'clientSecret' });
      }
      const basic = Buffer.from(`${setup.client.client_id}:${setup.clientSecret}`).toString('base64');
      headers.authorization = `Basic ${basic},Bearer ${record.accessToken}`;
      break;
    }
    case 'basic_username':
      headers.authorization = `Basic ${Buffer.from(`${record.accessToken}:`).toString('base64')}`;
      break;
    case 'access_token':
      if (request.method === 'POST' && form !== undefined) form = { ...form, access_token: record.accessToken };
      else query.access_token = record.accessToken;
      break;
  }
  return withBody({ method: request.method, headers, query }, form, request.json);
}

function withBody(placed: Placed, form: Record<string, string> | undefined, json: unknown): Placed {
  if (form !== undefined) {
    placed.headers['content-type'] = 'application/x-www-form-urlencoded';
    placed.body = new URLSearchParams(form).toString();
  } else if (json !== undefined) {
    placed.headers['content-type'] = 'application/json';
    placed.body = JSON.stringify(json);
  }
  return placed;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** A reply body that was read to classify it, handed back with the same consuming methods as undici's. */
function bufferedBody(text: string): Dispatcher.ResponseData['body'] {
  const bytes = Buffer.from(text);
  const stream = Readable.from([bytes]) as Readable & Record<string, unknown>;
  Object.assign(stream, {
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    bytes: async () => new Uint8Array(bytes),
    blob: async () => new Blob([bytes]),
    dump: async () => undefined,
  });
  return stream as unknown as Dispatcher.ResponseData['body'];
}
