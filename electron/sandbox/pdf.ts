import { createCipheriv, createHash } from 'node:crypto';
import { PDFContentStream, PDFDocument, PDFHexString, PDFName, StandardFonts, degrees, drawImage, drawLinesOfText, rgb, type PDFFont, type PDFOperator } from 'pdf-lib';
import { paragraph } from './people.ts';
import { Random } from './random.ts';

/**
 * Real, valid PDFs with searchable text, of an exact size chosen by the caller, produced on demand
 * from a seed without holding the bulk of a large document in memory.
 *
 * How large documents stay cheap: pdf-lib lays out the text pages plus a final "scanned appendix"
 * page that draws an 8-bit grey image. The image's pixel data is written into the saved file as a
 * 16-byte placeholder; because that image is the highest-numbered object, only the cross-reference
 * table and trailer follow it. Serving splices the real pixel bytes (a deterministic keystream,
 * so incompressible like a real scan) in place of the placeholder, fixes the image's /Length and the
 * `startxref` offset, and pads the exact remaining byte count with PDF comment lines between the
 * image object and the xref table. Every object offset in the xref stays correct.
 */

export type DocumentKind = 'cv' | 'paper' | 'teaching' | 'research' | 'letter' | 'cover';

export interface DocumentPerson {
  /** Use the Latin form of the name: the standard PDF fonts only cover Latin-1 (see `pdfText`). */
  readonly name: string;
  readonly institution: string;
  readonly department?: string;
  readonly email?: string;
}

export interface DocumentSpec {
  readonly kind: DocumentKind;
  readonly seed: number;
  /** The exact size of the produced file, at least `minimumPdfBytes`. */
  readonly bytes: number;
  /** The document's subject: the candidate (or applicant). */
  readonly candidate: DocumentPerson & { readonly field?: string };
  /** The letter writer (letters) or the people named as references (CVs). */
  readonly writer?: DocumentPerson & { readonly title?: string };
  /** The paper title (papers, CVs) or the position applied for (letters, cover letters). */
  readonly title?: string;
  /** Display date, e.g. "November 3, 2025". */
  readonly date?: string;
}

/** A document ready to be streamed: its exact size and its bytes as a sequence of chunks. */
export interface PdfDocument {
  readonly size: number;
  /** The bytes in order, in chunks of at most `chunkSize` (max 1 MB) past the text part. The chunks are shared views: copy before changing one. */
  chunks(chunkSize?: number): Generator<Buffer>;
}

/** The smallest size `buildPdf` accepts: one page of text plus the appendix object. */
export const minimumPdfBytes = 16 * 1024;

const placeholder = Buffer.from('@@SCANPIXELS@@\n\n', 'latin1');
const imageWidth = 1024;
const defaultChunk = 256 * 1024;
const pageSize: [number, number] = [612, 792];
const margin = 72;
const lineHeight = 13;
const fontSize = 10;
const charsPerLine = 92;
const linesPerPage = Math.floor((pageSize[1] - 2 * margin) / lineHeight) - 1;
/** Text budget per page, so the text part of a document never outgrows the requested size. */
const bytesPerTextPage = 12 * 1024;

const maxTextPages: Record<DocumentKind, number> = { cv: 2, paper: 4, teaching: 1, research: 1, letter: 2, cover: 1 };

const kindTitles: Record<DocumentKind, string> = {
  cv: 'Curriculum Vitae',
  paper: 'Working paper',
  teaching: 'Teaching Statement',
  research: 'Research Statement',
  letter: 'Letter of Recommendation',
  cover: 'Cover Letter',
};

/** The WinAnsi (cp1252) codes of the characters it has beyond Latin-1. */
const cp1252Extras: ReadonlyMap<string, number> = new Map(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'].map((char, index) => [char, 0x80 + index] as const).filter(([char]) => char.charCodeAt(0) > 0xff),
);
const foldings: Record<string, string> = { ł: 'l', Ł: 'L', ı: 'i', đ: 'd', Đ: 'D', ø: 'o', Ø: 'O', ß: 'ss', ħ: 'h' };

/** Text the standard Helvetica font can draw: accents kept where Latin-1 has them, folded otherwise, '?' for other scripts. */
export function pdfText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || cp1252Extras.has(char)) {
      out += char;
    } else if (char === '\n' || char === '\t') {
      out += ' ';
    } else {
      const folded = foldings[char] ?? char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e\xa0-\xff]+$/.test(folded) ? folded : '?';
    }
  }
  return out;
}

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line.length + word.length + 1 > charsPerLine && line !== '') {
      lines.push(line);
      line = '';
    }
    line = line === '' ? word.slice(0, charsPerLine) : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The text lines of a document, by kind; paragraphs are separated by empty lines. */
function documentLines(spec: DocumentSpec, random: Random, pages: number): string[] {
  const { candidate, writer } = spec;
  const field = candidate.field ?? 'Economics';
  const date = spec.date ?? 'November 1, 2025';
  const title = spec.title ?? `Essays on ${field}`;
  const body = (count: number) => paragraph(random, count, field);
  const head: string[] = [];
  switch (spec.kind) {
    case 'cv':
      head.push(
        `CURRICULUM VITAE — ${candidate.name}`,
        `${candidate.department ?? 'Department of Economics'}, ${candidate.institution}`,
        `E-mail: ${candidate.email ?? 'not given'}`,
        '',
        'EDUCATION',
        `Ph.D. in Economics, ${candidate.institution}, expected 2026`,
        `Fields: ${field}`,
        '',
        'JOB MARKET PAPER',
        `"${title}"`,
        body(3),
        '',
        'REFERENCES',
        writer ? `${writer.name}, ${writer.title ?? 'Professor'}, ${writer.institution}${writer.email ? `, ${writer.email}` : ''}` : 'Available on request.',
        '',
        'TEACHING EXPERIENCE',
        `Teaching Assistant, Intermediate ${field}, ${candidate.institution}`,
      );
      break;
    case 'paper':
      head.push(title, '', `${candidate.name} (${candidate.institution})`, date, '', 'Abstract', body(4), '', `Keywords: ${field.toLowerCase()}, empirical methods`, '', '1 Introduction');
      break;
    case 'teaching':
      head.push(`Teaching Statement — ${candidate.name}`, candidate.institution, '', body(3));
      break;
    case 'research':
      head.push(`Research Statement — ${candidate.name}`, candidate.institution, '', `My research is in ${field}.`, body(3));
      break;
    case 'cover':
      head.push(candidate.name, candidate.email ?? '', date, '', 'Dear Hiring Committee,', '', `I am writing to apply for the position of ${spec.title ?? 'Assistant Professor'}.`, body(3));
      break;
    case 'letter': {
      const author = writer ?? { name: 'A Referee', institution: candidate.institution };
      head.push(
        author.institution,
        author.department ?? 'Department of Economics',
        date,
        '',
        'Dear Members of the Search Committee,',
        '',
        `I am writing in strong support of ${candidate.name}, who is on the job market this year from ${candidate.institution}` +
          `${spec.title ? ` and has applied for the position "${spec.title}"` : ''}. I have known ${candidate.name} for four years as an advisor.`,
        '',
        body(4),
      );
      break;
    }
  }
  const lines = head.flatMap((text) => (text === '' ? [''] : wrap(pdfText(text))));
  const capacity = pages * linesPerPage - (spec.kind === 'letter' ? 5 : 0);
  while (lines.length < capacity - 2) lines.push('', ...wrap(pdfText(body(4))));
  lines.length = Math.min(lines.length, capacity);
  if (spec.kind === 'letter') {
    const author = writer ?? { name: 'A Referee', institution: candidate.institution };
    lines.push('', 'Sincerely,', pdfText(author.name), pdfText(`${'title' in author && author.title ? author.title : 'Professor of Economics'}, ${author.institution}`));
  }
  return lines;
}

/**
 * A line of `pdfText` output as the hex string Helvetica's WinAnsi encoding expects. Written here
 * rather than through `font.encodeText`, whose per-glyph lookups were a third of a document's cost.
 */
function winAnsiHex(line: string): PDFHexString {
  const bytes = Buffer.allocUnsafe(line.length);
  for (let index = 0; index < line.length; index += 1) {
    const code = line.charCodeAt(index);
    bytes[index] = code <= 0xff ? code : (cp1252Extras.get(line.charAt(index)) ?? 0x3f);
  }
  return PDFHexString.of(bytes.toString('hex'));
}

/**
 * Adds a page with the given text lines. The content stream is left uncompressed: pdf-lib's
 * JavaScript deflate would otherwise be most of the cost of producing a document.
 */
function addPage(doc: PDFDocument, font: PDFFont, lines: readonly string[], after: (page: ReturnType<PDFDocument['addPage']>) => PDFOperator[] = () => []): ReturnType<PDFDocument['addPage']> {
  const page = doc.addPage(pageSize);
  const fontName = page.node.newFontDictionary('F', font.ref);
  const text = drawLinesOfText(
    lines.map(winAnsiHex),
    { x: margin, y: pageSize[1] - margin, size: fontSize, lineHeight, font: fontName, color: rgb(0, 0, 0), rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) },
  );
  page.node.addContentStream(doc.context.register(PDFContentStream.of(doc.context.obj({}), [...text, ...after(page)], false)));
  return page;
}

interface PdfParts {
  /** Everything up to and including the image's `stream\n` keyword. */
  readonly head: Buffer;
  readonly pixelBytes: number;
  /** `endstream`, comment filler that makes the size exact, the xref table and the trailer. */
  readonly tail: Buffer;
  readonly keySeed: number;
}

/** Lays out the document and splits the saved bytes around the image placeholder. */
async function layout(spec: DocumentSpec): Promise<PdfParts> {
  if (!Number.isInteger(spec.bytes) || spec.bytes < minimumPdfBytes) throw new Error(`a sandbox PDF needs at least ${minimumPdfBytes} bytes, got ${spec.bytes}`);
  const random = new Random(spec.seed);
  const textPages = Math.max(1, Math.min(maxTextPages[spec.kind], Math.floor((spec.bytes - 4096) / bytesPerTextPage)));
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(pdfText(spec.kind === 'paper' ? (spec.title ?? 'Working paper') : `${kindTitles[spec.kind]} — ${spec.candidate.name}`));
  doc.setAuthor(pdfText(spec.kind === 'letter' ? (spec.writer?.name ?? 'Referee') : spec.candidate.name));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const lines = documentLines(spec, random, textPages);
  for (let start = 0; start < lines.length; start += linesPerPage) addPage(doc, font, lines.slice(start, start + linesPerPage));

  const appendixTitle = [pdfText(`Appendix — supplementary scanned material (${spec.candidate.name})`)];
  let scanName = PDFName.of('Scan');
  const appendix = addPage(doc, font, appendixTitle, (page) => {
    scanName = page.node.newXObjectKey('Scan');
    return drawImage(scanName, { x: margin, y: margin, width: 468, height: 560, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) });
  });
  // The image must be the last object registered, so nothing but the xref follows its bytes.
  const imageRef = doc.context.nextRef();
  appendix.node.setXObject(scanName, imageRef);
  doc.context.assign(
    imageRef,
    doc.context.stream(placeholder, { Type: 'XObject', Subtype: 'Image', Width: imageWidth, Height: 1, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }),
  );
  const saved = Buffer.from(await doc.save({ useObjectStreams: false }));
  return splice(saved, `${imageRef.objectNumber} 0 obj`, spec);
}

/** Sizes the image so the file is exactly `spec.bytes`, rewriting its dictionary and the xref offset. */
function splice(saved: Buffer, objectHeader: string, spec: DocumentSpec): PdfParts {
  const at = saved.indexOf(placeholder);
  const objectStart = saved.lastIndexOf(objectHeader, at);
  const afterPixels = saved.subarray(at + placeholder.length).toString('latin1');
  const xrefAt = afterPixels.indexOf('xref');
  if (at < 0 || objectStart < 0 || !/^\s*endstream\s+endobj\s+$/.test(afterPixels.slice(0, xrefAt))) throw new Error('pdf-lib did not write the scan image last');
  const before = saved.subarray(0, objectStart).toString('latin1');
  const imageDict = saved.subarray(objectStart, at).toString('latin1');
  const endObject = afterPixels.slice(0, xrefAt);
  const xrefAndTrailer = afterPixels.slice(xrefAt);
  const headFor = (height: number) =>
    Buffer.from(before + imageDict.replace(/\/Height \d+/, `/Height ${height}`).replace(/\/Length \d+/, `/Length ${height * imageWidth}`), 'latin1');
  const digitSlack = 24;
  const height = Math.floor((spec.bytes - at - endObject.length - xrefAndTrailer.length - digitSlack) / imageWidth);
  if (height < 1) throw new Error(`document text too long for ${spec.bytes} bytes`);
  const head = headFor(height);
  const pixelBytes = height * imageWidth;
  const startXrefFor = (fillerBytes: number) => head.length + pixelBytes + endObject.length + fillerBytes;
  const trailerFor = (fillerBytes: number) => xrefAndTrailer.replace(/startxref\s+\d+/, `startxref\n${startXrefFor(fillerBytes)}`);
  const room = spec.bytes - head.length - pixelBytes - endObject.length;
  // The new startxref number is longer than the old one; the filler gives up those bytes.
  for (let growth = 0; growth <= digitSlack; growth += 1) {
    const filler = room - xrefAndTrailer.length - growth;
    if (filler >= 0 && trailerFor(filler).length === xrefAndTrailer.length + growth) {
      const tail = Buffer.from(endObject + commentFiller(filler) + trailerFor(filler), 'latin1');
      return { head, pixelBytes, tail, keySeed: spec.seed };
    }
  }
  throw new Error('sandbox PDF size could not be made exact');
}

/** PDF comment lines of exactly `bytes` bytes (comments may sit between objects). */
function commentFiller(bytes: number): string {
  if (bytes < 0) throw new Error('negative filler');
  const line = `%${'-'.repeat(62)}\n`;
  const full = Math.floor(bytes / line.length);
  const rest = bytes - full * line.length;
  return line.repeat(full) + (rest === 0 ? '' : rest === 1 ? '\n' : `%${'-'.repeat(rest - 2)}\n`);
}

const poolBytes = 4 * 1024 * 1024;
const maxChunk = 1024 * 1024;
let scanPool: Buffer | undefined;

/**
 * Keystream bytes made once per process (AES-CTR from a fixed key), followed by a copy of their
 * first `maxChunk` bytes so that any window of up to one chunk is contiguous. Documents read it from
 * a seed-chosen offset: streaming a document then allocates nothing and hashing costs only the hash.
 */
function pool(): Buffer {
  if (!scanPool) {
    const key = createHash('sha256').update('dossier-sandbox-scan').digest();
    const block = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32)).update(Buffer.alloc(poolBytes));
    scanPool = Buffer.concat([block, block.subarray(0, maxChunk)]);
  }
  return scanPool;
}

/** Grey "scan" pixels: incompressible by deflate (the pool is far larger than its 32 KB window), identical on every run. */
function* pixels(seed: number, total: number, chunkSize: number): Generator<Buffer> {
  const bytes = pool();
  const size = Math.min(chunkSize, maxChunk);
  let offset = (Math.imul(seed, 2654435761) >>> 0) % poolBytes;
  for (let sent = 0; sent < total; sent += size) {
    const length = Math.min(size, total - sent);
    yield bytes.subarray(offset, offset + length);
    offset = (offset + length) % poolBytes;
  }
}

/** Builds a document; only its small text part is kept, the pixel data is produced while streaming. */
export async function buildPdf(spec: DocumentSpec): Promise<PdfDocument> {
  const parts = await layout(spec);
  return {
    size: parts.head.length + parts.pixelBytes + parts.tail.length,
    *chunks(chunkSize = defaultChunk) {
      yield parts.head;
      yield* pixels(parts.keySeed, parts.pixelBytes, chunkSize);
      yield parts.tail;
    },
  };
}

/** The whole document in memory: for tests and small documents only. */
export async function pdfBytes(spec: DocumentSpec): Promise<Buffer> {
  return Buffer.concat([...(await buildPdf(spec)).chunks()]);
}

export function pdfSha1(document: PdfDocument): string {
  const hash = createHash('sha1');
  for (const chunk of document.chunks()) hash.update(chunk);
  return hash.digest('hex');
}
