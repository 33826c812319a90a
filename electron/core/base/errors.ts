import type { DossierErrorValue, ErrorCode, ErrorDetail } from '../../../shared/errors.ts';

/** The one error type the core throws on purpose. Anything else reaching a boundary is a bug. */
export class DossierError extends Error {
  readonly code: ErrorCode;
  readonly detail: ErrorDetail | undefined;

  constructor(code: ErrorCode, message: string, detail?: ErrorDetail, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DossierError';
    this.code = code;
    this.detail = detail;
  }

  toValue(): DossierErrorValue {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** Where a fault happened, so its message can name the folder. */
export interface FaultContext {
  /** The data folder (the database, the store and the temp files live under it). */
  readonly folder?: string;
}

const busyCodes = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
const fullCodes = new Set(['ENOSPC', 'SQLITE_FULL', 'EDQUOT']);

/**
 * The error a full disk or a database held by another process means to the user, or null when
 * `error` is neither: a full disk (ENOSPC from a file write, SQLITE_FULL from the database) is
 * `disk.full` naming the folder, a lock SQLite's busy timeout could not outwait is `db.busy`.
 */
export function storageFault(error: unknown, context: FaultContext = {}): DossierError | null {
  if (error instanceof DossierError) return null;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const detail = context.folder === undefined ? { cause: code } : { folder: context.folder, cause: code };
  if (fullCodes.has(code)) {
    const disk = context.folder === undefined ? 'The disk' : `The disk holding ${context.folder}`;
    return new DossierError('disk.full', `${disk} is full. Free some space there and sync again; nothing already saved was lost.`, detail, { cause: error });
  }
  if (busyCodes.has(code)) {
    return new DossierError(
      'db.busy',
      'Another Dossier process kept the database busy for too long (the app, or a "dossier" command still running). Try again once it has finished; nothing was lost.',
      detail,
      { cause: error },
    );
  }
  return null;
}

/** Turns anything thrown into an error value fit for a user, keeping the technical cause for the log. */
export function toErrorValue(error: unknown, context: FaultContext = {}): DossierErrorValue {
  if (error instanceof DossierError) return error.toValue();
  const fault = storageFault(error, context);
  if (fault) return fault.toValue();
  return {
    code: 'internal',
    message: 'Something went wrong inside Dossier. Your data is safe; the details are in the log file.',
    detail: { cause: error instanceof Error ? error.message : String(error) },
  };
}
