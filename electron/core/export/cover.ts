import { rgb, StandardFonts, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';

export interface CoverContent {
  readonly title: string;
  /** Label/value pairs; null values are left out. */
  readonly details: readonly (readonly [string, string | null])[];
  /** One line per document: what it is and where it starts, or why it is not in the packet. */
  readonly contents: readonly string[];
}

const pageSize: [number, number] = [595.28, 841.89]; // A4
const margin = 56;

/**
 * The standard fonts carry only WinAnsi. Letters with a decomposition keep their base letter
 * (Ł stays L, ğ becomes g); anything else becomes "?", so a hostile name never breaks a packet.
 */
function printable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return [...text.normalize('NFC').replace(/[\r\n\t]+/g, ' ')]
    .map((char) => {
      if (supported.has(char.codePointAt(0) ?? 0)) return char;
      const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
      return [...base].every((part) => supported.has(part.codePointAt(0) ?? 0)) && base !== '' ? base : '?';
    })
    .join('');
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut -= 1;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Writes lines top to bottom on pages inserted at the front of the document. */
class Writer {
  #page: PDFPage;
  #y: number;
  #pages = 1;
  readonly #doc: PDFDocument;

  constructor(doc: PDFDocument) {
    this.#doc = doc;
    this.#page = doc.insertPage(0, pageSize);
    this.#y = pageSize[1] - margin;
  }

  get pages(): number {
    return this.#pages;
  }

  text(font: PDFFont, raw: string, size: number, indent = 0): void {
    for (const line of wrap(font, printable(font, raw), size, pageSize[0] - 2 * margin - indent)) {
      if (this.#y - size < margin) {
        this.#page = this.#doc.insertPage(this.#pages, pageSize);
        this.#pages += 1;
        this.#y = pageSize[1] - margin;
      }
      this.#y -= size * 1.35;
      this.#page.drawText(line, { x: margin + indent, y: this.#y, size, font, color: rgb(0.1, 0.1, 0.1) });
    }
  }

  gap(points: number): void {
    this.#y -= points;
  }
}

/** Draws the cover at the front of `doc` and returns how many pages it took (a long list may need two). */
export async function drawCover(doc: PDFDocument, content: CoverContent): Promise<number> {
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const writer = new Writer(doc);
  writer.text(bold, content.title, 20);
  writer.gap(10);
  for (const [label, value] of content.details) {
    if (value === null || value.trim() === '') continue;
    writer.text(bold, label, 9);
    writer.text(regular, value, 11, 12);
    writer.gap(4);
  }
  if (content.contents.length > 0) {
    writer.gap(10);
    writer.text(bold, 'In this packet', 13);
    for (const line of content.contents) writer.text(regular, line, 10, 12);
  }
  return writer.pages;
}
