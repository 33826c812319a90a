import { describe, expect, it } from 'vitest';
import { progressBarValue, progressHidden, progressIndeterminate, syncFinishedNotice } from '../../electron/main/sync-feedback.ts';
import { defaultWindowState, minimumSize, restoreWindowState } from '../../electron/main/window-state.ts';

const progress = (accountId: number, done: number, total: number | null, phase: 'applicants' | 'documents' | 'done' = 'applicants') =>
  ({ accountId, phase, done, total, bytes: 0, current: null });

describe('the OS progress bar during sync', () => {
  it('is hidden with nothing syncing', () => {
    expect(progressBarValue([])).toBe(progressHidden);
  });

  it('shows the mean of the accounts syncing', () => {
    expect(progressBarValue([progress(1, 25, 100)])).toBe(0.25);
    expect(progressBarValue([progress(1, 50, 100), progress(2, 0, 0, 'done')])).toBe(0.75);
  });

  it('is indeterminate while any total is unknown, and never beyond full', () => {
    expect(progressBarValue([progress(1, 10, 100), progress(2, 3, null)])).toBe(progressIndeterminate);
    expect(progressBarValue([progress(1, 120, 100)])).toBe(1);
  });
});

describe('the notification after a sync', () => {
  it('says an account is ready to read offline', () => {
    expect(syncFinishedNotice({ accountId: 1, ok: true, error: null, unfinishedLists: 0 }, 'EJM Econ')).toEqual({ title: 'Sync finished', body: 'EJM Econ is up to date and ready to read offline.', needsUser: false });
  });

  it('does not call a sync up to date when the provider stopped a list before its end', () => {
    const notice = syncFinishedNotice({ accountId: 1, ok: true, error: null, unfinishedLists: 1 }, 'CareerPlug');
    expect(notice?.title).toBe('Sync finished, partly');
    expect(notice?.body).toContain('sync again later');
  });

  it('asks for the user when only they can fix it', () => {
    const notice = syncFinishedNotice({ accountId: 2, ok: false, error: { code: 'auth.revoked', message: 'Sign in to CareerPlug again.' }, unfinishedLists: 0 }, 'CareerPlug');
    expect(notice).toEqual({ title: 'CareerPlug needs you', body: 'Sign in to CareerPlug again.', needsUser: true });
  });

  it('reports other failures plainly, and stays quiet when the user cancelled', () => {
    expect(syncFinishedNotice({ accountId: 3, ok: false, error: { code: 'network.unreachable', message: 'You are offline.' }, unfinishedLists: 0 }, undefined)).toEqual({ title: 'Sync of Account 3 did not finish', body: 'You are offline.', needsUser: false });
    expect(syncFinishedNotice({ accountId: 3, ok: false, error: { code: 'sync.cancelled', message: 'Cancelled.' }, unfinishedLists: 0 }, 'X')).toBeUndefined();
  });
});

describe('restoring the window', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 900 };
  const external = { x: 1440, y: 0, width: 2560, height: 1440 };

  it('keeps bounds that are still on a screen', () => {
    expect(restoreWindowState({ bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: true }, [laptop, external])).toEqual({ bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: true });
  });

  it('drops a position on a screen that is gone, and fits the size to the screens left', () => {
    expect(restoreWindowState({ bounds: { x: 1600, y: 100, width: 2400, height: 1300 }, maximized: false }, [laptop])).toEqual({ bounds: { width: 1440, height: 900 }, maximized: false });
  });

  it('never goes below the minimum size', () => {
    expect(restoreWindowState({ bounds: { x: 10, y: 10, width: 100, height: 50 } }, [laptop]).bounds).toMatchObject({ width: minimumSize.width, height: minimumSize.height });
  });

  it.each([undefined, null, 'garbage', { bounds: { width: 'wide' } }, { bounds: { width: Number.NaN, height: 3 } }])('falls back to the default for %j', (saved) => {
    expect(restoreWindowState(saved, [laptop])).toEqual(defaultWindowState);
  });
});
