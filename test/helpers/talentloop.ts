import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * "Talentloop", a fictional generic ATS for the manifest-account tests (not a provider emulator):
 * a client-credentials token endpoint that accepts only what its manifest describes (the secret in
 * the body, its scope), and three page-numbered lists whose replies state their total, answering
 * only requests that carry the token in its own header. Each request is recorded.
 */

export const clientId = 'talentloop-client';
export const clientSecret = 'talentloop-secret-9f8e7d';
export const accessToken = 'talentloop-access-token-0123';

export interface TalentloopData {
  jobs: { id: number; name: string; office: string }[];
  people: { id: string; given: string; family: string; mail: string }[];
  applications: { id: string; job: number; person: string; stage: string }[];
  tokenRequests: { auth: string | undefined; body: URLSearchParams }[];
  apiRequests: string[];
}

/** A manifest's JSON as the tests edit it before it is written out. */
export interface ResourceJson {
  paging: unknown;
  map: Record<string, string>;
  [key: string]: unknown;
}
export interface ManifestJson {
  name: string;
  auth: Record<string, unknown>;
  resources: Record<'jobs' | 'applicants' | 'applications', ResourceJson>;
  [key: string]: unknown;
}

export interface Talentloop {
  readonly origin: string;
  /** The server's records and what it saw; `reset()` seeds them afresh. */
  data: TalentloopData;
  reset(): void;
  /** Talentloop's manifest text, after `change` (a test's edit of the parsed JSON). */
  manifest(change?: (value: ManifestJson) => void): string;
  close(): Promise<void>;
}

function seed(): TalentloopData {
  return {
    jobs: [{ id: 1, name: 'Assistant Professor of Economics', office: 'Boston' }, { id: 2, name: 'Postdoc in Econometrics', office: 'Remote' }],
    people: Array.from({ length: 5 }, (_, index) => ({ id: `p${index + 1}`, given: `Grace${index + 1}`, family: `Hopperfield${index + 1}`, mail: `grace${index + 1}@example.org` })),
    applications: Array.from({ length: 5 }, (_, index) => ({ id: `a${index + 1}`, job: (index % 2) + 1, person: `p${index + 1}`, stage: 'applied' })),
    tokenRequests: [],
    apiRequests: [],
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startTalentloop(): Promise<Talentloop> {
  let data = seed();
  let origin = '';
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/oauth/token' && request.method === 'POST') {
      let text = '';
      for await (const chunk of request) text += String(chunk);
      const body = new URLSearchParams(text);
      data.tokenRequests.push({ auth: request.headers.authorization, body });
      // The manifest says client_secret_post and the scope "read:jobs read:candidates"; nothing else is accepted.
      if (body.get('client_id') !== clientId || body.get('client_secret') !== clientSecret) return reply(response, 401, { error: 'invalid_client' });
      if (body.get('scope') !== 'read:jobs read:candidates') return reply(response, 400, { error: 'invalid_scope' });
      return reply(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
    }
    data.apiRequests.push(url.pathname);
    if (request.headers['x-talentloop-key'] !== `Key ${accessToken}`) return reply(response, 401, { message: 'no key' });
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('size') ?? 2);
    const paged = <Row>(rows: Row[]) => ({ items: rows.slice((page - 1) * size, page * size), count: rows.length });
    if (url.pathname === '/api/jobs') return reply(response, 200, paged(data.jobs));
    if (url.pathname === '/api/people') return reply(response, 200, paged(data.people));
    if (url.pathname === '/api/applications') return reply(response, 200, paged(data.applications));
    return reply(response, 404, { message: 'not found' });
  };
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get data() {
      return data;
    },
    reset() {
      data = seed();
    },
    manifest(change = () => undefined) {
      const value: ManifestJson = {
        dossierManifest: 1,
        name: 'Talentloop',
        documentation: 'https://talentloop.example/docs',
        api: { baseUrl: `${origin}/api` },
        auth: {
          type: 'oauth2',
          grant: 'client_credentials',
          tokenUrl: `${origin}/oauth/token`,
          scopes: ['read:jobs', 'read:candidates'],
          clientAuthentication: 'client_secret_post',
          placement: { in: 'header', name: 'X-Talentloop-Key', prefix: 'Key ' },
        },
        resources: {
          jobs: { endpoint: 'jobs', items: 'items', total: 'count', paging: { style: 'page', sizeParam: 'size', size: 2 }, map: { remoteId: '$string(id)', title: 'name', location: 'office' } },
          applicants: { endpoint: 'people', items: 'items', total: 'count', paging: { style: 'page', sizeParam: 'size', size: 2 }, map: { remoteId: 'id', firstName: 'given', lastName: 'family', email: 'mail' } },
          applications: {
            endpoint: 'applications',
            items: 'items',
            total: 'count',
            paging: { style: 'page', sizeParam: 'size', size: 2 },
            map: { remoteId: 'id', jobRemoteId: '$string(job)', applicantRemoteId: 'person', remoteStatus: 'stage' },
          },
        },
      };
      change(value);
      return JSON.stringify(value, null, 2);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
