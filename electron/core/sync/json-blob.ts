import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { DossierError } from '../errors.ts';
import type { BlobSink } from '../store/store.ts';

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

/** Nesting deeper than this is not a document reply; refusing it bounds the parser's stack. */
const maxDepth = 64;
/** A metadata string longer than this is not metadata. */
const maxFieldChars = 64 * 1024;

type PathItem = string | number;
/** Where the blob object may sit: the object itself, `[0]`, `{"0": …}`, `{files: [ … ]}`, `{letters: [ … ]}`. */
const acceptedPaths: readonly (readonly PathItem[])[] = [[], [0], ['0'], ['files', 0], ['letters', 0]];

interface Frame {
  readonly kind: 'object' | 'array';
  readonly path: readonly PathItem[];
  key: string | null;
  index: number;
  readonly fields: Record<string, JsonScalar>;
}

/**
 * Decodes a JSON reply that carries a document as a base64 string (EconJobMarket's files and
 * letters) while it streams: the string is never held whole, base64 is decoded across chunk
 * boundaries and written to `sink`. JSON escapes (`\n`, `\/`) are undone by the tokenizer and
 * line breaks inside the base64 are skipped. Any shape other than the documented ones is refused.
 */
export async function decodeJsonBlob(body: Readable, contentKey: string, sink: BlobSink, source: JsonBlobSource): Promise<DecodedJsonBlob> {
  // The parser's synchronous core: one call per network chunk returns that chunk's tokens, so the
  // tens of thousands of small string pieces a base64 body splits into cost no async hop each.
  const parse = jsonParser({ packKeys: true, streamKeys: false, packStrings: false, streamStrings: true, packNumbers: true, streamNumbers: false });
  const utf8 = new StringDecoder('utf8');

  const malformed = (field: string, why: string): DossierError =>
    new DossierError('provider.malformed_response', `${source.provider} sent a document reply Dossier cannot read (${why}). Sync again later; if it persists, report it.`, {
      provider: source.provider,
      endpoint: source.endpoint,
      field,
    });

  const stack: Frame[] = [];
  let blobFrame: Frame | null = null;
  let decoder: Base64Decoder | null = null;
  let text: string[] | null = null;
  let textLength = 0;
  let rootFields: Record<string, JsonScalar> = {};
  const output = new OutputBatch(sink);

  const currentKey = (): string => {
    const top = stack.at(-1);
    return top?.kind === 'object' ? (top.key ?? '') : String(top?.index ?? '');
  };
  const childPath = (): PathItem[] => {
    const top = stack.at(-1);
    if (!top) return [];
    return [...top.path, top.kind === 'object' ? (top.key ?? '') : top.index];
  };
  const setScalar = (value: JsonScalar): void => {
    const top = stack.at(-1);
    if (top?.kind === 'object' && top.key !== null) top.fields[top.key] = value;
    if (top?.kind === 'array') top.index += 1;
  };

  const onToken = (token: Token): void => {
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        if (stack.length >= maxDepth) throw malformed(currentKey(), `nested deeper than ${maxDepth} levels`);
        stack.push({ kind: token.name === 'startObject' ? 'object' : 'array', path: childPath(), key: null, index: 0, fields: {} });
        break;
      }
      case 'endObject':
      case 'endArray': {
        const done = stack.pop();
        if (done && done.path.length === 0) rootFields = done.fields;
        const parent = stack.at(-1);
        if (parent?.kind === 'array') parent.index += 1;
        break;
      }
      case 'keyValue': {
        const top = stack.at(-1);
        if (top) top.key = token.value;
        break;
      }
      case 'startString': {
        const top = stack.at(-1);
        if (top?.kind === 'object' && top.key === contentKey) {
          if (blobFrame) throw malformed(contentKey, 'more than one document in one reply');
          if (!acceptedPaths.some((path) => samePath(path, top.path))) throw malformed(top.path.join('.') || contentKey, 'the document is not where the API puts it');
          blobFrame = top;
          decoder = new Base64Decoder();
        } else {
          text = [];
          textLength = 0;
        }
        break;
      }
      case 'stringChunk': {
        if (decoder) {
          const bytes = decoder.push(token.value);
          if (bytes === null) throw malformed(contentKey, 'the content is not base64');
          output.add(bytes);
        } else if (text) {
          textLength += token.value.length;
          if (textLength > maxFieldChars) throw malformed(currentKey(), 'a field is implausibly long');
          text.push(token.value);
        }
        break;
      }
      case 'endString': {
        if (decoder) {
          const tail = decoder.end();
          if (tail === null) throw malformed(contentKey, 'the base64 content ends mid-character');
          output.add(tail);
          decoder = null;
        } else {
          setScalar(text?.join('') ?? '');
          text = null;
        }
        break;
      }
      case 'numberValue':
        setScalar(Number(token.value));
        break;
      case 'nullValue':
        setScalar(null);
        break;
      case 'trueValue':
        setScalar(true);
        break;
      case 'falseValue':
        setScalar(false);
        break;
      default:
        break;
    }
  };
  const feed = (input: string | typeof none): void => {
    const out = parse(input as string);
    if (out === none) return;
    if (isMany(out)) for (const token of getManyValues(out)) onToken(token);
    else onToken(out as Token);
  };

  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      feed(utf8.write(chunk) as string);
      await output.flushIfFull();
    }
    try {
      feed(utf8.end());
      feed(none);
    } catch (error) {
      if (error instanceof DossierError) throw error;
      throw endedEarly(source);
    }
    await output.flush();
  } catch (error) {
    body.destroy();
    if (error instanceof DossierError) throw error;
    if (isSyntaxError(error)) throw malformed('body', 'not valid JSON');
    // A connection cut mid-reply is a network failure (worth another try), not a malformed reply.
    throw error;
  }
  if (stack.length > 0) throw endedEarly(source);
  const found = blobFrame as Frame | null;
  return { fields: found ? found.fields : rootFields, hadContent: found !== null };
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

function samePath(a: readonly PathItem[], b: readonly PathItem[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function isSyntaxError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return error instanceof SyntaxError || /Parser cannot parse|unexpected|Unexpected/.test(message);
}

const empty = Buffer.alloc(0);

/**
 * Decodes base64 that arrives in arbitrary pieces (often a dozen characters each, split at JSON
 * escapes): pieces are gathered into blocks of about 64 KB, and only whole 4-character groups are
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
    return this.#pendingLength >= 65_536 ? this.#decodePending() : empty;
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
    const clean = this.#pending.join('').replaceAll('\n', '').replaceAll('\r', '');
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
