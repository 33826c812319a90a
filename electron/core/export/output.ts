import { randomBytes } from 'node:crypto';
import { rm, rename, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DossierError } from '../base/errors.ts';

export interface ExportProgress {
  readonly done: number;
  readonly total: number;
  readonly current: string | null;
}

/** What every export takes besides its selection and target. */
export interface ExportRun {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ExportProgress) => void;
}

export interface ExportOutcome {
  readonly file: string;
  readonly entries: number;
  readonly bytes: number;
}

export function cancelledError(): DossierError {
  return new DossierError('export.cancelled', 'The export was cancelled; nothing was written at the chosen location.');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Checks the folder a target goes into before any work starts, so a typo fails at once. */
export async function assertTargetFolder(target: string): Promise<string> {
  const absolute = resolve(target);
  const folder = dirname(absolute);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) {
    throw new DossierError('export.failed', `The folder ${folder} does not exist. Choose an existing folder to save the export in.`, { target: absolute });
  }
  const existing = await stat(absolute).catch(() => null);
  if (existing?.isDirectory()) {
    throw new DossierError('export.failed', `${absolute} is a folder. Choose a file name to save the export as.`, { target: absolute });
  }
  return absolute;
}

/**
 * Writes `target` through a temporary file beside it (same folder, so the rename is atomic) and
 * renames only once `write` has finished: a failed or cancelled export leaves nothing at the target.
 * `write` returns how many entries it wrote.
 */
export async function writeAtomically(target: string, signal: AbortSignal | undefined, write: (temporaryFile: string) => Promise<number>): Promise<ExportOutcome> {
  const absolute = await assertTargetFolder(target);
  throwIfCancelled(signal);
  const temporary = join(dirname(absolute), `.${basename(absolute).slice(0, 100)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const entries = await write(temporary);
    throwIfCancelled(signal);
    const { size } = await stat(temporary);
    await rename(temporary, absolute);
    return { file: absolute, entries, bytes: size };
  } catch (error) {
    await rm(temporary, { force: true });
    throw exportError(error, absolute, signal);
  }
}

/** Maps a failure during an export to the error the user sees: cancelled, disk full, or failed with the reason. */
export function exportError(error: unknown, target: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return cancelledError();
  if (error instanceof DossierError || (error as { code?: string }).code === 'ENOSPC') return error;
  return new DossierError(
    'export.failed',
    `The export to ${target} failed: ${(error as Error).message}. Nothing was written there; check the folder and try again.`,
    { target },
    { cause: error },
  );
}

/** Rate-limits progress reports to a few per second; the first item and the last always go out, so a dialog moves at once. */
export function progressReporter(total: number, onProgress: ExportRun['onProgress'], intervalMs = 150): (done: number, current: string | null, final?: boolean) => void {
  let last = 0;
  return (done, current, final = false) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!final && done > 1 && done < total && now - last < intervalMs) return;
    last = now;
    onProgress({ done, total, current });
  };
}
