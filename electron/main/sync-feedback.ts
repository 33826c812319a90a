import type { EventPayload } from '../../shared/contract.ts';
import type { ErrorCode } from '../../shared/errors.ts';

/**
 * What the OS shows while and after a sync: the taskbar/dock progress bar and a notification.
 * Plain functions over the contract's events, so the wording and the arithmetic are tested.
 */

type Progress = EventPayload<'sync.progress'>;
type Finished = EventPayload<'sync.finished'>;

/** Electron's `setProgressBar`: below 0 hides the bar, above 1 shows it indeterminate. */
export const progressHidden = -1;
export const progressIndeterminate = 2;

/** One bar for every account syncing at once: the mean of their fractions, indeterminate while any total is unknown. */
export function progressBarValue(running: Iterable<Progress>): number {
  const fractions: number[] = [];
  for (const progress of running) {
    if (progress.phase === 'done') fractions.push(1);
    else if (progress.total === null || progress.total === 0) return progressIndeterminate;
    else fractions.push(Math.min(1, progress.done / progress.total));
  }
  if (fractions.length === 0) return progressHidden;
  return fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length;
}

/** Errors only the user can fix: signing in again, a keyring, an administrator's allow-list. */
const needsUserCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'auth.needs_login',
  'auth.revoked',
  'auth.expired',
  'auth.invalid_grant',
  'auth.invalid_client',
  'auth.ip_not_allowed',
  'auth.not_provisioned',
  'vault.locked',
  'vault.wrong_passphrase',
  'vault.damaged',
  'vault.undecryptable',
  'vault.unavailable',
]);

export interface Notice {
  readonly title: string;
  readonly body: string;
  readonly needsUser: boolean;
}

/** The notification for a finished sync; none when the user cancelled it themselves. */
export function syncFinishedNotice(finished: Finished, accountName: string | undefined): Notice | undefined {
  const name = accountName ?? `Account ${finished.accountId}`;
  if (finished.ok && finished.unfinishedLists > 0) {
    return { title: 'Sync finished, partly', body: `${name} is ready to read offline, but the provider stopped a list before its end: sync again later for the rest.`, needsUser: false };
  }
  if (finished.ok) return { title: 'Sync finished', body: `${name} is up to date and ready to read offline.`, needsUser: false };
  const error = finished.error ?? { code: 'internal', message: 'The sync stopped. Open Dossier to see why.' };
  if (error.code === 'sync.cancelled') return undefined;
  if ((needsUserCodes as ReadonlySet<string>).has(error.code)) return { title: `${name} needs you`, body: error.message, needsUser: true };
  return { title: `Sync of ${name} did not finish`, body: error.message, needsUser: false };
}
