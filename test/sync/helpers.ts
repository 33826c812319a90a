import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderId } from '../../shared/domain.ts';
import type { EventName, EventPayload } from '../../shared/contract.ts';
import type { Db } from '../../electron/core/storage/database.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { dataPaths } from '../../electron/core/base/paths.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import type { SyncEngine } from '../../electron/core/sync/engine.ts';
import { FileVault } from '../../electron/host/file-vault.ts';
import type { ReadyLine } from '../../electron/sandbox/emulator.ts';

/** A cheap scrypt cost so each test vault opens in milliseconds; the format and cipher are the real ones. */
const testScryptCost = { N: 2 ** 10, r: 8, p: 1 };

export interface SyncCore {
  readonly core: Core;
  /** The profile's database connection, for checking what the sync wrote. */
  readonly db: Db;
  readonly dataDir: string;
  readonly engine: SyncEngine;
  readonly events: { name: EventName; payload: unknown }[];
  on<Name extends EventName>(name: Name): EventPayload<Name>[];
  close(): Promise<void>;
}

/** A real profile (SQLite file, encrypted vault, store) in a temp folder, composed as the hosts compose it. */
export async function syncCore(dataDir = mkdtempSync(join(tmpdir(), 'dossier-sync-')), keep = false, openExternal: (url: string) => Promise<void> = async () => undefined): Promise<SyncCore> {
  const vault = await FileVault.open(dataPaths(dataDir).vault, 'sync test passphrase', { cost: testScryptCost });
  // Real backoff with jitter, at test speed: a storm is waited out in milliseconds, not seconds.
  const core = createCore({ dataDir, vault, openExternal, host: 'cli', documentUrl: (id) => `dossier://document/${id}`, logger: silentLogger, retry: { baseDelayMs: 10, maxDelayMs: 200 } });
  const seen: { name: EventName; payload: unknown }[] = [];
  core.events.onAny((name, payload) => seen.push({ name, payload }));
  return {
    core,
    db: core.storage.db,
    dataDir,
    engine: core.services.sync,
    events: seen,
    on: <Name extends EventName>(name: Name) => seen.filter((event) => event.name === name).map((event) => event.payload as EventPayload<Name>),
    async close() {
      await core.close();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What an uninterrupted, unfaulted sync of an emulator's EJM account leaves: the profile every other run is compared with. */
export interface ReferenceSync {
  readonly core: SyncCore;
  readonly dump: Record<string, unknown[]>;
  readonly store: Record<string, string>;
}

export async function referenceSync(ready: ReadyLine): Promise<ReferenceSync> {
  const core = await syncCore();
  await addSandboxAccount(core, 'ejm', ready);
  const [result] = await core.engine.run({ documents: true });
  if (result?.error) throw new Error(`the reference sync failed: ${result.error.message}`);
  return { core, dump: dumpCache(core.db), store: dumpStore(core.core.paths.store) };
}

/** Adds an account pointing at a running emulator, as `dossier accounts add` would; a pasted token signs it in. */
export async function addSandboxAccount(
  core: SyncCore,
  provider: ProviderId,
  ready: ReadyLine,
  options: { name?: string; timeZone?: string; token?: string; grant?: 'authorization_code' } = {},
): Promise<number> {
  const account = await core.core.services.accounts.add({
    provider,
    name: options.name ?? provider,
    baseUrl: ready.baseUrl,
    tokenUrl: ready.tokenUrl,
    ...(ready.authorizeUrl ? { authorizeUrl: ready.authorizeUrl } : {}),
    clientId: ready.clientId,
    clientSecret: ready.clientSecret,
    grant: options.grant ?? (options.token === undefined ? 'client_credentials' : 'token'),
    timeZone: options.timeZone ?? 'America/Los_Angeles',
  });
  if (options.token !== undefined || options.grant === 'authorization_code') await core.core.services.auth.signIn(account.id, options.token === undefined ? {} : { token: options.token });
  return account.id;
}

export async function setFaults(baseUrl: string, faults: Record<string, unknown>): Promise<void> {
  await control(baseUrl, 'faults', faults);
}

export async function control(baseUrl: string, name: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const origin = new URL(baseUrl).origin;
  const response = await fetch(`${origin}/__sandbox/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** Columns that record when something happened locally; they differ between two equal syncs. */
const volatileColumns = new Set(['synced_at', 'updated_at', 'created_at', 'last_synced_at', 'started_at', 'finished_at', 'state', 'state_message']);

/**
 * Every cached row (and the search index) in a stable order without local timestamps: two syncs
 * that reached the same state give equal dumps.
 */
export function dumpCache(db: Db): Record<string, unknown[]> {
  const tables = ['jobs', 'applicants', 'applications', 'documents', 'letters', 'interview_slots', 'lookups', 'blobs', 'document_texts', 'downloads', 'sync_cursors', 'reviews', 'review_tags', 'outbox'];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
    dump[table] = rows
      .map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !volatileColumns.has(column))))
      .map((row) => JSON.stringify(row))
      .sort();
  }
  dump.search_index = (db.prepare('SELECT rowid, kind, ref, account_id, title, body FROM search_index').all() as unknown[]).map((row) => JSON.stringify(row)).sort();
  return dump;
}

/** Every file under the store as path → sha256 of its bytes. */
export function dumpStore(storeDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[path.slice(storeDir.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  if (existsSync(storeDir)) walk(storeDir);
  return files;
}

/**
 * The user's part of an authorization-code sign-in, done over HTTP instead of a browser: open the
 * emulator's sign-in page, submit the form with the sandbox password, follow the redirect to the
 * loopback callback.
 */
export async function consentInPlace(url: string): Promise<void> {
  const page = await fetch(url);
  const html = await page.text();
  const unescape = (text: string) => text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  const action = unescape(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '');
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(match[1] as string, unescape(match[2] as string));
  fields.set('username', unescape(/name="username"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? ''));
  fields.set('password', 'sandbox');
  fields.set('decision', 'allow');
  const answer = await fetch(new URL(action, url), { method: 'POST', body: fields, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`the sign-in page did not redirect (${answer.status}): ${(await answer.text()).slice(0, 300)}`);
  await fetch(location);
}
