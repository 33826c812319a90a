import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useApp } from '../store/index.ts';

/** pdf.js is loaded on first use so the applicant table does not wait for it. */
async function loadPdfJs() {
  const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return pdfjs;
}

export function PdfViewer({ url, title }: { url: string; title: string }) {
  const documentRequest = useApp((state) => state.transport.documentRequest);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [scale, setScale] = useState(1);

  useEffect(() => {
    let live = true;
    let loaded: PDFDocumentProxy | null = null;
    const request = documentRequest(url);
    loadPdfJs()
      .then((pdfjs) => pdfjs.getDocument({ url: request.url, httpHeaders: request.headers }).promise)
      .then(
        (document) => {
          loaded = document;
          if (live) setPdf(document);
          else void document.loadingTask.destroy();
        },
        () => live && setProblem('This PDF could not be read. Try “open in system viewer”.'),
      );
    return () => {
      live = false;
      void loaded?.loadingTask.destroy();
    };
  }, [url, documentRequest]);

  if (problem) return <p className="error-text" role="alert">{problem}</p>;
  if (!pdf) return <p className="muted" role="status">Opening {title}…</p>;
  return (
    <div>
      <div className="pdf-toolbar">
        <span className="muted grow">
          {title} · {pdf.numPages} {pdf.numPages === 1 ? 'page' : 'pages'}
        </span>
        <button className="small" aria-label="Zoom out" onClick={() => setScale((value) => Math.max(0.5, value - 0.25))}>
          −
        </button>
        <span className="num" aria-live="polite">{Math.round(scale * 100)}%</span>
        <button className="small" aria-label="Zoom in" onClick={() => setScale((value) => Math.min(3, value + 0.25))}>
          +
        </button>
      </div>
      <div className="pdf-frame" role="document" aria-label={title} tabIndex={0}>
        {Array.from({ length: pdf.numPages }, (_, index) => (
          <PdfPage key={index} pdf={pdf} pageNumber={index + 1} scale={scale} />
        ))}
      </div>
    </div>
  );
}

/** One page, drawn only when it scrolls into view so a 60-page paper costs nothing until read. */
function PdfPage({ pdf, pageNumber, scale }: { pdf: PDFDocumentProxy; pageNumber: number; scale: number }) {
  const holder = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(pageNumber === 1);
  const [size, setSize] = useState({ width: 612, height: 792 });

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
    }, { rootMargin: '400px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!visible) return;
    let task: { cancel(): void; promise: Promise<void> } | null = null;
    let live = true;
    void pdf.getPage(pageNumber).then((page) => {
      const target = canvas.current;
      if (!live || !target) return;
      const frameWidth = (holder.current?.parentElement?.clientWidth ?? 640) - 24;
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (frameWidth / base.width) * scale });
      const ratio = window.devicePixelRatio || 1;
      target.width = Math.floor(viewport.width * ratio);
      target.height = Math.floor(viewport.height * ratio);
      setSize({ width: viewport.width, height: viewport.height });
      task = page.render({ canvas: target, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      task.promise.catch(() => undefined);
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [pdf, pageNumber, scale, visible]);

  return (
    <div ref={holder} className="pdf-page" style={{ width: size.width, height: size.height }} aria-label={`Page ${pageNumber}`}>
      <canvas ref={canvas} style={{ width: size.width, height: size.height, display: 'block' }} />
    </div>
  );
}
