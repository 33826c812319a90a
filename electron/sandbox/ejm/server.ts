import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicCredentials, readFormFields } from '../forms.ts';
import type { PdfDocument } from '../pdf.ts';
import { applyRequestFaults, sendBody, sendMalformedPage, type EmulatorDefinition, type RequestContext } from '../server.ts';
import type { Dataset, FileRecord, Letter } from './dataset.ts';
import { Base64JsonEncoder, DocumentStore } from './documents.ts';
import { HashPool } from './hash-pool.ts';
import { mutate } from './mutate.ts';
import {
  applicantJson,
  applicationJson,
  conferenceJson,
  fileBlobHead,
  fileMetaJson,
  letterBlobHead,
  letterMetaJson,
  phpJson,
  placementOfficersJson,
  slotJson,
} from './shapes.ts';
import { documentedLifetimeSeconds, TokenIssuer } from './tokens.ts';

/** The four shapes a single-file (or letter) reply has had over the years; clients must read them all. */
export const shapeVariants = ['current', 'files', 'array', 'keyed'] as const;
export type ShapeVariant = (typeof shapeVariants)[number];

export interface EjmCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

interface Switches {
  shape: ShapeVariant | null;
  /** When set, data requests from any other address are refused (EJM's IP allow-list). */
  allowedIps: string[] | null;
  readonly corruptFiles: Set<number>;
  readonly corruptLetters: Set<number>;
}

/**
 * Document bytes per encoding step: whole base64 lines, and small enough that the strings made per
 * step stay in V8's young generation (large strings would pile up in large-object space until a
 * full GC, inflating RSS far beyond what is actually held).
 */
const streamChunkBytes = 57 * 800;

const expiredToken = { error: 'invalid request', error_description: 'Missing or expired token.' };
const noResults = (what: string) => ({ error: 'no results returned', error_description: `No results returned for ${what}.` });

/** A reply body written piece by piece: text, text computed once the pieces before it are sent, or a document. */
type Piece = string | (() => string) | DocumentPiece;

interface DocumentPiece {
  readonly open: () => Promise<PdfDocument>;
  readonly size: number;
  readonly corrupt: boolean;
  readonly onSha1: (sha1: string) => void;
}

export class EjmEmulator {
  readonly data: Dataset;
  readonly documents: DocumentStore;
  readonly credentials: EjmCredentials;
  readonly #tokens = new TokenIssuer();
  readonly #switches: Switches = { shape: null, allowedIps: null, corruptFiles: new Set(), corruptLetters: new Set() };
  #listCache = new Map<string, Buffer>();
  #listCacheVersion = 0;
  #closed = false;

  /** `hashWorkers` > 0 computes sha1 digests in that many worker threads (worth it for a season). */
  constructor(data: Dataset, credentials: EjmCredentials, options: { hashWorkers?: number } = {}) {
    this.data = data;
    this.credentials = credentials;
    const workers = options.hashWorkers ?? 0;
    this.documents = new DocumentStore(data, workers > 0 ? new HashPool(workers) : undefined);
  }

  definition(): EmulatorDefinition {
    return {
      provider: 'ejm',
      handle: (request, response, context) => this.#handle(request, response, context),
      controls: {
        mutate: (body) => mutate(this.data, numberOr(body.count, 10), numberOr(body.seed, this.data.version)),
        revoke: (body) => ({ revoked: this.#tokens.revoke(typeof body.token === 'string' ? body.token : undefined) }),
        'ip-allowlist': (body) => {
          this.#switches.allowedIps = Array.isArray(body.allowed) ? body.allowed.map(String) : null;
          return { allowed: this.#switches.allowedIps };
        },
        shape: (body) => {
          this.#switches.shape = shapeVariants.includes(body.variant as ShapeVariant) ? (body.variant as ShapeVariant) : null;
          return { variant: this.#switches.shape };
        },
        corrupt: (body) => {
          if (body.clear === true) {
            this.#switches.corruptFiles.clear();
            this.#switches.corruptLetters.clear();
          }
          if (typeof body.file_id === 'number') this.#switches.corruptFiles.add(body.file_id);
          if (typeof body.letterid === 'number') this.#switches.corruptLetters.add(body.letterid);
          return { files: [...this.#switches.corruptFiles], letters: [...this.#switches.corruptLetters] };
        },
        dataset: () => this.summary(),
      },
    };
  }

  /**
   * Hashes every file in the background so the first `/api/files` list of a season does not wait
   * for 9,000 documents to be generated; `close` stops it.
   */
  warmUp(): void {
    // A document that fails here is hashed again by the next /api/files list, which reports the error.
    this.documents.hashAll(this.data.files.values(), () => this.#closed).catch(() => undefined);
  }

  close(): Promise<void> {
    this.#closed = true;
    return this.documents.close();
  }

  /** The key tokens are signed with, so a test can check the RS256 signature. */
  publicKeyPem(): string {
    return this.#tokens.publicKeyPem();
  }

  /** Counts and a few notable ids, for tests, benchmarks and the demo. */
  summary(): Record<string, unknown> {
    const files = [...this.data.files.values()];
    const largest = files.reduce<FileRecord | undefined>((best, file) => ((file.filesize ?? 0) > (best?.filesize ?? 0) ? file : best), undefined);
    return {
      scale: this.data.scale,
      seed: this.data.seed,
      version: this.data.version,
      applicants: this.data.applicants.size,
      applications: this.data.applications.size,
      files: this.data.files.size,
      letters: this.data.letters.size,
      conferences: this.data.conferences.size,
      slots: this.data.slots.length,
      documentBytes: files.reduce((sum, file) => sum + (file.filesize ?? 0), 0) + [...this.data.letters.values()].reduce((sum, letter) => sum + (letter.blobid ? letter.filesize : 0), 0),
      largestFile: largest ? { file_id: largest.fileId, filesize: largest.filesize } : null,
      externalLinks: files.filter((file) => file.link !== null).map((file) => file.fileId),
      pendingLetters: [...this.data.letters.values()].filter((letter) => !letter.blobid).map((letter) => letter.letterid),
    };
  }

  /** Shape of a single-file reply: the forced one, else a fixed choice per id (60% current). */
  shapeFor(id: number): ShapeVariant {
    if (this.#switches.shape) return this.#switches.shape;
    const bucket = (Math.imul(id, 2654435761) >>> 0) % 10;
    return bucket < 6 ? 'current' : bucket < 8 ? 'keyed' : bucket < 9 ? 'array' : 'files';
  }

  async #handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    const path = context.url.pathname.replace(/\/+$/, '');
    if (path === '/token') return this.#token(request, response, context);
    if (!path.startsWith('/api/')) {
      sendBody(response, context, 404, { 'content-type': 'text/html; charset=utf-8' }, '<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>');
      return;
    }
    if (await applyRequestFaults(response, context, throttlePage)) return;
    if (context.method !== 'GET' && context.method !== 'POST') return this.#json(response, context, 405, { error: 'invalid request', error_description: 'Use GET or POST.' });
    if (!this.#tokens.valid(await accessToken(request, context))) return this.#json(response, context, 401, expiredToken);
    const ip = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (this.#switches.allowedIps && !this.#switches.allowedIps.includes(ip)) {
      return this.#json(response, context, 403, {
        error: 'unauthorized request',
        error_description: `Requests from ip address ${ip} are not authorized for this api client. Add the address to your api configuration.`,
      });
    }
    return this.#route(path.slice('/api/'.length).split('/'), response, context);
  }

  async #route(segments: string[], response: ServerResponse, context: RequestContext): Promise<void> {
    const [resource, id, part] = segments;
    const numericId = id === undefined ? undefined : /^\d+$/.test(id) ? Number(id) : Number.NaN;
    if (segments.length > (resource === 'document' ? 3 : 2)) return this.#unknownMethod(response, context);
    switch (resource) {
      case 'applications':
        return numericId === undefined
          ? this.#list(response, context, 'applications', () => [...this.data.applications.values()].map((application) => applicationJson(this.data, application)))
          : this.#one(response, context, `application ${id}`, () => {
              const application = this.data.applications.get(numericId);
              return application && applicationJson(this.data, application);
            });
      case 'applicants':
        return numericId === undefined
          ? this.#list(response, context, 'applicants', () => [...this.data.applicants.values()].map((applicant) => applicantJson(this.data, applicant)))
          : this.#one(response, context, `applicant ${id}`, () => {
              const applicant = this.data.applicants.get(numericId);
              return applicant && applicantJson(this.data, applicant);
            });
      case 'files':
        if (numericId !== undefined) return this.#fileReply(response, context, numericId);
        await this.documents.hashAll(this.data.files.values());
        return this.#list(response, context, 'files', () =>
          [...this.data.files.values()].map((file) => fileMetaJson(file, file.blobid === null ? null : (this.documents.knownSha1(file.blobid) ?? null))),
        );
      case 'letters':
        return numericId === undefined
          ? this.#list(response, context, 'letters', () => [...this.data.letters.values()].map(letterMetaJson))
          : this.#letterReply(response, context, numericId);
      case 'conferences':
        return numericId === undefined
          ? this.#list(response, context, 'conferences', () =>
              [...this.data.conferences.values()].filter((conference) => this.data.slots.some((slot) => slot.conferenceId === conference.conferenceId)).map(conferenceJson),
            )
          : this.#one(response, context, `conference ${id}`, () =>
              this.data.conferences.has(numericId) ? this.data.slots.filter((slot) => slot.conferenceId === numericId).map((slot) => slotJson(this.data, slot)) : undefined,
            );
      case 'placement_officers':
        return numericId === undefined ? this.#json(response, context, 200, placementOfficersJson(this.data)) : this.#unknownMethod(response, context);
      case 'document':
        return this.#documentMethod(response, context, numericId, part);
      default:
        return this.#unknownMethod(response, context);
    }
  }

  /** `/api/document/{appid}/{applicant|application|files|letters}`: everything of one application. */
  async #documentMethod(response: ServerResponse, context: RequestContext, appid: number | undefined, part: string | undefined): Promise<void> {
    const application = appid === undefined ? undefined : this.data.applications.get(appid);
    const applicant = application && this.data.applicants.get(application.aid);
    if (!application || !applicant) return this.#json(response, context, 404, noResults(`application ${appid ?? ''}`));
    switch (part) {
      case 'applicant':
        return this.#json(response, context, 200, applicantJson(this.data, applicant));
      case 'application':
        return this.#json(response, context, 200, applicationJson(this.data, application));
      case 'files': {
        const files = applicant.fileIds.flatMap((id) => this.data.files.get(id) ?? []);
        return this.#stream(response, context, ['[', ...files.flatMap((file, index) => [index === 0 ? '' : ',', ...this.#filePieces(file)]), ']']);
      }
      case 'letters': {
        const letters = applicant.letterIds.flatMap((id) => this.data.letters.get(id) ?? []).filter((letter) => letter.blobid);
        return this.#stream(response, context, ['[', ...letters.flatMap((letter, index) => [index === 0 ? '' : ',', ...this.#letterPieces(letter)]), ']']);
      }
      default:
        return this.#unknownMethod(response, context);
    }
  }

  async #fileReply(response: ServerResponse, context: RequestContext, fileId: number): Promise<void> {
    const file = this.data.files.get(fileId);
    if (!file) return this.#json(response, context, 404, noResults(`file ${fileId}`));
    const [open, close] = wrapper(this.shapeFor(fileId), 'file_id', 'files', fileId);
    return this.#stream(response, context, [open, ...this.#filePieces(file), close]);
  }

  async #letterReply(response: ServerResponse, context: RequestContext, letterid: number): Promise<void> {
    const letter = this.data.letters.get(letterid);
    if (!letter || !letter.blobid) return this.#json(response, context, 404, noResults(`letter ${letterid}`));
    const [open, close] = wrapper(this.shapeFor(letterid), 'letterid', 'letters', letterid);
    return this.#stream(response, context, [open, ...this.#letterPieces(letter), close]);
  }

  #filePieces(file: FileRecord): Piece[] {
    const head = openObject(fileBlobHead(file));
    if (file.blobid === null || file.filesize === null) return [`${head},"filecontent":null,"sha1_hash":null}`];
    const blobid = file.blobid;
    let sha1 = '';
    return [
      `${head},"filecontent":"`,
      {
        open: () => this.documents.fileDocument(file),
        size: file.filesize,
        corrupt: this.#switches.corruptFiles.has(file.fileId),
        onSha1: (digest) => {
          sha1 = digest;
          this.documents.remember(blobid, digest);
        },
      },
      () => `","sha1_hash":"${sha1}"}`,
    ];
  }

  #letterPieces(letter: Letter): Piece[] {
    return [
      `${openObject(letterBlobHead(letter))},"filecontent":"`,
      { open: () => this.documents.letterDocument(letter), size: letter.filesize, corrupt: this.#switches.corruptLetters.has(letter.letterid), onSha1: () => undefined },
      '","sha1_hash":null}',
    ];
  }

  async #token(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
    if (context.method !== 'POST') {
      return this.#json(response, context, 405, { error: 'invalid_request', error_description: 'The request method must be POST when requesting an access token' }, { allow: 'POST' });
    }
    const fields = await readFormFields(request, context);
    const basic = basicCredentials(request);
    const clientId = basic?.id ?? fields.client_id;
    const clientSecret = basic?.secret ?? fields.client_secret;
    if (!fields.grant_type) return this.#json(response, context, 400, { error: 'invalid_request', error_description: 'The grant type was not specified in the request' });
    if (fields.grant_type !== 'client_credentials') {
      return this.#json(response, context, 400, { error: 'unsupported_grant_type', error_description: `Grant type "${fields.grant_type}" not supported` });
    }
    if (clientId !== this.credentials.clientId || clientSecret !== this.credentials.clientSecret) {
      return this.#json(response, context, 400, { error: 'invalid_client', error_description: 'The client credentials are invalid' });
    }
    const lifetime = context.faults.settings.tokenLifetimeSeconds ?? documentedLifetimeSeconds;
    return this.#json(
      response,
      context,
      200,
      { access_token: this.#tokens.mint(clientId, lifetime), expires_in: lifetime, token_type: 'bearer', scope: 'basic' },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  }

  #json(response: ServerResponse, context: RequestContext, status: number, value: unknown, headers: Record<string, string> = {}): void {
    sendBody(response, context, status, { 'content-type': 'application/json', ...headers }, phpJson(value));
  }

  #unknownMethod(response: ServerResponse, context: RequestContext): void {
    this.#json(response, context, 404, { error: 'invalid request', error_description: 'Unknown api method.' });
  }

  #one(response: ServerResponse, context: RequestContext, what: string, find: () => unknown): void {
    const value = find();
    if (value === undefined) return this.#json(response, context, 404, noResults(what));
    this.#json(response, context, 200, value);
  }

  /** Whole-list replies are cached until the next mutation (a season's applications are ~10 MB of JSON). */
  #list(response: ServerResponse, context: RequestContext, name: string, build: () => unknown[]): void {
    if (this.#listCacheVersion !== this.data.version) {
      this.#listCache = new Map();
      this.#listCacheVersion = this.data.version;
    }
    let body = this.#listCache.get(name);
    if (body === undefined) {
      body = Buffer.from(phpJson(build()), 'utf8');
      this.#listCache.set(name, body);
    }
    sendBody(response, context, 200, { 'content-type': 'application/json' }, body);
  }

  /**
   * Writes a reply that carries documents without holding them: base64 is produced chunk by chunk as
   * the socket drains (chunked transfer encoding, as PHP streams it). The body faults apply here
   * too, and a reset or truncation lands halfway through the estimated body, i.e. mid-document.
   */
  async #stream(response: ServerResponse, context: RequestContext, pieces: Piece[]): Promise<void> {
    if (context.faults.take('malformed')) return sendMalformedPage(response);
    const cut = context.faults.take('reset') ? 'reset' : context.faults.take('truncate') ? 'truncate' : null;
    const estimate = pieces.reduce((sum, piece) => sum + (typeof piece === 'string' ? piece.length : typeof piece === 'function' ? 64 : Math.ceil(piece.size * 1.4)), 0);
    let budget = cut ? Math.floor(estimate / 2) : Number.POSITIVE_INFINITY;
    response.writeHead(200, { 'content-type': 'application/json' });
    const write = async (text: string): Promise<boolean> => {
      if (response.destroyed) return false;
      if (text.length >= budget) {
        response.write(text.slice(0, budget), () => (cut === 'reset' ? response.destroy() : response.socket?.end()));
        return false;
      }
      budget -= text.length;
      if (!response.write(text)) await drained(response);
      return !response.destroyed;
    };
    for (const piece of pieces) {
      const text = typeof piece === 'string' ? piece : typeof piece === 'function' ? piece() : null;
      const going = text === null ? await this.#streamDocument(piece as DocumentPiece, write) : await write(text);
      if (!going) return;
    }
    response.end();
  }

  async #streamDocument(piece: DocumentPiece, write: (text: string) => Promise<boolean>): Promise<boolean> {
    const document = await piece.open();
    const encoder = new Base64JsonEncoder();
    const hash = createHash('sha1');
    let index = 0;
    for (const chunk of document.chunks(streamChunkBytes)) {
      hash.update(chunk);
      // Corruption flips one pixel byte after hashing: the PDF stays valid, the sha1_hash no longer matches.
      const sent = piece.corrupt && index === 1 ? flipFirstByte(chunk) : chunk;
      index += 1;
      if (!(await write(encoder.push(sent)))) return false;
    }
    piece.onSha1(hash.digest('hex'));
    return write(encoder.end());
  }
}

function flipFirstByte(chunk: Buffer): Buffer {
  const copy = Buffer.from(chunk);
  copy[0] = (copy[0] ?? 0) ^ 0xff;
  return copy;
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** `{…}` without its closing brace, so more fields can follow. */
function openObject(value: Record<string, unknown>): string {
  return phpJson(value).slice(0, -1);
}

function wrapper(shape: ShapeVariant, idKey: string, listKey: string, id: number): [string, string] {
  switch (shape) {
    case 'current':
      return ['', ''];
    case 'keyed':
      return ['{"0":', '}'];
    case 'array':
      return ['[', ']'];
    case 'files':
      return [`{"${idKey}":${id},"${listKey}":[`, ']}'];
  }
}

/** The token from exactly one of: `Authorization: Bearer <t>` (one space), `?access_token=`, or a POST field. */
async function accessToken(request: IncomingMessage, context: RequestContext): Promise<string> {
  const header = /Bearer\s(\S+)/i.exec(request.headers.authorization ?? '');
  if (header?.[1]) return header[1];
  const query = context.url.searchParams.get('access_token');
  if (query) return query;
  if (context.method === 'POST') return (await readFormFields(request, context)).access_token ?? '';
  return '';
}

/** EJM publishes no rate limit; an Apache mod_evasive style 403 page stands for its throttling. */
function throttlePage(response: ServerResponse): void {
  response.writeHead(403, { 'content-type': 'text/html; charset=iso-8859-1' });
  response.end('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>403 Forbidden</title>\n</head><body>\n<h1>Forbidden</h1>\n<p>You don\'t have permission to access this resource.</p>\n</body></html>\n');
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
