/**
 * Where the window reopens: the saved bounds when they are still on a screen, otherwise a sensible
 * size centred by the OS. Plain functions; `index.ts` persists the result with electron-store.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: { x?: number; y?: number; width: number; height: number };
  readonly maximized: boolean;
}

export const minimumSize = { width: 900, height: 600 } as const;
export const defaultWindowState: WindowState = { bounds: { width: 1400, height: 900 }, maximized: false };

/** Pixels of the title bar that must be visible on some screen for the saved position to be kept. */
const minimumVisible = 64;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Sanitises whatever the store held (it is a file the user can edit) against today's screens. */
export function restoreWindowState(saved: unknown, workAreas: readonly Rect[]): WindowState {
  const candidate = saved as { bounds?: Record<string, unknown>; maximized?: unknown } | null | undefined;
  const bounds = candidate?.bounds;
  if (!bounds || !isFiniteNumber(bounds.width) || !isFiniteNumber(bounds.height)) return defaultWindowState;
  const largest = workAreas.toSorted((a, b) => b.width * b.height - a.width * a.height)[0];
  const width = Math.round(Math.max(minimumSize.width, Math.min(bounds.width, largest?.width ?? bounds.width)));
  const height = Math.round(Math.max(minimumSize.height, Math.min(bounds.height, largest?.height ?? bounds.height)));
  const maximized = candidate.maximized === true;
  if (!isFiniteNumber(bounds.x) || !isFiniteNumber(bounds.y)) return { bounds: { width, height }, maximized };
  const titleBar: Rect = { x: Math.round(bounds.x), y: Math.round(bounds.y), width, height: 32 };
  const visible = workAreas.some((area) => {
    const shared = overlap(titleBar, area);
    return shared.width >= minimumVisible && shared.height > 0;
  });
  return visible ? { bounds: { x: titleBar.x, y: titleBar.y, width, height }, maximized } : { bounds: { width, height }, maximized };
}
