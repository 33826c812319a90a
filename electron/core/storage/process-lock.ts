import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { nowIso } from '../base/time.ts';
import { createOwnerOnly } from './database.ts';

/** Who holds a process lock, as that process wrote it down. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A process lock, held until `release`. */
export interface HeldLock {
  release(): void;
}

export type LockAttempt = { readonly held: HeldLock } | { readonly held: null; readonly holder: LockHolder | null };

/**
 * A lock across the processes sharing one data folder (docs/decisions/0008-shared-profile-and-faults.md):
 * a write lock on a small SQLite file of its own in `locks/`, taken with BEGIN IMMEDIATE and kept
 * until released (an account's whole sync; one token renewal). The operating system releases it the instant its process ends, however it
 * ends (SIGKILL, a crash, a power cut), so a dead process's lock is never left to go stale and the
 * next sync takes it at once; a live process's lock can never be mistaken for a stale one. Beside
 * it, `<lock>.json` names the holder (pid, host, since) for the message another process shows.
 */
export function tryProcessLock(locksDir: string, name: string, waitMs: number): LockAttempt {
  const file = join(locksDir, `${name}.db`);
  createOwnerOnly(file);
  const holderFile = `${file}.json`;
  const lock = new Database(file, { timeout: waitMs });
  try {
    // Never written to: the transaction only holds SQLite's write lock, so it leaves no journal behind.
    lock.prepare('BEGIN IMMEDIATE').run();
  } catch (error) {
    lock.close();
    if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
    return { held: null, holder: readHolder(holderFile) };
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: nowIso() };
  writeFileSync(`${holderFile}.${process.pid}`, JSON.stringify(holder), { mode: 0o600 });
  renameSync(`${holderFile}.${process.pid}`, holderFile);
  return {
    held: {
      release() {
        // The note goes first, while the lock is still ours: the next holder's note is never removed.
        rmSync(holderFile, { force: true });
        lock.close();
      },
    },
  };
}

/** The lock an account's sync holds for its whole run. */
export function syncLockName(accountId: number): string {
  return `account-${accountId}.sync`;
}

/** The lock held while an account's tokens are renewed, so two processes never spend one refresh token. */
export function tokenLockName(accountId: number): string {
  return `account-${accountId}.token`;
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'string' ? { pid: parsed.pid, host: parsed.host, since: parsed.since } : null;
  } catch {
    // Not written yet (the holder has just taken the lock) or from a process that ended: nothing to name.
    return null;
  }
}
