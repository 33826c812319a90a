import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, rm, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
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
  /** Replace a file already at the target; without it an export never overwrites one. */
  readonly overwrite?: boolean;
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

export function targetExists(target: string): DossierError {
  return new DossierError('export.exists', `A file already exists at ${target}. Choose another name, or confirm that it should be replaced.`, { target });
}

/** Where exports are offered to go: the user's Downloads folder, which a fresh account may not have yet. */
export function downloadsFolder(): string {
  return join(homedir(), 'Downloads');
}

/**
 * Checks the folder a target goes into (and that nothing would be overwritten unasked) before any
 * work starts, so a typo fails at once. The one folder made when missing is the user's Downloads
 * folder, the default Dossier itself offers; a typed folder that does not exist is refused, since
 * creating it would hide a typo ("Dowloads") and leave the export where nobody looks.
 */
export async function assertTargetFolder(target: string, overwrite = false): Promise<string> {
  const absolute = resolve(target);
  const folder = dirname(absolute);
  let info = await stat(folder).catch(() => null);
  if (info === null && folder === resolve(downloadsFolder())) {
    // Only the last step: a home folder that is itself missing is no Downloads folder to make.
    await mkdir(folder, { mode: 0o700 }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'EEXIST') throw exportError(error, absolute, undefined);
    });
    info = await stat(folder).catch(() => null);
  }
  if (!info?.isDirectory()) {
    throw new DossierError('export.failed', `The folder ${folder} does not exist. Choose an existing folder to save the export in.`, { target: absolute });
  }
  const existing = await stat(absolute).catch(() => null);
  if (existing?.isDirectory()) {
    throw new DossierError('export.failed', `${absolute} is a folder. Choose a file name to save the export as.`, { target: absolute });
  }
  if (existing && !overwrite) throw targetExists(absolute);
  return absolute;
}

/**
 * Writes `target` through a temporary file beside it (same folder, so the final step is atomic) and
 * puts it in place only once `write` has finished: a failed or cancelled export leaves nothing at
 * the target. Without `overwrite` the file is linked into place, which fails rather than replace a
 * file that appeared meanwhile. Exports hold applicants' personal data: readable by the owner only.
 * `write` returns how many entries it wrote.
 */
export async function writeAtomically(target: string, run: ExportRun, write: (temporaryFile: string) => Promise<number>): Promise<ExportOutcome> {
  const absolute = await assertTargetFolder(target, run.overwrite);
  throwIfCancelled(run.signal);
  const temporary = join(dirname(absolute), `.${basename(absolute).slice(0, 100)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const entries = await write(temporary);
    throwIfCancelled(run.signal);
    const { size } = await stat(temporary);
    await chmod(temporary, 0o600);
    if (run.overwrite === true) await rename(temporary, absolute);
    else await linkInPlace(temporary, absolute);
    return { file: absolute, entries, bytes: size };
  } catch (error) {
    await rm(temporary, { force: true });
    throw exportError(error, absolute, run.signal);
  }
}

async function linkInPlace(temporary: string, target: string): Promise<void> {
  try {
    await link(temporary, target);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw targetExists(target);
    throw error;
  }
  await rm(temporary);
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
