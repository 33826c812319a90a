import { setTimeout as sleep } from 'node:timers/promises';
import { DossierError } from '../base/errors.ts';
import { tokenLockName, tryProcessLock } from '../storage/process-lock.ts';

/** Token requests time out well before this; a holder still busy after it is stuck. */
const giveUpAfterMs = 120_000;
const pollMs = 25;

/**
 * Runs `work` holding the account's token lock across processes, so two processes on one profile
 * (two `dossier sync` runs, say) never refresh the same refresh token at once: with rotation and
 * reuse detection, the second refresh would revoke the grant. The lock is released by the
 * operating system when its holder dies, so a killed process never blocks the next one. It is
 * polled rather than waited on inside SQLite, which would block this process's event loop.
 */
export async function withAccountLock<T>(locksDir: string, accountId: number, work: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + giveUpAfterMs;
  for (;;) {
    const attempt = tryProcessLock(locksDir, tokenLockName(accountId), 0);
    if (attempt.held !== null) {
      try {
        return await work();
      } finally {
        attempt.held.release();
      }
    }
    if (Date.now() > giveUpAt) {
      const who = attempt.holder === null ? 'Another Dossier process' : `Dossier process ${attempt.holder.pid} on ${attempt.holder.host}`;
      throw new DossierError('sync.busy', `${who} has been renewing this account's sign-in for over two minutes. Try again once it has finished.`, { accountId });
    }
    await sleep(pollMs);
  }
}
