/* PDFium's side of text extraction: runs in the extraction worker threads (pdf-text-worker.ts), never on the main thread. */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { init, type WrappedPdfiumModule } from '@embedpdf/pdfium';

/** Larger PDFs are stored and shown but not text-indexed: parsing them would need their whole size in memory. */
const maxIndexedPdfBytes = 16 * 1024 * 1024;
/** Enough text to find a document by its content (title, abstract, introduction); keeps snippets and ranking fast. */
const maxTextChars = 60_000;
const maxPages = 60;

let pdfium: Promise<WrappedPdfiumModule> | undefined;
let pdfiumInstance: WrappedPdfiumModule | undefined;

/** PDFium compiled to WebAssembly, loaded once per thread from the package's own file (plain fs, so it also reads inside an asar archive). */
function loadPdfium(): Promise<WrappedPdfiumModule> {
  pdfium ??= (async () => {
    const wasmBinary = readFileSync(createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm'));
    const module = await init({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
    module.PDFiumExt_Init();
    pdfiumInstance = module;
    return module;
  })();
  return pdfium;
}

/** The size of the thread's WebAssembly memory, which grows with the largest PDF read and never shrinks. */
export function pdfiumMemoryBytes(): number {
  return pdfiumInstance?.pdfium.HEAPU8.byteLength ?? 0;
}

/**
 * Extracts the text of a PDF with PDFium (the engine of Chrome's PDF viewer), for the search
 * index: up to 60 pages or 60,000 characters, whitespace collapsed, pages on lines of their own.
 * Returns null when the file is not a PDF (providers' MIME types are not trusted: the signature
 * decides), is too large, or cannot be read; such a file is still a stored document, just not
 * searchable by content.
 */
export async function extractPdfText(file: string, size: number): Promise<string | null> {
  if (size > maxIndexedPdfBytes || size < 5) return null;
  const module = await loadPdfium();
  const { wasmExports, UTF16ToString } = module.pdfium;
  const data = wasmExports.malloc(size);
  if (data === 0) return null;
  let documentHandle = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      if (readSync(fd, module.pdfium.HEAPU8, data, size, 0) !== size) return null;
    } finally {
      closeSync(fd);
    }
    if (Buffer.from(module.pdfium.HEAPU8.buffer, data, 5).toString('latin1') !== '%PDF-') return null;
    documentHandle = module.FPDF_LoadMemDocument(data, size, '');
    if (documentHandle === 0) return null;
    const pages: string[] = [];
    let length = 0;
    for (let index = 0; index < Math.min(module.FPDF_GetPageCount(documentHandle), maxPages) && length < maxTextChars; index += 1) {
      const text = pageText(module, documentHandle, index, UTF16ToString);
      pages.push(text);
      length += text.length;
    }
    return pages.join('\n').slice(0, maxTextChars);
  } finally {
    if (documentHandle !== 0) module.FPDF_CloseDocument(documentHandle);
    wasmExports.free(data);
  }
}

function pageText(module: WrappedPdfiumModule, documentHandle: number, index: number, utf16ToString: (pointer: number) => string): string {
  const page = module.FPDF_LoadPage(documentHandle, index);
  if (page === 0) return '';
  const textPage = module.FPDFText_LoadPage(page);
  try {
    if (textPage === 0) return '';
    const count = module.FPDFText_CountChars(textPage);
    if (count <= 0) return '';
    const buffer = module.pdfium.wasmExports.malloc((count + 1) * 2);
    try {
      module.FPDFText_GetText(textPage, 0, count, buffer);
      return utf16ToString(buffer).replace(/\s+/g, ' ').trim();
    } finally {
      module.pdfium.wasmExports.free(buffer);
    }
  } finally {
    if (textPage !== 0) module.FPDFText_ClosePage(textPage);
    module.FPDF_ClosePage(page);
  }
}
