/** Zoom levels, as multiples of fit-width; the buttons step through them. */
export const zoomSteps = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3] as const;

/** The pdf.js scale at which a page of `pageWidth` points fills `frameWidth` pixels (never zero, so a hidden frame still draws). */
export function fitScale(frameWidth: number, pageWidth: number): number {
  if (!(pageWidth > 0)) return 1;
  return Math.max(0.1, Math.max(frameWidth, 120) / pageWidth);
}

/** The next zoom step up (`direction` 1) or down (-1) from `zoom`, staying within the steps. */
export function clampZoom(zoom: number, direction: 1 | -1): number {
  const next = direction > 0 ? zoomSteps.find((step) => step > zoom + 1e-9) : zoomSteps.findLast((step) => step < zoom - 1e-9);
  return next ?? zoom;
}

/**
 * The page being read (1-based) from the pages' top offsets in the frame: the last page whose
 * top has passed the upper third of the view, so a page counts once most of the screen is it.
 */
export function currentPage(pageTops: readonly number[], scrollTop: number, viewHeight: number): number {
  const line = scrollTop + viewHeight / 3;
  let page = 1;
  pageTops.forEach((top, index) => {
    if (top <= line) page = index + 1;
  });
  return page;
}
