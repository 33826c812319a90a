import { z } from 'zod';
import { DocumentKind, HttpUrl } from '../../../../shared/domain.ts';

/**
 * A provider manifest (docs/providers/manifests.md): a JSON file that tells the generic provider how
 * to sign in to a recruiting API, where its jobs, applicants, applications, documents and interviews
 * are, how each list pages, and how its records map onto Dossier's, in JSONata expressions. This
 * schema is the contract; `docs/providers/manifest.schema.json` is generated from it.
 */
export const manifestFormat = 1;

/**
 * A JSONata expression, evaluated against one item of a list (or, for `items`, `total` and
 * `next`, against the whole reply). Compiled when the manifest is loaded, so a syntax error is
 * reported with the manifest path before any request.
 */
const Expression = z.string().min(1).max(4000);

/** A path under `api.baseUrl`: no scheme, no host, no `..`, so a manifest cannot aim requests elsewhere. */
const RelativePath = z
  .string()
  .min(1)
  .max(500)
  .refine((path) => !/^[a-z][a-z0-9+.-]*:/i.test(path) && !path.startsWith('//') && !path.split(/[/?#]/).includes('..'), 'must be a path under api.baseUrl (no scheme, host or "..")');

/** Header names a manifest may never set: the token and the connection are Dossier's. */
const reservedHeaders = new Set(['authorization', 'cookie', 'host', 'content-length', 'transfer-encoding', 'connection', 'proxy-authorization']);
const ExtraHeaders = z.record(
  z.string().regex(/^[A-Za-z0-9-]+$/).refine((name) => !reservedHeaders.has(name.toLowerCase()), 'is set by Dossier, not by a manifest'),
  z.string().max(1000),
);

/** Where the access token (or API key) goes on each API request; it goes only to `api.baseUrl`'s origin. */
export const TokenPlacement = z.discriminatedUnion('in', [
  /** `<name>: <prefix><token>`, e.g. `Authorization: Bearer …` (the default). */
  z.strictObject({ in: z.literal('header'), name: z.string().regex(/^[A-Za-z0-9-]+$/).default('Authorization'), prefix: z.string().max(40).default('Bearer ') }),
  /** `?<name>=<token>`. */
  z.strictObject({ in: z.literal('query'), name: z.string().regex(/^[A-Za-z0-9_.-]+$/) }),
  /** HTTP Basic with the token as the user name and an empty password (Greenhouse Harvest, Lever API keys). */
  z.strictObject({ in: z.literal('basic-username') }),
]);

const reservedAuthorizeParams = new Set(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce', 'request', 'request_uri']);

export const ManifestAuth = z.discriminatedUnion('type', [
  /** OAuth 2.0: endpoints discovered from `issuer` (RFC 8414 / OpenID) or given by hand. */
  z.strictObject({
    type: z.literal('oauth2'),
    grant: z.enum(['authorization_code', 'client_credentials']),
    issuer: HttpUrl.optional(),
    authorizeUrl: HttpUrl.optional(),
    tokenUrl: HttpUrl.optional(),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).max(50).default([]),
    clientAuthentication: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    /**
     * Extra parameters of the authorization request a provider requires (Lever: `audience`). The
     * protocol's own parameters are Dossier's and cannot be set here.
     */
    authorizeParams: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]+$/).refine((name) => !reservedAuthorizeParams.has(name), 'is set by Dossier (OAuth 2.0 / PKCE), not by a manifest'),
        z.string().max(500),
      )
      .default({}),
    /** `registered`: the provider compares the redirect URI exactly, so the account keeps a fixed loopback port. */
    redirect: z.enum(['registered', 'any-loopback-port']).default('any-loopback-port'),
    placement: TokenPlacement.default({ in: 'header', name: 'Authorization', prefix: 'Bearer ' }),
  }),
  /** A personal token or API key the user pastes; never refreshed. */
  z.strictObject({ type: z.literal('token'), placement: TokenPlacement }),
]);

/** How a list pages. Every style ends on an empty page, a stated total, or the style's own "no more". */
export const Paging = z.discriminatedUnion('style', [
  z.strictObject({ style: z.literal('none') }),
  /** `?<pageParam>=1,2,…&<sizeParam>=<size>`. */
  z.strictObject({ style: z.literal('page'), pageParam: z.string().default('page'), sizeParam: z.string().default('per_page'), size: z.number().int().min(1).max(1000).default(100), firstPage: z.number().int().min(0).max(1).default(1) }),
  /** `?<offsetParam>=0,n,2n,…&<limitParam>=n`. */
  z.strictObject({ style: z.literal('offset'), offsetParam: z.string().default('offset'), limitParam: z.string().default('limit'), limit: z.number().int().min(1).max(1000).default(100) }),
  /** `?<cursorParam>=<next>`, where `next` (an expression over the reply) is empty, null or false on the last page. */
  z.strictObject({ style: z.literal('cursor'), cursorParam: z.string(), next: Expression, sizeParam: z.string().optional(), size: z.number().int().min(1).max(1000).optional() }),
  /** RFC 8288 `Link: <…>; rel="next"`, followed only within `api.baseUrl`'s origin. */
  z.strictObject({ style: z.literal('link'), sizeParam: z.string().optional(), size: z.number().int().min(1).max(1000).optional() }),
]);

/** A server-side "changed since" filter: the parameter, and how it writes an instant. */
export const Incremental = z.strictObject({
  param: z.string().regex(/^[A-Za-z0-9_.[\]-]+$/),
  format: z.enum(['iso', 'date', 'epoch-seconds', 'epoch-milliseconds']).default('iso'),
  /** How far back of the last sync's start to ask, for clocks and day boundaries (default one hour). */
  overlapSeconds: z.number().int().min(0).max(7 * 86_400).default(3600),
  /** Without removals in a filtered list, a full walk runs this often to learn what is gone (days). */
  fullWalkEveryDays: z.number().int().min(1).max(90).default(7),
});

/** The record fields each resource maps to (`kit/records.ts`); `remoteId` is required for every one. */
export const resourceFields = {
  jobs: ['remoteId', 'remoteVersion', 'title', 'department', 'location', 'status', 'postedAt', 'closesAt'],
  applicants: ['remoteId', 'remoteVersion', 'firstName', 'middleName', 'lastName', 'email', 'phone', 'country', 'nationality', 'url', 'institution', 'degree', 'degreeYear', 'currentPosition', 'currentInstitution', 'primaryField', 'fields'],
  applications: ['remoteId', 'remoteVersion', 'jobRemoteId', 'applicantRemoteId', 'jobTitle', 'appliedAt', 'remoteStatus', 'answers'],
  documents: ['remoteId', 'remoteVersion', 'kind', 'applicantRemoteId', 'applicationRemoteId', 'title', 'fileName', 'mimeType', 'size', 'sha1', 'url', 'inlineBase64'],
  interviews: ['remoteId', 'remoteVersion', 'applicationRemoteId', 'applicantRemoteId', 'startsAt', 'endsAt', 'timeZone', 'place', 'groupName'],
} as const;
export type ResourceName = keyof typeof resourceFields;
export const resourceNames = Object.keys(resourceFields) as ResourceName[];

/**
 * One resource. Either a list of its own (`endpoint`, `paging`), optionally asked once per record
 * of another resource (`forEach`: `{id}` in the endpoint is that record's remote id), or records
 * found inside another resource's items (`within`: `items` is evaluated on each of its raw items,
 * no request made — Greenhouse's attachments inside candidates).
 */
function resource<Name extends ResourceName>(name: Name) {
  const fields = resourceFields[name] as readonly string[];
  return z
    .strictObject({
      endpoint: RelativePath.optional(),
      query: z.record(z.string(), z.string().max(500)).default({}),
      forEach: z.enum(resourceNames).optional(),
      within: z.enum(resourceNames).optional(),
      /** The items of a reply (default: the reply itself, which must then be an array). */
      items: Expression.optional(),
      /** The number of items the whole list has, when the reply states it. */
      total: Expression.optional(),
      paging: Paging.default({ style: 'none' }),
      incremental: Incremental.optional(),
      /** Field → expression over one item. Missing optional fields are null. */
      map: z.record(z.string(), Expression).refine((map) => 'remoteId' in map, 'must map remoteId').superRefine((map, context) => {
        for (const key of Object.keys(map)) if (!fields.includes(key)) context.addIssue({ code: 'custom', path: [key], message: `is not a field of ${name}; use ${fields.join(', ')}` });
      }),
      /** Documents only: the kind for every record, when `map.kind` is absent. */
      kind: name === 'documents' ? DocumentKind.optional() : z.undefined().optional(),
    })
    .superRefine((value, context) => {
      if (value.within !== undefined && (value.endpoint !== undefined || value.forEach !== undefined)) context.addIssue({ code: 'custom', path: ['within'], message: 'a resource found within another has no endpoint or forEach of its own' });
      if (value.within === undefined && value.endpoint === undefined) context.addIssue({ code: 'custom', path: ['endpoint'], message: 'is required (or use within)' });
      if (value.within !== undefined && value.items === undefined) context.addIssue({ code: 'custom', path: ['items'], message: 'is required with within: which part of each item holds these records' });
      if (value.forEach !== undefined && !(value.endpoint ?? '').includes('{id}')) context.addIssue({ code: 'custom', path: ['endpoint'], message: 'must contain {id} with forEach' });
      if (value.forEach === name || value.within === name) context.addIssue({ code: 'custom', path: [value.forEach === name ? 'forEach' : 'within'], message: 'cannot refer to the resource itself' });
    });
}

export const Manifest = z.strictObject({
  /** The manifest format this file is written for. */
  dossierManifest: z.literal(manifestFormat),
  /** What Dossier calls this provider ("Greenhouse Harvest"). */
  name: z.string().min(1).max(80),
  /** Where the provider documents its API, shown with the account. */
  documentation: HttpUrl.optional(),
  api: z.strictObject({
    /** Every request goes under this URL; the token is sent to its origin only. */
    baseUrl: HttpUrl,
    /** Other hosts documents may be downloaded from (signed storage URLs); never sent the token. */
    downloadHosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i)).max(20).default([]),
    headers: ExtraHeaders.default({}),
    /** The provider's stated request limit, which Dossier's concurrency stays within. */
    requestsPerSecond: z.number().positive().max(100).optional(),
  }),
  auth: ManifestAuth,
  resources: z
    .strictObject({
      jobs: resource('jobs').optional(),
      applicants: resource('applicants').optional(),
      applications: resource('applications').optional(),
      documents: resource('documents').optional(),
      interviews: resource('interviews').optional(),
    })
    .refine((resources) => Object.keys(resources).length > 0, 'must describe at least one resource'),
});
export type Manifest = z.output<typeof Manifest>;
export type ManifestResource = NonNullable<Manifest['resources'][ResourceName]>;
