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

/** Turns anything thrown into an error value fit for a user, keeping the technical cause for the log. */
export function toErrorValue(error: unknown): DossierErrorValue {
  if (error instanceof DossierError) return error.toValue();
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (nodeCode === 'ENOSPC') {
    return { code: 'disk.full', message: 'The disk is full. Free some space and try again; nothing already saved was lost.' };
  }
  return {
    code: 'internal',
    message: 'Something went wrong inside Dossier. Your data is safe; the details are in the log file.',
    detail: { cause: error instanceof Error ? error.message : String(error) },
  };
}
