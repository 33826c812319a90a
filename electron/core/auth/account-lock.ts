import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DossierError } from '../base/errors.ts';

/** A lock older than this was left by a process that died mid-request; token requests time out well before. */
const staleAfterMs = 60_000;
const pollMs = 50;

/**
 * Runs `work` holding the account's token lock, a file in the data directory created exclusively,
 * so two processes on one profile (two `dossier sync` runs, say) never refresh the same refresh
 * token at once: with rotation and reuse detection, the second refresh would revoke the grant.
 */
export async function withAccountLock<T>(lockDir: string, accountId: number, work: () => Promise<T>): Promise<T> {
  mkdirSync(lockDir, { recursive: true, mode: 0o700 });
  const file = join(lockDir, `account-${accountId}.token.lock`);
  const giveUpAt = Date.now() + staleAfterMs * 2;
  while (!tryCreate(file)) {
    if (Date.now() > giveUpAt) {
      throw new DossierError('internal', 'Another Dossier process has been renewing this account\'s sign-in for too long. Try again.', { accountId, lock: file });
    }
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    removeIfStale(file);
    return false;
  }
}

function removeIfStale(file: string): void {
  try {
    if (Date.now() - statSync(file).mtimeMs > staleAfterMs) rmSync(file, { force: true });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
}
