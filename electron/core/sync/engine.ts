import { rm } from 'node:fs/promises';
import type { ProviderId, SyncPhase } from '../../../shared/domain.ts';
import type { DossierErrorValue } from '../../../shared/errors.ts';
import { setAccountState } from '../accounts/store.ts';
import type { CoreDeps } from '../api/deps.ts';
import { nowIso } from '../db/database.ts';
import { DossierError, toErrorValue } from '../errors.ts';
import { sendOutbox } from '../outbox/outbox.ts';
import { providers } from '../providers/registry.ts';
import { applicationsOfApplicants, compactSearchIndex, reindex } from '../search/index.ts';
import { commitBlob, stageBlob, sweepTempFiles } from '../store/store.ts';
import type { Connector, ConnectorContext } from './connector.ts';
import { ProviderHttp, type HttpPolicy, type SessionLike } from './http.ts';
import { owedDownloads, recordDownloadFailure, recordDownloadVerified, type LedgerEntry } from './ledger.ts';
import { TextIndexing } from './text-indexing.ts';
import { writeSnapshot } from './writer.ts';

export interface SyncOptions {
  /** Accounts to sync; all accounts with a connector when absent. */
  readonly accountIds?: readonly number[];
  /** False skips document bytes (metadata is still synced and the ledger still records what is owed). */
  readonly documents: boolean;
}

export interface AccountSyncResult {
  readonly accountId: number;
  readonly ok: boolean;
  readonly error: DossierErrorValue | null;
  readonly counts: Readonly<Record<string, number>>;
}

export interface EngineDeps {
  readonly context: CoreDeps['context'];
  readonly events: CoreDeps['events'];
  openSession(accountId: number): Promise<SessionLike>;
  /** Overrides the registry (tests); null means the provider has nothing to sync. */
  connectorFor?(provider: ProviderId): Connector | null;
  /** Overrides the retry timing (tests use short delays so a storm is waited out in milliseconds). */
  readonly retry?: Partial<Pick<HttpPolicy, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>>;
}

/**
 * Runs account syncs: outbox first, then every resource the provider offers written in one
 * transaction, the search index, then the document ledger with bounded concurrency. Each account
 * succeeds or fails on its own; one account's error never stops another's sync.
 */
export class SyncEngine {
  readonly #deps: EngineDeps;
  readonly #running = new Map<number, { controller: AbortController; done: Promise<AccountSyncResult> }>();
  #swept = false;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  isRunning(accountId: number): boolean {
    return this.#running.has(accountId);
  }

  /** Starts the syncs and returns at once with the account ids started; `sync.finished` reports each end. */
  start(options: SyncOptions): number[] {
    const ids = this.#resolveAccounts(options.accountIds);
    const busy = ids.filter((id) => this.#running.has(id));
    if (busy.length > 0 && busy.length === ids.length) {
      throw new DossierError('sync.busy', 'These accounts are already syncing. Wait for the current sync to finish or cancel it.', { accountIds: busy });
    }
    const started = ids.filter((id) => !this.#running.has(id));
    for (const id of started) this.#launch(id, options.documents);
    return started;
  }

  /** Syncs the accounts and resolves when all have finished (the command line's way). */
  async run(options: SyncOptions): Promise<AccountSyncResult[]> {
    const ids = this.#resolveAccounts(options.accountIds);
    return Promise.all(ids.map((id) => this.#running.get(id)?.done ?? this.#launch(id, options.documents)));
  }

  cancel(accountIds?: readonly number[]): number[] {
    const ids = accountIds ?? [...this.#running.keys()];
    const cancelled: number[] = [];
    for (const id of ids) {
      const running = this.#running.get(id);
      if (!running) continue;
      running.controller.abort();
      cancelled.push(id);
    }
    return cancelled;
  }

  /** Cancels everything and waits for the syncs to wind down (closing the app). */
  async close(): Promise<void> {
    const pending = [...this.#running.values()].map((running) => running.done);
    this.cancel();
    await Promise.allSettled(pending);
  }

  #resolveAccounts(accountIds: readonly number[] | undefined): number[] {
    const db = this.#deps.context.db;
    const rows = db.prepare('SELECT id, provider FROM accounts ORDER BY id').all() as { id: number; provider: ProviderId }[];
    if (accountIds === undefined) return rows.filter((row) => this.#connector(row.provider) !== null).map((row) => row.id);
    for (const id of accountIds) {
      if (!rows.some((row) => row.id === id)) throw new DossierError('account.not_found', `There is no account with id ${id}. List accounts with "dossier accounts list".`, { accountId: id });
    }
    return [...new Set(accountIds)];
  }

  #connector(provider: ProviderId): Connector | null {
    return this.#deps.connectorFor ? this.#deps.connectorFor(provider) : providers[provider].connector;
  }

  #launch(accountId: number, documents: boolean): Promise<AccountSyncResult> {
    const controller = new AbortController();
    // `sync.finished` goes out once the account no longer counts as running, so a listener may start the next sync at once.
    const done = this.#syncAccount(accountId, documents, controller.signal)
      .catch((error: unknown): AccountSyncResult => ({ accountId, ok: false, error: toErrorValue(error), counts: {} }))
      .then((result) => {
        this.#running.delete(accountId);
        this.#deps.events.emit('sync.finished', { accountId, ok: result.ok, error: result.error ? { code: result.error.code, message: result.error.message } : null });
        return result;
      });
    this.#running.set(accountId, { controller, done });
    return done;
  }

  async #syncAccount(accountId: number, documents: boolean, signal: AbortSignal): Promise<AccountSyncResult> {
    const { context, events } = this.#deps;
    const { db } = context;
    const log = context.log.child({ accountId });
    if (!this.#swept) {
      this.#swept = true;
      sweepTempFiles(context.paths.temp);
    }
    const account = db.prepare('SELECT provider, time_zone FROM accounts WHERE id = ?').get(accountId) as { provider: ProviderId; time_zone: string };
    const runId = Number(db.prepare(`INSERT INTO sync_runs (account_id, started_at) VALUES (?, ?)`).run(accountId, nowIso()).lastInsertRowid);
    const counts: Record<string, number> = {};
    let bytes = 0;
    const progress = (phase: SyncPhase, done: number, total: number | null, current: string | null): void =>
      events.emit('sync.progress', { accountId, phase, done, total, bytes, current });
    // What a cancelled sync restores: signed in once a session opened, else what it was.
    let previousState: 'signed_in' | 'signed_out' = (db.prepare('SELECT state FROM accounts WHERE id = ?').pluck().get(accountId) as string) === 'signed_out' ? 'signed_out' : 'signed_in';
    setAccountState({ context, events }, accountId, 'syncing', null);
    try {
      const connector = this.#connector(account.provider);
      if (!connector) throw new DossierError('provider.unsupported', `${providers[account.provider].label} accounts have nothing Dossier can sync yet.`, { provider: account.provider });
      progress('auth', 0, null, null);
      const session = await this.#deps.openSession(accountId);
      previousState = 'signed_in';
      const http = new ProviderHttp(session, { ...connector.policy, ...this.#deps.retry }, signal, log);
      const cursors = new Map((db.prepare('SELECT resource, cursor FROM sync_cursors WHERE account_id = ?').all(accountId) as { resource: string; cursor: string }[]).map((row) => [row.resource, row.cursor]));
      const connectorContext: ConnectorContext = {
        http,
        accountId,
        timeZone: account.time_zone,
        db,
        log,
        cursor: (resource) => cursors.get(resource) ?? null,
        progress,
        stage: (produce) => stageBlob(context.paths.temp, produce),
      };

      if (connector.send) {
        progress('outbox', 0, null, null);
        counts.outboxSent = await sendOutbox({ context, events }, connector, connectorContext);
      }

      const pulled = await connector.pull(connectorContext);
      const now = nowIso();
      // The snapshot, its cursors and its search rows commit together: a crash leaves all or none.
      const written = db.transaction(() => {
        const outcome = writeSnapshot(db, accountId, pulled.snapshot, now);
        const save = db.prepare(
          `INSERT INTO sync_cursors (account_id, resource, cursor, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_id, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
        );
        for (const [resource, cursor] of Object.entries(pulled.cursors)) save.run(accountId, resource, cursor, now);
        progress('index', 0, null, null);
        reindex(db, {
          applicants: outcome.changed.applicants,
          applications: [...new Set([...outcome.changed.applications, ...applicationsOfApplicants(db, outcome.changed.applicants)])],
          letters: outcome.changed.letters,
          documents: outcome.changed.documents,
        });
        return outcome;
      })();
      for (const [table, ids] of Object.entries(written.changed)) counts[table] = ids.length;
      counts.removed = written.removed;

      if (documents && connector.download) {
        const result = await this.#downloadAll(connector, connectorContext, accountId, (added) => {
          bytes += added;
        });
        counts.downloaded = result.downloaded;
        counts.downloadFailures = result.failed;
        compactSearchIndex(db, result.downloaded);
      }
      counts.pendingDownloads = owedDownloads(db, accountId).length;
      progress('done', 1, 1, null);
      db.prepare(`UPDATE sync_runs SET finished_at = ?, outcome = 'ok', counts_json = ? WHERE id = ?`).run(nowIso(), JSON.stringify(counts), runId);
      db.prepare('UPDATE accounts SET last_synced_at = ? WHERE id = ?').run(nowIso(), accountId);
      setAccountState({ context, events }, accountId, 'signed_in', null);
      return { accountId, ok: true, error: null, counts };
    } catch (error) {
      const value = signal.aborted ? new DossierError('sync.cancelled', 'The sync was cancelled. Everything saved before that point is kept.').toValue() : toErrorValue(error);
      log.warn('sync.failed', { code: value.code, detail: value.detail, error });
      db.prepare(`UPDATE sync_runs SET finished_at = ?, outcome = ?, error_code = ?, error_message = ?, counts_json = ? WHERE id = ?`).run(
        nowIso(),
        value.code === 'sync.cancelled' ? 'cancelled' : 'error',
        value.code,
        value.message,
        JSON.stringify(counts),
        runId,
      );
      const state = value.code === 'sync.cancelled' ? previousState : 'error';
      setAccountState({ context, events }, accountId, state, state === 'error' ? value.message : null);
      return { accountId, ok: false, error: value, counts };
    }
  }

  /**
   * Downloads what the ledger owes with bounded concurrency. Each document is recorded as soon as it
   * is verified; its text is extracted afterwards, beside the next downloads, and the sync ends once
   * every stored document has its text (including any a killed sync left without).
   */
  async #downloadAll(connector: Connector, context: ConnectorContext, accountId: number, addBytes: (bytes: number) => void): Promise<{ downloaded: number; failed: number }> {
    const { db, paths } = this.#deps.context;
    const owed = owedDownloads(db, accountId);
    const texts = new TextIndexing(db, paths.store, context.http.signal, context.log);
    try {
      return await this.#downloadAndIndex(connector, context, accountId, owed, texts, addBytes);
    } finally {
      texts.close();
    }
  }

  async #downloadAndIndex(
    connector: Connector,
    context: ConnectorContext,
    accountId: number,
    owed: readonly LedgerEntry[],
    texts: TextIndexing,
    addBytes: (bytes: number) => void,
  ): Promise<{ downloaded: number; failed: number }> {
    const { db, paths } = this.#deps.context;
    let done = 0;
    let failed = 0;
    texts.addUnextracted(accountId);
    context.progress('documents', 0, owed.length, null);
    const queue = [...owed];
    const worker = async (): Promise<void> => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        if (context.http.signal.aborted) return;
        try {
          const stored = await this.#downloadOne(connector, context, entry, paths.store, texts);
          addBytes(stored.size);
          texts.add(stored.sha256, stored.size);
        } catch (error) {
          if (context.http.signal.aborted) return;
          if (error instanceof DossierError && (error.code.startsWith('auth.') || error.code === 'network.unreachable')) throw error;
          failed += 1;
          const value = toErrorValue(error);
          context.log.warn('sync.download_failed', { documentId: entry.documentId, code: value.code, detail: value.detail });
          recordDownloadFailure(db, entry.documentId, `${value.code}: ${value.message}`);
        }
        done += 1;
        context.progress('documents', done, owed.length, entry.remoteId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(connector.policy.concurrency, owed.length) }, worker));
    if (!context.http.signal.aborted) await texts.finished((indexed, total) => context.progress('index', indexed, total, null));
    if (context.http.signal.aborted) throw new DossierError('sync.cancelled', 'The sync was cancelled. Everything saved before that point is kept.');
    return { downloaded: done - failed, failed };
  }

  /** Downloads, verifies and records one document. */
  async #downloadOne(connector: Connector, context: ConnectorContext, entry: LedgerEntry, storeDir: string, texts: TextIndexing): Promise<{ sha256: string; size: number }> {
    const { db } = this.#deps.context;
    const download = connector.download;
    if (!download) throw new DossierError('provider.unsupported', 'This provider has no documents to download.');
    const { staged, fetched } = await download.call(connector, context, entry);
    const expected = [entry.remoteSha1, fetched.statedSha1].filter((hash): hash is string => hash !== null);
    if (expected.some((hash) => hash !== staged.sha1)) {
      await rm(staged.tempFile, { force: true });
      throw new DossierError('document.hash_mismatch', 'A document arrived damaged (its checksum does not match). It will be fetched again on the next sync.', {
        provider: context.http.provider,
        endpoint: entry.remoteId,
        expected: expected[0],
        received: staged.sha1,
      });
    }
    await commitBlob(db, storeDir, staged, () => {
      recordDownloadVerified(db, entry, staged.sha256, staged.size, fetched.fileName, fetched.mimeType);
      // Bytes seen before already have their text; new bytes are indexed when their text is saved.
      if (texts.isExtracted(staged.sha256)) reindex(db, { documents: [entry.documentId] });
    });
    return { sha256: staged.sha256, size: staged.size };
  }
}
