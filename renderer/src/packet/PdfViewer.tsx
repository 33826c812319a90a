import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { searchTerms } from '../../../shared/search-terms.ts';
import { useApp } from '../store/index.ts';
import { clampZoom, currentPage, fitScale } from './reader-geometry.ts';

/** pdf.js is loaded on first use so the applicant table does not wait for it. */
async function loadPdfJs() {
  const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return pdfjs;
}

interface PageSize {
  readonly width: number;
  readonly height: number;
}

/** Where a searched word sits on a page, in PDF units at scale 1 from the page's top-left corner. */
interface Hit {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Every occurrence of the searched words in the PDF's text, page by page, as boxes to draw over
 * the pages: the same words the search's snippet marked (shared/search-terms.ts). A match is
 * placed within its text run in proportion to its characters, which is close for the body text
 * of a letter or a paper; a match split across two runs is not marked.
 */
async function findHits(pdf: PDFDocumentProxy, query: string, isLive: () => boolean): Promise<Hit[]> {
  const terms = searchTerms(query);
  const hits: Hit[] = [];
  for (let number = 1; number <= pdf.numPages && isLive(); number += 1) {
    const page = await pdf.getPage(number);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      // The run's baseline origin in viewport space (y grows downwards) and its font height.
      const [a, b, c, d, e, f] = item.transform as [number, number, number, number, number, number];
      const [vx, vy] = viewport.convertToViewportPoint(e, f);
      const height = Math.hypot(c, d) || Math.hypot(a, b);
      for (const [start, end] of terms.matches(item.str)) {
        hits.push({ page: number, x: vx + (item.width * start) / item.str.length, y: vy - height, width: (item.width * (end - start)) / item.str.length, height: height * 1.15 });
      }
    }
  }
  return hits;
}

/** The frame's padding on each side (see .pdf-frame); the fit-width page is the frame's width less it. */
const framePadding = 10;

/**
 * A PDF, fit to the frame's width by default and zoomed from there: pages are laid out from the
 * left edge of a scrolling frame, so a zoomed page is never cut off (its left edge is at scroll 0).
 * `paged` makes this the viewer the reviewer's page keys move ([ and ]).
 */
export function PdfViewer({ url, title, paged, actions, highlight = null }: { url: string; title: string; paged: boolean; actions?: ReactNode; highlight?: string | null }) {
  const documentRequest = useApp((state) => state.transport.documentRequest);
  const setPageTurner = useApp((state) => state.setPageTurner);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [firstPage, setFirstPage] = useState<PageSize | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [zoom, setZoom] = useState(1);
  const [page, setPage] = useState(1);
  const [frameWidth, setFrameWidth] = useState(0);
  // The matches of one search in one document, and which of them is shown.
  const [found, setFound] = useState<{ pdf: PDFDocumentProxy; query: string; hits: readonly Hit[]; index: number } | null>(null);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    let loaded: PDFDocumentProxy | null = null;
    const request = documentRequest(url);
    loadPdfJs()
      .then((pdfjs) => pdfjs.getDocument({ url: request.url, httpHeaders: request.headers }).promise)
      .then(async (document) => {
        loaded = document;
        const viewport = (await document.getPage(1)).getViewport({ scale: 1 });
        if (!live) return void document.loadingTask.destroy();
        setFirstPage({ width: viewport.width, height: viewport.height });
        setPdf(document);
      })
      .catch(() => live && setProblem('This PDF could not be read. Try “open in system viewer”.'));
    return () => {
      live = false;
      void loaded?.loadingTask.destroy();
    };
  }, [url, documentRequest]);

  // Fit width follows the frame: the packet pane resized, the reading mode entered, a document put beside.
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setFrameWidth(element.clientWidth - 2 * framePadding));
    observer.observe(element);
    return () => observer.disconnect();
  }, [pdf]);

  const pageElements = useCallback(() => [...(frame.current?.querySelectorAll<HTMLElement>('.pdf-page') ?? [])], []);
  const goToPage = useCallback(
    (number: number) => {
      const target = pageElements()[number - 1];
      if (target && frame.current) frame.current.scrollTo({ top: target.offsetTop - framePadding });
    },
    [pageElements],
  );
  const turn = useCallback((step: number) => goToPage(Math.min(pdf?.numPages ?? 1, Math.max(1, page + step))), [goToPage, page, pdf]);

  // Opened from a search result: find the words, then land on the page of the first.
  useEffect(() => {
    if (!pdf || highlight === null) return;
    let live = true;
    void findHits(pdf, highlight, () => live).then((hits) => {
      if (live) setFound({ pdf, query: highlight, hits, index: 0 });
    });
    return () => {
      live = false;
    };
  }, [pdf, highlight]);
  const current = found !== null && found.pdf === pdf && found.query === highlight ? found : null;
  const hits = current?.hits ?? [];
  const hitIndex = current?.index ?? 0;
  const showHit = (step: number) => setFound((state) => (state === null ? null : { ...state, index: Math.min(state.hits.length - 1, Math.max(0, state.index + step)) }));
  const shownHit = hits[hitIndex];
  useEffect(() => {
    if (shownHit !== undefined && frameWidth > 0) goToPage(shownHit.page);
  }, [shownHit, frameWidth, goToPage]);

  useEffect(() => {
    if (!paged || !pdf) return;
    setPageTurner(turn);
    return () => setPageTurner(null);
  }, [paged, pdf, turn, setPageTurner]);

  if (problem) return <p className="error-text" role="alert">{problem}</p>;
  if (!pdf || !firstPage) return <p className="muted" role="status">Opening {title}…</p>;
  const scale = fitScale(frameWidth, firstPage.width) * zoom;
  const placeholder = { width: firstPage.width * scale, height: firstPage.height * scale };
  return (
    <div className="pdf-viewer">
      <div className="pdf-toolbar" role="toolbar" aria-label={`${title} pages and zoom`}>
        <span className="muted grow pdf-title" title={title}>
          {title} · {pdf.numPages} {pdf.numPages === 1 ? 'page' : 'pages'}
        </span>
        <button className="small" aria-label="Previous page" disabled={page <= 1} onClick={() => turn(-1)}>
          ‹
        </button>
        <span className="num" aria-live="polite" aria-label={`Page ${page} of ${pdf.numPages}`}>
          {page} / {pdf.numPages}
        </span>
        <button className="small" aria-label="Next page" disabled={page >= pdf.numPages} onClick={() => turn(1)}>
          ›
        </button>
        {hits.length > 0 ? (
          <span className="pdf-hits" role="group" aria-label="Matches in this document">
            <button className="small" aria-label="Previous match" disabled={hitIndex === 0} onClick={() => showHit(-1)}>
              ‹
            </button>
            <span className="num" aria-live="polite">
              match {hitIndex + 1} / {hits.length}
            </span>
            <button className="small" aria-label="Next match" disabled={hitIndex >= hits.length - 1} onClick={() => showHit(1)}>
              ›
            </button>
          </span>
        ) : null}
        <button className="small" aria-label="Zoom out" onClick={() => setZoom((value) => clampZoom(value, -1))}>
          −
        </button>
        <button className="small num zoom-value" aria-label="Fit width" title="Fit width" onClick={() => setZoom(1)}>
          {Math.round(zoom * 100)}%
        </button>
        <button className="small" aria-label="Zoom in" onClick={() => setZoom((value) => clampZoom(value, 1))}>
          +
        </button>
        {actions}
      </div>
      <div className="pdf-body">
        {pdf.numPages > 1 ? <PageStrip pdf={pdf} current={page} onPage={goToPage} /> : null}
        <div
          ref={frame}
          className="pdf-frame"
          role="document"
          aria-label={title}
          tabIndex={0}
          onScroll={(event) => setPage(currentPage(pageElements().map((element) => element.offsetTop), event.currentTarget.scrollTop, event.currentTarget.clientHeight))}
        >
          {frameWidth > 0
            ? Array.from({ length: pdf.numPages }, (_, index) => (
                <PdfPage key={index} pdf={pdf} pageNumber={index + 1} scale={scale} placeholder={placeholder} frame={frame} hits={hits.filter((hit) => hit.page === index + 1)} current={shownHit} />
              ))
            : null}
        </div>
      </div>
    </div>
  );
}

/** True once `element` has come within `margin` of `root`'s view, so a long paper's pages cost nothing until read. */
function useVisibleOnce(element: RefObject<HTMLElement | null>, root: RefObject<HTMLElement | null>, margin: string, initially: boolean): boolean {
  const [visible, setVisible] = useState(initially);
  useEffect(() => {
    const target = element.current;
    if (!target || visible) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
    }, { root: root.current, rootMargin: margin });
    observer.observe(target);
    return () => observer.disconnect();
  }, [element, root, margin, visible]);
  return visible;
}

/**
 * Draws one page into a canvas at the scale `scaleFor` gives for the page's width at scale 1,
 * sharp on high-density screens; returns what cancels it (the page changed or left the screen).
 */
function drawPage(pdf: PDFDocumentProxy, pageNumber: number, canvas: RefObject<HTMLCanvasElement | null>, scaleFor: (width: number) => number, onSize: (size: PageSize) => void): () => void {
  let task: { cancel(): void; promise: Promise<void> } | null = null;
  let live = true;
  void pdf.getPage(pageNumber).then((page) => {
    const target = canvas.current;
    if (!live || !target) return;
    const viewport = page.getViewport({ scale: scaleFor(page.getViewport({ scale: 1 }).width) });
    const ratio = window.devicePixelRatio || 1;
    target.width = Math.floor(viewport.width * ratio);
    target.height = Math.floor(viewport.height * ratio);
    onSize({ width: viewport.width, height: viewport.height });
    task = page.render({ canvas: target, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
    task.promise.catch(() => undefined);
  });
  return () => {
    live = false;
    task?.cancel();
  };
}

/** How wide a page's thumbnail is drawn in the strip, in CSS pixels. */
const thumbnailWidth = 52;

/** One thumbnail per page: where the reader is in a long paper, what each page looks like, and a way to jump there. */
function PageStrip({ pdf, current, onPage }: { pdf: PDFDocumentProxy; current: number; onPage: (page: number) => void }) {
  const strip = useRef<HTMLElement>(null);
  return (
    <nav className="page-strip" aria-label="Pages" ref={strip}>
      {Array.from({ length: pdf.numPages }, (_, index) => (
        <PageThumbnail key={index} pdf={pdf} pageNumber={index + 1} current={current === index + 1} strip={strip} onPage={onPage} />
      ))}
    </nav>
  );
}

/** A page drawn small, only once it scrolls into the strip's view, with its number under it. */
function PageThumbnail({ pdf, pageNumber, current, strip, onPage }: { pdf: PDFDocumentProxy; pageNumber: number; current: boolean; strip: RefObject<HTMLElement | null>; onPage: (page: number) => void }) {
  const button = useRef<HTMLButtonElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  const visible = useVisibleOnce(button, strip, '200px 0px', pageNumber <= 3);
  useEffect(() => {
    if (!visible) return;
    return drawPage(pdf, pageNumber, canvas, (width) => thumbnailWidth / width, (size) => {
      if (canvas.current) canvas.current.style.height = `${size.height}px`;
    });
  }, [pdf, pageNumber, visible]);

  return (
    <button ref={button} className="small page-thumb" aria-current={current ? 'page' : undefined} aria-label={`Page ${pageNumber}`} onClick={() => onPage(pageNumber)}>
      <canvas ref={canvas} aria-hidden="true" style={{ width: thumbnailWidth }} />
      <span aria-hidden="true">{pageNumber}</span>
    </button>
  );
}

interface PdfPageProps {
  readonly pdf: PDFDocumentProxy;
  readonly pageNumber: number;
  readonly scale: number;
  readonly placeholder: PageSize;
  readonly frame: RefObject<HTMLDivElement | null>;
  readonly hits: readonly Hit[];
  readonly current: Hit | undefined;
}

function PdfPage({ pdf, pageNumber, scale, placeholder, frame, hits, current }: PdfPageProps) {
  const holder = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<PageSize | null>(null);

  const visible = useVisibleOnce(holder, frame, '600px 0px', pageNumber === 1);
  useEffect(() => {
    if (!visible) return;
    return drawPage(pdf, pageNumber, canvas, () => scale, setSize);
  }, [pdf, pageNumber, scale, visible]);

  const shown = size ?? placeholder;
  return (
    <div ref={holder} className="pdf-page" style={{ width: shown.width, height: shown.height }} aria-label={`Page ${pageNumber}`}>
      <canvas ref={canvas} style={{ width: shown.width, height: shown.height, display: 'block' }} />
      {hits.map((hit, index) => (
        <mark
          key={index}
          className="pdf-hit"
          aria-current={hit === current ? 'true' : undefined}
          style={{ left: hit.x * scale, top: hit.y * scale, width: hit.width * scale, height: hit.height * scale }}
        />
      ))}
    </div>
  );
}

