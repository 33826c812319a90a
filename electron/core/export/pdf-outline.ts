import { PDFHexString, PDFName, type PDFDict, type PDFDocument, type PDFRef } from 'pdf-lib';

export interface OutlineItem {
  readonly title: string;
  /** Zero-based index of the page the bookmark opens. */
  readonly pageIndex: number;
}

/**
 * pdf-lib has no outline API, so the /Outlines tree (ISO 32000-1 §12.3.3) is built from its
 * low-level objects: one flat list of items, each opening its page fitted to the window, and the
 * viewer told to show the bookmarks panel on opening. Titles are UTF-16 text strings, so any name works.
 */
export function setOutline(doc: PDFDocument, items: readonly OutlineItem[]): void {
  if (items.length === 0) return;
  const { context } = doc;
  const rootRef = context.nextRef();
  const itemRefs: PDFRef[] = items.map(() => context.nextRef());
  items.forEach((item, index) => {
    const dict = context.obj({
      Title: PDFHexString.fromText(item.title),
      Parent: rootRef,
      Dest: [doc.getPage(item.pageIndex).ref, 'Fit'],
    }) as PDFDict;
    const previous = itemRefs[index - 1];
    const next = itemRefs[index + 1];
    if (previous) dict.set(PDFName.of('Prev'), previous);
    if (next) dict.set(PDFName.of('Next'), next);
    context.assign(itemRefs[index] as PDFRef, dict);
  });
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: itemRefs[0] as PDFRef, Last: itemRefs.at(-1) as PDFRef, Count: items.length }));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
