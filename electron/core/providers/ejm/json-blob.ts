import type { Readable } from 'node:stream';
import { DossierError } from '../../base/errors.ts';
import type { BlobSink } from '../../blobs/store.ts';

export type JsonScalar = string | number | boolean | null;

export interface JsonBlobSource {
  readonly provider: string;
  readonly endpoint: string;
}

export interface DecodedJsonBlob {
  /** The scalar fields that sat beside the content (file_id, blobid, sha1_hash, filename …). */
  readonly fields: Readonly<Record<string, JsonScalar>>;
  /** False when the reply had no content field at all (the caller decides whether that is an error). */
  readonly hadContent: boolean;
}

/** Nesting deeper than this is not a document reply; refusing it bounds the work of reading it. */
const maxDepth = 64;
/** Everything around the content (ids, names, hashes) is metadata; more than this is not a document reply. */
const maxMetadataBytes = 64 * 1024;
/** A key longer than this cannot be the content key, so its bytes are not kept. */
const maxKeyBytes = 256;

type PathItem = string | number;
/** Where the blob object may sit: the object itself, `[0]`, `{"0": …}`, `{files: [ … ]}`, `{letters: [ … ]}`. */
const acceptedPaths: readonly (readonly PathItem[])[] = [[], [0], ['0'], ['files', 0], ['letters', 0]];

const quote = 0x22;
const backslash = 0x5c;
const colon = 0x3a;

/**
 * Decodes a JSON reply that carries a document as a base64 string (EconJobMarket's files and
 * letters) while it streams: the string is never held whole, base64 is decoded across chunk
 * boundaries and written to `sink`, and only the metadata around it is kept.
 *
 * Why not a general streaming JSON tokenizer: PHP escapes every `/` and breaks lines with `\n`,
 * so a tokenizer emits a string piece every few dozen characters and a season's 4.7 GB of base64
 * cost minutes of CPU. Here the content string is cut with `Buffer.indexOf` and unescaped by
 * `JSON.parse` in large pieces; everything else (at most 64 KB) is kept with the content replaced
 * by `""` and parsed whole at the end, where the reply's shape is checked.
 */
export async function decodeJsonBlob(body: Readable, contentKey: string, sink: BlobSink, source: JsonBlobSource): Promise<DecodedJsonBlob> {
  const malformed = (field: string, why: string): DossierError =>
    new DossierError('provider.malformed_response', `${source.provider} sent a document reply Dossier cannot read (${why}). Sync again later; if it persists, report it.`, {
      provider: source.provider,
      endpoint: source.endpoint,
      field,
    });
  const scanner = new BlobReplyScanner(contentKey, new OutputBatch(sink), malformed);
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      scanner.push(chunk);
      await scanner.output.flushIfFull();
    }
    if (!scanner.complete()) throw endedEarly(source);
    await scanner.output.flush();
  } catch (error) {
    body.destroy();
    throw error;
  }
  return scanner.result();
}

/**
 * The byte-level reader behind `decodeJsonBlob`. Outside strings it tracks nesting; it remembers
 * the last string while it may turn out to be a key; when the content key's value opens, it
 * switches to the content path until the closing quote.
 */
class BlobReplyScanner {
  readonly output: OutputBatch;
  readonly #contentKey: string;
  readonly #malformed: (field: string, why: string) => DossierError;
  readonly #metadata: Buffer[] = [];
  #metadataBytes = 0;
  #started = false;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #stringBytes: number[] | null = null;
  /** The string that just closed, until the next significant byte says whether it was a key. */
  #closedString: number[] | null = null;
  #contentValueNext = false;
  #decoder: Base64Decoder | null = null;
  /** The start of an escape cut off by the end of the previous chunk. */
  #escapeCarry: Buffer | null = null;
  #contents = 0;

  constructor(contentKey: string, output: OutputBatch, malformed: (field: string, why: string) => DossierError) {
    this.#contentKey = contentKey;
    this.output = output;
    this.#malformed = malformed;
  }

  push(chunk: Buffer): void {
    let kept = 0;
    for (let at = 0; at < chunk.length; ) {
      if (this.#decoder) {
        const closed = this.#pushContent(chunk, at);
        if (closed < 0) return;
        at = closed;
        kept = closed - 1;
        continue;
      }
      const byte = chunk[at] as number;
      at += 1;
      if (this.#inString) {
        this.#stringByte(byte);
        continue;
      }
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
      if (!this.#started) {
        if (byte !== 0x7b && byte !== 0x5b) throw this.#malformed('body', 'not valid JSON');
        this.#started = true;
      }
      const closed = this.#closedString;
      this.#closedString = null;
      const contentValue = this.#contentValueNext;
      this.#contentValueNext = false;
      if (byte === quote) {
        if (contentValue) {
          this.#keep(chunk.subarray(kept, at));
          kept = at;
          this.#decoder = new Base64Decoder();
          this.#contents += 1;
          if (this.#contents > 1) throw this.#malformed(this.#contentKey, 'more than one document in one reply');
        } else {
          this.#inString = true;
          this.#stringBytes = [];
        }
      } else if (byte === colon) {
        this.#contentValueNext = closed !== null && decodedKey(closed) === this.#contentKey;
      } else if (byte === 0x7b || byte === 0x5b) {
        this.#depth += 1;
        if (this.#depth > maxDepth) throw this.#malformed('body', `nested deeper than ${maxDepth} levels`);
      } else if (byte === 0x7d || byte === 0x5d) {
        this.#depth -= 1;
      }
    }
    this.#keep(chunk.subarray(kept));
  }

  #stringByte(byte: number): void {
    if (this.#escaped) this.#escaped = false;
    else if (byte === backslash) this.#escaped = true;
    else if (byte === quote) {
      this.#inString = false;
      this.#closedString = this.#stringBytes;
      this.#stringBytes = null;
      return;
    }
    if (this.#stringBytes && this.#stringBytes.push(byte) > maxKeyBytes) this.#stringBytes = null;
  }

  /** Decodes content bytes from `from`; returns the index just past the closing quote, or -1 when the chunk ended first. */
  #pushContent(chunk: Buffer, from: number): number {
    let data = chunk.subarray(from);
    if (this.#escapeCarry) {
      data = Buffer.concat([this.#escapeCarry, data]);
      from -= this.#escapeCarry.length;
      this.#escapeCarry = null;
    }
    let end = data.indexOf(quote);
    while (end >= 0 && backslashesBefore(data, end) % 2 === 1) end = data.indexOf(quote, end + 1);
    const closes = end >= 0;
    const usable = closes ? end : incompleteEscapeStart(data);
    if (!closes && usable < data.length) this.#escapeCarry = Buffer.from(data.subarray(usable));
    this.#decodePiece(data.subarray(0, usable));
    if (!closes) return -1;
    this.#finishContentString();
    return from + end + 1;
  }

  #decodePiece(escaped: Buffer): void {
    if (escaped.length === 0) return;
    let text: string;
    try {
      text = JSON.parse(`"${escaped.toString('latin1')}"`) as string;
    } catch {
      throw this.#malformed(this.#contentKey, 'the content is not a valid JSON string');
    }
    const bytes = this.#decoder?.push(text);
    if (bytes === null) throw this.#malformed(this.#contentKey, 'the content is not base64');
    if (bytes) this.output.add(bytes);
  }

  #finishContentString(): void {
    const tail = this.#decoder?.end();
    if (tail === null) throw this.#malformed(this.#contentKey, 'the base64 content ends mid-character');
    if (tail) this.output.add(tail);
    this.#decoder = null;
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#metadataBytes += bytes.length;
    if (this.#metadataBytes > maxMetadataBytes) throw this.#malformed('body', 'its metadata is implausibly long');
    this.#metadata.push(Buffer.from(bytes));
  }

  /** True when the reply ended at the end of its outermost value (anything else was cut off in transit). */
  complete(): boolean {
    return this.#started && this.#depth === 0 && !this.#inString && this.#decoder === null;
  }

  /** Parses the metadata and checks the reply's shape: one content string, where the API puts it. */
  result(): DecodedJsonBlob {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(this.#metadata).toString('utf8'));
    } catch {
      throw this.#malformed('body', 'not valid JSON');
    }
    const holder = acceptedPaths.map((path) => valueAt(parsed, path)).find((value) => isRecord(value) && typeof value[this.#contentKey] === 'string');
    if (this.#contents === 1 && !holder) throw this.#malformed(this.#contentKey, 'the document is not where the API puts it');
    const fieldsOf = this.#contents === 1 ? holder : parsed;
    return { fields: isRecord(fieldsOf) ? scalarFields(fieldsOf, this.#contentKey) : {}, hadContent: this.#contents === 1 };
  }
}

function backslashesBefore(data: Buffer, at: number): number {
  let count = 0;
  while (at - count - 1 >= 0 && data[at - count - 1] === backslash) count += 1;
  return count;
}

/** Where an escape left unfinished at the end of `data` starts (`\` or `\u12`), or the length when none is. */
function incompleteEscapeStart(data: Buffer): number {
  const last = data.lastIndexOf(backslash);
  if (last < 0 || last < data.length - 6) return data.length;
  if (backslashesBefore(data, last) % 2 === 1) return data.length;
  const escapeLength = data[last + 1] === 0x75 ? 6 : 2;
  return last + escapeLength > data.length ? last : data.length;
}

function decodedKey(raw: readonly number[]): string | null {
  try {
    return JSON.parse(`"${Buffer.from(raw).toString('utf8')}"`) as string;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: readonly PathItem[]): unknown {
  let current = value;
  for (const item of path) {
    if (typeof item === 'number' ? !Array.isArray(current) : !isRecord(current)) return undefined;
    current = (current as Record<PathItem, unknown>)[item];
  }
  return current;
}

function scalarFields(object: Record<string, unknown>, contentKey: string): Record<string, JsonScalar> {
  const fields: Record<string, JsonScalar> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === contentKey) continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return fields;
}

/** A reply that stops mid-value was cut off in transit: a network failure worth another try, not a malformed reply. */
function endedEarly(source: JsonBlobSource): Error {
  return Object.assign(new Error(`${source.provider} ${source.endpoint}: the reply ended early`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Collects decoded bytes and hands them to the sink in large writes (base64 arrives in tiny pieces). */
class OutputBatch {
  readonly #sink: BlobSink;
  #pieces: Buffer[] = [];
  #size = 0;

  constructor(sink: BlobSink) {
    this.#sink = sink;
  }

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#pieces.push(bytes);
    this.#size += bytes.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.#size >= 256 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const bytes = Buffer.concat(this.#pieces, this.#size);
    this.#pieces = [];
    this.#size = 0;
    await this.#sink.write(bytes);
  }
}

const empty = Buffer.alloc(0);

/**
 * Decodes base64 that arrives in arbitrary pieces (a network chunk's worth, or a few bytes):
 * pieces are gathered into blocks of at least 16 KB, and only whole 4-character groups are
 * decoded, the rest carried into the next block. Node's decoder skips characters outside the
 * alphabet, so a block whose decoded length falls short of its character count held one: refused.
 */
export class Base64Decoder {
  #pending: string[] = [];
  #pendingLength = 0;
  #carry = '';
  #padded = false;

  /** Bytes decoded so far (possibly none yet), or null when the text is not base64. */
  push(piece: string): Buffer | null {
    this.#pending.push(piece);
    this.#pendingLength += piece.length;
    return this.#pendingLength >= 16_384 ? this.#decodePending() : empty;
  }

  /** The final bytes, or null when the text is not base64 or ends mid-group. */
  end(): Buffer | null {
    const last = this.#decodePending();
    if (last === null) return null;
    const data = this.#carry.replace(/=+$/, '');
    if (this.#carry.length > 4 || data.length === 1) return null;
    this.#carry = '';
    if (data.length === 0) return last;
    const tail = decodeExact(data);
    return tail === null ? null : Buffer.concat([last, tail]);
  }

  #decodePending(): Buffer | null {
    const clean = this.#pending.join('').replace(/[\t\n\r ]+/g, '');
    this.#pending = [];
    this.#pendingLength = 0;
    if (clean.length === 0) return empty;
    if (this.#padded) {
      if (!/^=+$/.test(clean)) return null;
      this.#carry += clean;
      return empty;
    }
    const text = this.#carry + clean;
    const padAt = text.indexOf('=');
    const data = padAt < 0 ? text : text.slice(0, padAt);
    if (padAt >= 0) {
      if (!/^=+$/.test(text.slice(padAt))) return null;
      this.#padded = true;
    }
    const whole = data.length - (data.length % 4);
    this.#carry = text.slice(whole);
    return decodeExact(data.slice(0, whole));
  }
}

/** Decodes unpadded base64, or null when it holds a character outside the alphabet (url-safe ones included). */
function decodeExact(data: string): Buffer | null {
  if (data.includes('-') || data.includes('_')) return null;
  const bytes = Buffer.from(data, 'base64');
  return bytes.length === Math.floor((data.length * 3) / 4) ? bytes : null;
}
