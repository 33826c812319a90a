import type { DossierErrorValue } from '../../shared/errors.ts';

const signInCodes = new Set(['auth.needs_login', 'auth.expired', 'auth.revoked', 'auth.invalid_grant', 'auth.access_denied']);

/**
 * The core's messages are host-neutral ("sign in again"); on the command line the way to do that
 * is a command, so it is added here, naming the account as the user did.
 */
export function withCommandHint(error: DossierErrorValue, accountName?: string): string {
  const name = accountName ?? (typeof error.detail?.accountName === 'string' ? error.detail.accountName : undefined);
  if (signInCodes.has(error.code) && name !== undefined) return `${error.message} Run: dossier login ${JSON.stringify(name)}`;
  if (error.code === 'input.invalid' && error.detail?.field === 'token') return `${error.message} Give it in DOSSIER_TOKEN or on standard input.`;
  const limitBytes = error.detail?.limitBytes;
  if (error.code === 'provider.too_large' && typeof limitBytes === 'number') {
    return `${error.message} Run: dossier sync --max-reply-mb ${Math.round(limitBytes / 1024 / 1024) * 4}`;
  }
  return error.message;
}
