import { buildPdf, pdfSha1, type DocumentSpec, type PdfDocument } from '../pdf.ts';
import { latinName } from '../people.ts';
import type { Dataset, FileRecord, Letter } from './dataset.ts';
import type { HashPool } from './hash-pool.ts';

/** PDF bytes of files and letters, produced on demand; only their sha1 digests are remembered. */

const displayDate = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function candidateOf(data: Dataset, aid: number): DocumentSpec['candidate'] {
  const applicant = data.applicants.get(aid);
  if (!applicant) return { name: 'Former applicant', institution: 'Unknown institution' };
  return {
    name: latinName(applicant.person),
    institution: applicant.institution.name,
    email: applicant.person.email,
    field: applicant.primaryField.name,
  };
}

function positionTitleOf(data: Dataset, aid: number): string | undefined {
  const application = [...data.applications.values()].find((candidate) => candidate.aid === aid);
  return application ? data.positions.get(application.posid)?.adtitle : undefined;
}

export function fileSpec(data: Dataset, file: FileRecord): DocumentSpec {
  if (file.kind === null || file.filesize === null) throw new Error(`file ${file.fileId} is an external link`);
  const applicant = data.applicants.get(file.aid);
  const firstLetter = applicant?.letterIds.map((id) => data.letters.get(id)).find((letter) => letter !== undefined);
  return {
    kind: file.kind,
    seed: file.docSeed,
    bytes: file.filesize,
    candidate: candidateOf(data, file.aid),
    writer: firstLetter ? { name: latinName(firstLetter.writer), institution: firstLetter.writerInstitution.name, title: firstLetter.writerTitle, email: firstLetter.writer.email } : undefined,
    title: file.kind === 'paper' ? paperTitle(file) : undefined,
    date: displayDate.format(file.updatedAt),
  };
}

export function letterSpec(data: Dataset, letter: Letter): DocumentSpec {
  return {
    kind: 'letter',
    seed: letter.docSeed,
    bytes: letter.filesize,
    candidate: candidateOf(data, letter.aid),
    writer: {
      name: latinName(letter.writer),
      institution: letter.writerInstitution.name,
      department: letter.writerDepartment,
      title: letter.writerTitle,
      email: letter.writer.email,
    },
    title: positionTitleOf(data, letter.aid),
    date: displayDate.format(letter.updatedAt),
  };
}

const paperTopics = ['Minimum Wages and Firm Entry', 'Credit Constraints and Household Savings', 'Trade Shocks and Local Labor Markets', 'Information Frictions in School Choice', 'Monetary Policy Pass-Through to Mortgage Rates', 'Misallocation and Plant Productivity', 'Carbon Taxes and Manufacturing Employment'];

function paperTitle(file: FileRecord): string {
  const topic = paperTopics[file.docSeed % paperTopics.length] as string;
  return file.typeId === 20 ? `${topic}: Evidence from Administrative Data` : `${topic} (with co-authors)`;
}

/** Builds documents and remembers each blob's sha1; concurrent requests for one blob share the work. */
export class DocumentStore {
  readonly #data: Dataset;
  readonly #pool: HashPool | undefined;
  readonly #sha1 = new Map<number, string>();
  readonly #pending = new Map<number, Promise<string>>();

  /** With a pool, digests are computed in worker threads; without one, on this thread. */
  constructor(data: Dataset, pool?: HashPool) {
    this.#data = data;
    this.#pool = pool;
  }

  fileDocument(file: FileRecord): Promise<PdfDocument> {
    return buildPdf(fileSpec(this.#data, file));
  }

  letterDocument(letter: Letter): Promise<PdfDocument> {
    return buildPdf(letterSpec(this.#data, letter));
  }

  knownSha1(blobid: number): string | undefined {
    return this.#sha1.get(blobid);
  }

  remember(blobid: number, sha1: string): void {
    this.#sha1.set(blobid, sha1);
  }

  fileSha1(file: FileRecord): Promise<string> {
    const blobid = file.blobid;
    if (blobid === null) throw new Error(`file ${file.fileId} has no blob`);
    const known = this.#sha1.get(blobid);
    if (known) return Promise.resolve(known);
    let pending = this.#pending.get(blobid);
    if (!pending) {
      const spec = fileSpec(this.#data, file);
      pending = (this.#pool ? this.#pool.sha1(spec) : buildPdf(spec).then(pdfSha1))
        .then((sha1) => {
          this.#sha1.set(blobid, sha1);
          return sha1;
        })
        .finally(() => this.#pending.delete(blobid));
      this.#pending.set(blobid, pending);
    }
    return pending;
  }

  /**
   * Hashes every listed blob not hashed yet: one at a time on this thread (yielding to other
   * requests in between), or two per worker when there is a pool.
   */
  async hashAll(files: Iterable<FileRecord>, stopped: () => boolean = () => false): Promise<void> {
    const missing = [...files].filter((file) => file.blobid !== null && !this.#sha1.has(file.blobid));
    const lanes = this.#pool ? this.#pool.size * 2 : 1;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let file = missing.pop(); file && !stopped(); file = missing.pop()) {
          await this.fileSha1(file);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}

/**
 * Base64 in 76-character lines joined by `\n`, as PHP's json_encode prints chunk_split output:
 * inside the JSON string the line break is the two characters `\` `n`, and `/` is escaped `\/`.
 * Input arrives in arbitrary chunks; only the bytes of one incomplete line are carried over.
 */
export class Base64JsonEncoder {
  static readonly lineBytes = 57;
  #carry: Buffer = Buffer.alloc(0);
  #started = false;

  push(chunk: Buffer): string {
    let text = '';
    let rest = chunk;
    if (this.#carry.length > 0) {
      // Complete the carried line alone, so the bulk of the chunk is encoded without a copy.
      const missing = Base64JsonEncoder.lineBytes - this.#carry.length;
      if (chunk.length < missing) {
        this.#carry = Buffer.concat([this.#carry, chunk]);
        return '';
      }
      text = this.#encode(Buffer.concat([this.#carry, chunk.subarray(0, missing)]));
      rest = chunk.subarray(missing);
    }
    const usable = rest.length - (rest.length % Base64JsonEncoder.lineBytes);
    this.#carry = Buffer.from(rest.subarray(usable));
    return text + this.#encode(rest.subarray(0, usable));
  }

  end(): string {
    const rest = this.#encode(this.#carry);
    this.#carry = Buffer.alloc(0);
    return rest;
  }

  #encode(bytes: Buffer): string {
    if (bytes.length === 0) return '';
    const base64 = bytes.toString('base64');
    const lines: string[] = [];
    for (let at = 0; at < base64.length; at += 76) lines.push(base64.slice(at, at + 76));
    const text = lines.join('\\n').replaceAll('/', '\\/');
    const separator = this.#started ? '\\n' : '';
    this.#started = true;
    return separator + text;
  }
}

/** Decodes `filecontent` the way a client must: JSON-unescaped already, line breaks ignored. */
export function decodeFileContent(filecontent: string): Buffer {
  return Buffer.from(filecontent.replace(/\s+/g, ''), 'base64');
}
