import { open } from 'node:fs/promises';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

type PdfJs = typeof PdfJsModule;

/** Larger PDFs are stored and shown but not text-indexed: parsing them would need their whole size in memory. */
export const maxIndexedPdfBytes = 16 * 1024 * 1024;
/** Enough text to find a document by its content (title, abstract, introduction); keeps snippets and ranking fast. */
const maxTextChars = 60_000;
const maxPages = 60;

let pdfjs: Promise<PdfJs> | undefined;

/** True when the file starts with the PDF signature (providers' MIME types are not trusted). */
export async function looksLikePdf(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    return head.toString('latin1') === '%PDF-';
  } finally {
    await handle.close();
  }
}

/**
 * Extracts the text of a PDF with pdfjs-dist's legacy Node build (no worker thread, no eval),
 * for the search index. Returns null when the file is not a readable PDF or is too large;
 * a PDF that cannot be read is still a stored document, just not searchable by content.
 */
export async function extractPdfText(file: string, size: number): Promise<string | null> {
  if (size > maxIndexedPdfBytes || !(await looksLikePdf(file))) return null;
  const { getDocument } = await (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));
  const handle = await open(file, 'r');
  let data: Uint8Array;
  try {
    data = new Uint8Array(size);
    await handle.read(data, 0, size, 0);
  } finally {
    await handle.close();
  }
  const task = getDocument({ data, useSystemFonts: false, disableFontFace: true, stopAtErrors: false, verbosity: 0 });
  try {
    const document = await task.promise;
    const parts: string[] = [];
    let length = 0;
    for (let number = 1; number <= Math.min(document.numPages, maxPages) && length < maxTextChars; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' ').trim();
      page.cleanup();
      parts.push(text);
      length += text.length;
    }
    return parts.join('\n').slice(0, maxTextChars);
  } catch {
    return null;
  } finally {
    await task.destroy();
  }
}
