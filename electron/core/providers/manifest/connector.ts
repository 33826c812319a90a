import LinkHeader from 'http-link-header';
import { documentKinds, type DocumentKind, type SyncPhase } from '../../../../shared/domain.ts';
import type { StagedBlob } from '../../blobs/store.ts';
import { DossierError } from '../../base/errors.ts';
import type { Connector, ConnectorContext, DocumentToFetch, FetchedDocument, PullResult } from '../kit/connector.ts';
import { toUtcIso } from '../kit/dates.ts';
import { defaultPolicy, type SessionRequest } from '../kit/http.ts';
import type { PageWalk } from '../kit/paging.ts';
import type { AnswerRecord, Batch, Snapshot } from '../kit/records.ts';
import { compiledExpressions, type CompiledExpression } from './load.ts';
import { resourceNames, type Manifest, type ManifestResource, type ResourceName } from './schema.ts';

/** A walk stops here whatever the provider says: no account has this many pages, so it is a loop (kit/paging.ts). */
const maxPages = 10_000;
const dayMs = 86_400_000;

/** Where the next page of a walk is: the URL and its query. */
interface NextPage {
  readonly url: string;
  readonly query: Record<string, string>;
}

/** One raw item of a resource, with what the mapping made of it. */
interface Item {
  readonly raw: unknown;
  readonly remoteId: string;
  /** For `forEach` and `within` resources: the raw item of the record it belongs to, `$parent` in expressions. */
  readonly parent?: unknown;
}

type Found = Omit<Item, 'remoteId'>;

/** A resource's pass: its raw items (deduplicated by remote id), whether every walk finished, and whether it was filtered. */
interface Pass {
  readonly items: Item[];
  readonly finished: boolean;
  readonly filtered: boolean;
}

/**
 * The connector a manifest describes: each resource walked in dependency order (a `forEach` or
 * `within` resource after the one it refers to) with its paging style, its records mapped by the
 * manifest's expressions and checked against the record's field types. Every request with the
 * token goes under the account's base URL; a Link or cursor that points elsewhere is refused.
 */
export function manifestConnector(manifest: Manifest): Connector {
  const expressions = compiledExpressions(manifest);
  const provider = manifest.name;
  const rate = manifest.api.requestsPerSecond;
  const engine = new ManifestEngine(manifest, expressions);
  return {
    // The manifest's stated rate caps both where the limit starts and how far it may grow.
    policy: defaultPolicy(provider, Math.max(1, Math.min(4, Math.floor(rate ?? 4))), Math.max(1, Math.min(8, Math.floor(rate ?? 8)))),
    pull: (context) => engine.pull(context),
    download: (context, document) => engine.download(context, document),
  };
}

class ManifestEngine {
  readonly #manifest: Manifest;
  readonly #expressions: ReadonlyMap<string, CompiledExpression>;

  constructor(manifest: Manifest, expressions: ReadonlyMap<string, CompiledExpression>) {
    this.#manifest = manifest;
    this.#expressions = expressions;
  }

  get #provider(): string {
    return this.#manifest.name;
  }

  async pull(context: ConnectorContext): Promise<PullResult> {
    const startedAt = new Date();
    const passes = new Map<ResourceName, Pass>();
    const cursors: Record<string, string> = {};
    const unfinished: string[] = [];
    const snapshot: Snapshot = {};
    for (const name of dependencyOrder(this.#manifest)) {
      const resource = this.#manifest.resources[name] as ManifestResource;
      const parentName = resource.forEach ?? resource.within;
      const parent = parentName === undefined ? undefined : passes.get(parentName);
      const since = this.#since(context, name, resource, startedAt);
      context.progress(progressPhase(name), 0, null, since === null ? null : `changed since ${since}`);
      let pass: Pass;
      if (resource.within !== undefined) pass = await this.#within(name, resource, parent as Pass);
      else if (resource.forEach !== undefined) pass = await this.#forEach(context, name, resource, parent as Pass, since);
      else pass = await this.#list(context, name, resource, (resource.endpoint as string), since);
      // Records found through a filtered or unfinished parent are only some of them: absence proves nothing.
      const complete = pass.finished && !pass.filtered && (parent === undefined || (parent.finished && !parent.filtered));
      const settled: Pass = { ...pass, filtered: !complete && pass.finished };
      passes.set(name, settled);
      if (!pass.finished) unfinished.push(resource.endpoint ?? `${name} within ${String(resource.within)}`);
      Object.assign(cursors, this.#cursorsAfter(name, resource, pass, since, startedAt));
      await this.#addToSnapshot(snapshot, context, name, pass.items, complete);
    }
    return { snapshot, cursors, unfinished };
  }

  /** The "changed since" value to ask for, or null for a full walk (none configured, none saved, or one is due). */
  #since(context: ConnectorContext, name: ResourceName, resource: ManifestResource, startedAt: Date): string | null {
    const incremental = resource.incremental;
    if (!incremental) return null;
    const lastFull = Date.parse(context.cursor(`${name}.full_walk`) ?? '');
    // NaN (never, or marked due after an unfinished walk) fails the comparison: a full walk.
    if (!(startedAt.getTime() - lastFull < incremental.fullWalkEveryDays * dayMs)) return null;
    const lastStart = Date.parse(context.cursor(`${name}.since`) ?? '');
    if (Number.isNaN(lastStart)) return null;
    return formatInstant(new Date(lastStart - incremental.overlapSeconds * 1000), incremental.format);
  }

  #cursorsAfter(name: ResourceName, resource: ManifestResource, pass: Pass, since: string | null, startedAt: Date): Record<string, string> {
    if (!resource.incremental) return {};
    // An unfinished walk keeps the last start (the next sync asks again from there) and makes the next walk a full one.
    if (!pass.finished) return { [`${name}.full_walk`]: 'due' };
    const started = startedAt.toISOString();
    return since === null ? { [`${name}.since`]: started, [`${name}.full_walk`]: started } : { [`${name}.since`]: started };
  }

  async #list(context: ConnectorContext, name: ResourceName, resource: ManifestResource, endpoint: string, since: string | null): Promise<Pass> {
    const query = { ...resource.query };
    if (since !== null && resource.incremental) query[resource.incremental.param] = since;
    const walk = await this.#walk(context, name, resource, endpoint, query);
    return { items: await this.#identify(name, walk.items.map((raw) => ({ raw })), endpoint), finished: walk.finished, filtered: since !== null };
  }

  async #forEach(context: ConnectorContext, name: ResourceName, resource: ManifestResource, parent: Pass, since: string | null): Promise<Pass> {
    const items: Found[] = [];
    let finished = true;
    const owners = context.pagesPerList === undefined ? parent.items : parent.items.slice(0, 1);
    for (const [index, owner] of owners.entries()) {
      // `.` and `..` survive encoding and would climb the path (the URL standard reads %2E%2E as `..` too).
      if (/^\.{1,2}$/.test(owner.remoteId)) throw this.#malformed(`resources.${name}.endpoint`, `cannot use the id "${owner.remoteId}" of ${String(resource.forEach)} in a path`);
      const endpoint = (resource.endpoint as string).replaceAll('{id}', encodeURIComponent(owner.remoteId));
      const pass = await this.#list(context, name, resource, endpoint, since);
      items.push(...pass.items.map((item) => ({ raw: item.raw, parent: owner.raw })));
      finished &&= pass.finished;
      context.progress(progressPhase(name), index + 1, owners.length, owner.remoteId);
    }
    return { items: await this.#identify(name, items, String(resource.endpoint)), finished: finished && owners.length === parent.items.length, filtered: since !== null };
  }

  async #within(name: ResourceName, resource: ManifestResource, parent: Pass): Promise<Pass> {
    const items: Found[] = [];
    for (const [index, owner] of parent.items.entries()) {
      const found = await this.#itemsOf(name, owner.raw, `item ${index} of ${String(resource.within)}`, true);
      items.push(...found.map((raw) => ({ raw, parent: owner.raw })));
    }
    return { items: await this.#identify(name, items, `within ${String(resource.within)}`), finished: parent.finished, filtered: parent.filtered };
  }

  /**
   * One list walked to its end with the resource's paging style. It ends finished only on an empty
   * page, the stated total, or the style's own "no more" (no cursor, no `next` link); a repeated
   * page or the page guard ends it unfinished (docs/decisions/0016-walks-that-prove-they-finished.md).
   */
  async #walk(context: ConnectorContext, name: ResourceName, resource: ManifestResource, endpoint: string, baseQuery: Record<string, string>): Promise<PageWalk<unknown>> {
    const paging = resource.paging;
    const items: unknown[] = [];
    const seen = new Set<string>();
    let previous = '';
    let next: NextPage | undefined = { url: this.#endpointUrl(context, name, endpoint), query: { ...baseQuery } };
    const pageLimit = Math.min(maxPages, context.pagesPerList ?? maxPages);
    for (let page = 0; page < pageLimit && next !== undefined; page += 1) {
      const query = { ...next.query };
      if (paging.style === 'page') Object.assign(query, { [paging.pageParam]: String(paging.firstPage + page), [paging.sizeParam]: String(paging.size) });
      if (paging.style === 'offset') Object.assign(query, { [paging.offsetParam]: String(items.length), [paging.limitParam]: String(paging.limit) });
      if ((paging.style === 'cursor' || paging.style === 'link') && paging.sizeParam !== undefined && paging.size !== undefined) query[paging.sizeParam] = String(paging.size);
      const request: SessionRequest = { method: 'GET', url: next.url, query };
      const reply = await context.http.jsonWithHeaders(endpoint, request);
      const pageItems = await this.#itemsOf(name, reply.body, endpoint, false);
      if (paging.style === 'none') return { items: pageItems, finished: true };
      if (pageItems.length === 0) return { items, finished: true };
      const fingerprint = JSON.stringify(pageItems.slice(0, 3));
      if (page > 0 && fingerprint === previous) return { items, finished: false };
      previous = fingerprint;
      items.push(...pageItems);
      context.progress(progressPhase(name), items.length, null, endpoint);
      const total = await this.#total(name, resource, reply.body);
      if (total !== null && items.length >= total) return { items, finished: true };
      next = paging.style === 'link' ? this.#linkNext(context, name, reply.headers.link) : paging.style === 'cursor' ? await this.#cursorNext(context, name, paging, reply.body, next) : next;
      if (next === undefined) return { items, finished: true };
      if (paging.style === 'link' || paging.style === 'cursor') {
        const key = `${next.url}?${new URLSearchParams(next.query).toString()}`;
        if (seen.has(key)) return { items, finished: false };
        seen.add(key);
      }
    }
    return { items, finished: false };
  }

  /** The next page from a `Link: <…>; rel="next"` header; undefined when there is none (the last page). */
  #linkNext(context: ConnectorContext, name: ResourceName, header: string | string[] | undefined): NextPage | undefined {
    const value = Array.isArray(header) ? header.join(', ') : header;
    if (value === undefined || value.trim() === '') return undefined;
    let target: string | undefined;
    try {
      target = LinkHeader.parse(value).rel('next')[0]?.uri;
    } catch (error) {
      throw this.#malformed(`resources.${name}.paging`, `the Link header could not be read (${(error as Error).message})`);
    }
    if (target === undefined) return undefined;
    return { url: this.#followUrl(context, `resources.${name}.paging`, 'Link rel="next"', target), query: {} };
  }

  async #cursorNext(
    context: ConnectorContext,
    name: ResourceName,
    paging: Extract<ManifestResource['paging'], { style: 'cursor' }>,
    body: unknown,
    current: NextPage,
  ): Promise<NextPage | undefined> {
    const path = `resources.${name}.paging.next`;
    const value = await this.#evaluate(path, body, 'the reply');
    if (value === undefined || value === null || value === false || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw this.#malformed(path, `gave ${describe(value)}, not a cursor (text or a number)`);
    const cursor = String(value);
    // A cursor that is a URL is followed like a Link; anything else is the cursor parameter's value.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(cursor) || cursor.startsWith('/')) return { url: this.#followUrl(context, path, 'the cursor', cursor), query: {} };
    return { url: current.url, query: { ...current.query, [paging.cursorParam]: cursor } };
  }

  /** A URL the provider gave for the next page: followed (with the token) only on the account's API origin. */
  #followUrl(context: ConnectorContext, path: string, what: string, target: string): string {
    const base = new URL(context.baseUrl);
    const url = new URL(target, base);
    if (url.origin !== base.origin) {
      throw this.#malformed(path, `points ${what} at ${url.origin}, outside the API (${base.origin}); Dossier sends the account's token only to the API, so it stopped`);
    }
    return url.href;
  }

  /** A manifest endpoint resolved under the account's base URL; a path that climbs out of it is refused. */
  #endpointUrl(context: ConnectorContext, name: ResourceName, endpoint: string): string {
    const base = new URL(context.baseUrl.endsWith('/') ? context.baseUrl : `${context.baseUrl}/`);
    const url = new URL(endpoint.replace(/^\/+/, ''), base);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new DossierError('input.invalid', `The manifest's resources.${name}.endpoint resolves to ${url.origin}${url.pathname}, outside the API at ${base.href}. Fix the endpoint (or the record id it contains).`, {
        path: `resources.${name}.endpoint`,
      });
    }
    return url.href;
  }

  /** The items of a reply (or of a parent item, for `within`), always a list. */
  async #itemsOf(name: ResourceName, reply: unknown, where: string, within: boolean): Promise<unknown[]> {
    const resource = this.#manifest.resources[name] as ManifestResource;
    const path = `resources.${name}.items`;
    const value = resource.items === undefined ? reply : await this.#evaluate(path, reply, where);
    // Records found within another item may be absent from it (no attachments); a list reply must hold a list.
    if (value === undefined && within) return [];
    if (Array.isArray(value)) return value as unknown[];
    if (value !== null && typeof value === 'object' && resource.items !== undefined) return [value];
    throw this.#malformed(resource.items === undefined ? `resources.${name}` : path, `found ${describe(value)} in ${where}, not a list of items${resource.items === undefined ? ' (set items to the part of the reply that holds the list)' : ''}`);
  }

  async #total(name: ResourceName, resource: ManifestResource, body: unknown): Promise<number | null> {
    if (resource.total === undefined) return null;
    const path = `resources.${name}.total`;
    const value = await this.#evaluate(path, body, 'the reply');
    if (value === undefined || value === null) return null;
    const total = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) throw this.#malformed(path, `gave ${describe(value)}, not a count of items`);
    return total;
  }

  /**
   * Each raw item with its remote id, once per id (pages that overlap, a filter that repeats an
   * item); an item without one is an error naming the resource and its position, never dropped.
   */
  async #identify(name: ResourceName, found: readonly Found[], where: string): Promise<Item[]> {
    const path = `resources.${name}.map.remoteId`;
    const byId = new Map<string, Item>();
    for (const [index, { raw, parent }] of found.entries()) {
      const item = `item ${index} of ${name} (${where})`;
      const remoteId = asText(this, path, await this.#evaluate(path, raw, item, parent), item);
      if (remoteId === null) throw this.#malformed(path, `gave no id for ${item}; every record needs one`);
      byId.set(remoteId, { raw, remoteId, parent });
    }
    return [...byId.values()];
  }

  async #addToSnapshot(snapshot: Snapshot, context: ConnectorContext, name: ResourceName, items: readonly Item[], complete: boolean): Promise<void> {
    const mapper = new ItemMapper(this, name, context.timeZone);
    const rows: Record<string, unknown>[] = [];
    for (const [index, item] of items.entries()) rows.push(await mapper.fields(item, index));
    // The mapper built each row to its record type (ItemMapper.#record); the snapshot names interviews `slots`.
    (snapshot as Record<string, Batch<unknown>>)[name === 'interviews' ? 'slots' : name] = { rows, complete };
  }

  async download(context: ConnectorContext, document: DocumentToFetch): Promise<{ staged: StagedBlob; fetched: FetchedDocument }> {
    const { raw, parent } = unparented(JSON.parse(document.rawJson) as unknown);
    const where = `document ${document.remoteId}`;
    const text = async (field: string): Promise<string | null> => {
      if (this.#manifest.resources.documents?.map[field] === undefined) return null;
      return asText(this, `resources.documents.map.${field}`, await this.#evaluate(`resources.documents.map.${field}`, raw, where, parent), where);
    };
    const fetched: FetchedDocument = { fileName: await text('fileName'), mimeType: await text('mimeType'), statedSha1: (await text('sha1'))?.toLowerCase() ?? null };
    const inline = await text('inlineBase64');
    if (inline !== null) {
      if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(inline)) throw this.#malformed('resources.documents.map.inlineBase64', `is not base64 for ${where}`);
      const bytes = Buffer.from(inline, 'base64');
      return { staged: await context.stage((sink) => sink.write(bytes)), fetched };
    }
    const target = await text('url');
    if (target === null) throw this.#malformed('resources.documents.map.url', `gave nothing for ${where}: a document needs a url or inlineBase64`);
    const request = this.#downloadRequest(context, target);
    const endpoint = `documents/${document.remoteId}`;
    return context.http.call(endpoint, request, async (response) => {
      const staged = await context.stage(async (sink) => {
        for await (const chunk of response.body) await sink.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      });
      const type = response.headers['content-type'];
      return { staged, fetched: { ...fetched, mimeType: fetched.mimeType ?? (typeof type === 'string' ? type.split(';')[0]?.trim() ?? null : null) } };
    });
  }

  /** On the API's origin the download carries the token; on a listed download host it carries nothing; anywhere else it is refused. */
  #downloadRequest(context: ConnectorContext, target: string): SessionRequest {
    const path = 'resources.documents.map.url';
    const base = new URL(context.baseUrl);
    let url: URL;
    try {
      // A relative URL is a path under the API's base URL, as endpoints are (a leading "/" included).
      url = /^[a-z][a-z0-9+.-]*:/i.test(target) ? new URL(target) : new URL(target.replace(/^\/+/, ''), base.href.endsWith('/') ? base : `${base.href}/`);
    } catch {
      throw this.#malformed(path, `gave "${target.slice(0, 100)}", which is not a URL`);
    }
    if (url.origin === base.origin) return { method: 'GET', url: url.href };
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
    if (secure && this.#manifest.api.downloadHosts.some((host) => host.toLowerCase() === url.host.toLowerCase())) return { method: 'GET', url: url.href, anonymous: true };
    throw this.#malformed(path, `points at ${url.origin}, which is neither the API nor one of the manifest's api.downloadHosts; Dossier did not download it`);
  }

  /** Evaluates one compiled expression, turning JSONata's errors (a timeout among them) into one naming the manifest path. */
  async #evaluate(path: string, input: unknown, where: string, parent?: unknown): Promise<unknown> {
    const compiled = this.#expressions.get(path);
    if (!compiled) throw new Error(`no compiled expression at ${path}`);
    try {
      return unwrap(await compiled.expression.evaluate(input, { parent }));
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      throw this.#malformed(path, `failed on ${where} (${code ?? 'error'}: ${message ?? String(error)})`);
    }
  }

  evaluate(path: string, input: unknown, where: string, parent: unknown): Promise<unknown> {
    return this.#evaluate(path, input, where, parent);
  }

  hasField(name: ResourceName, field: string): boolean {
    return this.#manifest.resources[name]?.map[field] !== undefined;
  }

  resource(name: ResourceName): ManifestResource {
    return this.#manifest.resources[name] as ManifestResource;
  }

  malformed(path: string, why: string): DossierError {
    return this.#malformed(path, why);
  }

  #malformed(path: string, why: string): DossierError {
    return new DossierError(
      'provider.malformed_response',
      `${this.#provider}: the manifest's ${path} ${why}. Nothing was changed; check the manifest against the provider's replies (dossier manifest check).`,
      { provider: this.#provider, path },
    );
  }
}

const dateFields = new Set(['postedAt', 'closesAt', 'appliedAt', 'startsAt', 'endsAt']);
const numberFields = new Set(['size', 'degreeYear']);

/** Maps one item's fields by the manifest's expressions, each coerced to its record field's type. */
class ItemMapper {
  readonly #engine: ManifestEngine;
  readonly #name: ResourceName;
  readonly #timeZone: string;

  constructor(engine: ManifestEngine, name: ResourceName, timeZone: string) {
    this.#engine = engine;
    this.#name = name;
    this.#timeZone = timeZone;
  }

  async fields(item: Item, index: number): Promise<Record<string, unknown>> {
    const { raw, parent } = item;
    const where = `item ${index} of ${this.#name}`;
    const value = async (field: string): Promise<unknown> => (this.#engine.hasField(this.#name, field) ? this.#engine.evaluate(`resources.${this.#name}.map.${field}`, raw, where, parent) : undefined);
    const path = (field: string): string => `resources.${this.#name}.map.${field}`;
    const text = async (field: string): Promise<string | null> => asText(this.#engine, path(field), await value(field), where);
    const remoteId = await text('remoteId');
    if (remoteId === null) throw this.#engine.malformed(path('remoteId'), `gave no id for ${where}; every record needs one`);
    // A document found through a parent keeps that parent beside it, so its download evaluates `map.url` with the same `$parent`.
    const stored = this.#name === 'documents' && parent !== undefined ? parented(raw, parent) : raw;
    const known: Record<string, unknown> = { remoteId, remoteVersion: await text('remoteVersion'), raw: stored };
    for (const field of Object.keys(this.#engine.resource(this.#name).map)) {
      if (field in known || field === 'url' || field === 'inlineBase64' || field === 'sha1' || field === 'kind') continue;
      const result = await value(field);
      if (dateFields.has(field)) known[field] = asDate(this.#engine, path(field), result, where, this.#timeZone);
      else if (numberFields.has(field)) known[field] = asNumber(this.#engine, path(field), result, where, field === 'degreeYear');
      else if (field === 'fields') known[field] = asTextList(this.#engine, path(field), result, where);
      else if (field === 'answers') known[field] = asAnswers(this.#engine, path(field), result, where);
      else known[field] = asText(this.#engine, path(field), result, where);
    }
    return this.#record(known, where, text, value);
  }

  async #record(known: Record<string, unknown>, where: string, text: (field: string) => Promise<string | null>, value: (field: string) => Promise<unknown>): Promise<Record<string, unknown>> {
    const remoteId = known.remoteId as string;
    const path = (field: string): string => `resources.${this.#name}.map.${field}`;
    const nulls = (fields: readonly string[]): Record<string, unknown> => Object.fromEntries(fields.map((field) => [field, null]));
    switch (this.#name) {
      case 'jobs':
        return { ...nulls(['department', 'location', 'status', 'postedAt', 'closesAt']), ...known, title: known.title ?? `Job ${remoteId}` };
      case 'applicants':
        return { ...nulls(['firstName', 'middleName', 'lastName', 'email', 'phone', 'country', 'nationality', 'url', 'institution', 'degree', 'degreeYear', 'currentPosition', 'currentInstitution', 'primaryField']), fields: [], ...known };
      case 'applications':
        return { ...nulls(['jobRemoteId', 'applicantRemoteId', 'jobTitle', 'appliedAt', 'remoteStatus']), answers: [], lettersExpected: 0, ...known };
      case 'documents': {
        const kindValue = this.#engine.hasField('documents', 'kind') ? await value('kind') : (this.#engine.resource('documents').kind ?? 'other');
        if (typeof kindValue !== 'string' || !(documentKinds as readonly string[]).includes(kindValue)) {
          throw this.#engine.malformed(path('kind'), `gave ${describe(kindValue)} for ${where}; use one of ${documentKinds.join(', ')}`);
        }
        const kind = kindValue as DocumentKind;
        const sha1 = await text('sha1');
        if (sha1 !== null && !/^[0-9a-f]{40}$/i.test(sha1)) throw this.#engine.malformed(path('sha1'), `gave "${sha1.slice(0, 60)}" for ${where}, not a SHA-1 in hex`);
        const url = await text('url');
        const { fileName, title, ...rest } = known;
        return {
          ...nulls(['applicantRemoteId', 'applicationRemoteId', 'mimeType', 'size']),
          ...rest,
          kind,
          // Display text only: the store names files by their hash, never by what a provider calls them.
          fileName: fileName ?? null,
          title: title ?? fileName ?? kind,
          externalUrl: kind === 'link' ? url : null,
          remoteSha1: sha1?.toLowerCase() ?? null,
        };
      }
      case 'interviews': {
        for (const field of ['startsAt', 'endsAt']) if (known[field] === null || known[field] === undefined) throw this.#engine.malformed(path(field), `gave no time for ${where}; an interview needs a start and an end`);
        return { ...nulls(['applicationRemoteId', 'applicantRemoteId', 'place', 'groupName']), conferenceRemoteId: null, conferenceName: null, ...known, timeZone: known.timeZone ?? this.#timeZone };
      }
    }
  }
}

interface Reporter {
  malformed(path: string, why: string): DossierError;
}

/** The stored form of a document found through a parent (`forEach`/`within`): the item and the parent's item. */
const parentedMarker = 'dossier:parented';
interface Parented {
  readonly [parentedMarker]: 1;
  readonly item: unknown;
  readonly parent: unknown;
}

function parented(item: unknown, parent: unknown): Parented {
  return { [parentedMarker]: 1, item, parent };
}

function unparented(stored: unknown): { raw: unknown; parent: unknown } {
  if (typeof stored === 'object' && stored !== null && (stored as Partial<Parented>)[parentedMarker] === 1) {
    const { item, parent } = stored as Parented;
    return { raw: item, parent };
  }
  return { raw: stored, parent: undefined };
}

/** Text, trimmed (empty is null); numbers and booleans are written out; lists and objects are a mapping mistake. */
function asText(engine: Reporter, path: string, value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw engine.malformed(path, `gave ${describe(value)} for ${where}, not text`);
}

function asDate(engine: Reporter, path: string, value: unknown, where: string, timeZone: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const iso = toUtcIso(value, timeZone);
  if (iso === null) throw engine.malformed(path, `gave ${describe(value)} for ${where}, not a date Dossier can read (use ISO 8601, e.g. 2024-05-01T14:03:00Z)`);
  return iso;
}

function asNumber(engine: Reporter, path: string, value: unknown, where: string, integer: boolean): number | null {
  if (value === undefined || value === null || value === '') return null;
  const number = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) throw engine.malformed(path, `gave ${describe(value)} for ${where}, not ${integer ? 'a whole number' : 'a number'}`);
  return number;
}

function asTextList(engine: Reporter, path: string, value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((entry) => {
    const text = asText(engine, path, entry, where);
    return text === null ? [] : [text];
  });
}

function asAnswers(engine: Reporter, path: string, value: unknown, where: string): AnswerRecord[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((entry) => {
    const pair = entry as { question?: unknown; answer?: unknown } | null;
    if (pair === null || typeof pair !== 'object' || Array.isArray(pair)) throw engine.malformed(path, `gave ${describe(entry)} for ${where}; each answer must be {"question": …, "answer": …}`);
    const question = asText(engine, `${path}.question`, pair.question, where);
    const answer = Array.isArray(pair.answer) ? asTextList(engine, `${path}.answer`, pair.answer, where).join(', ') : asText(engine, `${path}.answer`, pair.answer, where);
    return question === null ? [] : [{ question, answer: answer ?? '' }];
  });
}

/** JSONata returns sequences as arrays tagged `sequence`; a copy drops the tag so results compare and serialise plainly. */
function unwrap(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.slice(0, 60)}"`;
  return `${typeof value} ${String(value)}`;
}

function formatInstant(instant: Date, format: 'iso' | 'date' | 'epoch-seconds' | 'epoch-milliseconds'): string {
  switch (format) {
    case 'iso':
      return instant.toISOString();
    case 'date':
      return instant.toISOString().slice(0, 10);
    case 'epoch-seconds':
      return String(Math.floor(instant.getTime() / 1000));
    case 'epoch-milliseconds':
      return String(instant.getTime());
  }
}

function progressPhase(name: ResourceName): SyncPhase {
  return name;
}

/** The manifest's resources, each after the one its `forEach` or `within` names (load.ts refused cycles). */
export function dependencyOrder(manifest: Manifest): ResourceName[] {
  const order: ResourceName[] = [];
  const visit = (name: ResourceName): void => {
    if (order.includes(name)) return;
    const resource = manifest.resources[name] as ManifestResource;
    const parent = resource.forEach ?? resource.within;
    if (parent !== undefined) visit(parent);
    order.push(name);
  };
  for (const name of resourceNames) if (manifest.resources[name]) visit(name);
  return order;
}
