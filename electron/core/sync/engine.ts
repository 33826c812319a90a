import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { ProviderId, SyncPhase } from '../../../shared/domain.ts';
import type { DossierErrorValue } from '../../../shared/errors.ts';
import { DossierError, storageFault, toErrorValue } from '../base/errors.ts';
import type { CoreEvents } from '../base/events.ts';
import type { Logger } from '../base/log.ts';
import type { DataPaths } from '../base/paths.ts';
import { nowIso } from '../base/time.ts';
import type { AccountService } from '../accounts/service.ts';
import { stageBlob, sweepTempFiles } from '../blobs/store.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { Connector, ConnectorContext } from '../providers/kit/connector.ts';
import { defaultMaxReplyMb, ProviderHttp, type HttpPolicy, type RetryWait, type SessionLike } from '../providers/kit/http.ts';
import { PdfTextExtractor } from '../search/pdf-text.ts';
import type { LedgerEntry, OwedDownloads } from '../storage/downloads.ts';
import type { Storage } from '../storage/storage.ts';
import { syncLockName, tryProcessLock, type LockHolder } from '../storage/process-lock.ts';
import { GroupCommit, type VerifiedDocument } from './group-commit.ts';
import { TextIndexing } from './text-indexing.ts';

export interface SyncOptions {
  /** Accounts to sync; all accounts with a connector when absent. */
  readonly accountIds?: readonly number[];
  /** False skips document bytes (metadata is still synced and the ledger still records what is owed). */
  readonly documents: boolean;
  /** Raises (or lowers) the largest reply read for one page, in MB; the profile keeps it for later syncs. */
  readonly maxReplyMb?: number | undefined;
}

/** The profile setting holding the reply limit (`dossier sync --max-reply-mb` writes it). */
const maxReplyMbSetting = 'max_reply_mb';

/**
 * How long a sync waits for another process to release the account's lock before saying who holds
 * it: long enough to ride out another core's start-up check (milliseconds), far shorter than a sync.
 */
const lockWaitMs = 2_000;

export interface AccountSyncResult {
  readonly accountId: number;
  readonly ok: boolean;
  readonly error: DossierErrorValue | null;
  readonly counts: Readonly<Record<string, number>>;
}

/** What a dry run found for one kind of record: how many, and the first as it would be stored. */
export interface DryRunKind {
  readonly count: number;
  /** True when the provider said the list was complete (an unfinished walk would remove nothing). */
  readonly complete: boolean;
  readonly first: unknown;
}

/** What a sync of the account would store, read through its session and stored nowhere. */
export interface DryRunResult {
  readonly kinds: Readonly<Record<string, DryRunKind>>;
  readonly unfinished: readonly string[];
}

/** How long transient provider failures are waited out; tests shorten it so a storm passes in milliseconds. */
export type RetryTiming = Partial<Pick<HttpPolicy, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>>;

export interface SyncEngineDeps {
  readonly storage: Storage;
  readonly accounts: AccountService;
  readonly outbox: OutboxService;
  readonly events: CoreEvents;
  readonly log: Logger;
  readonly paths: Pick<DataPaths, 'root' | 'temp' | 'store' | 'locks'>;
  openSession(accountId: number): Promise<SessionLike>;
  /**
   * The account's connector: its provider's, or its manifest's (a generic OAuth 2.0 account); null
   * means it has nothing to sync. Throws when the account's manifest cannot be read.
   */
  connectorFor(account: { id: number; provider: ProviderId }): Connector | null;
  readonly retry?: RetryTiming | undefined;
}

/**
 * Runs account syncs: outbox first, then every resource the provider offers written in one
 * transaction, the search index, then the document ledger with bounded concurrency. Each account
 * succeeds or fails on its own; one account's error never stops another's sync.
 */
export class SyncEngine {
  readonly #deps: SyncEngineDeps;
  readonly #running = new Map<number, { controller: AbortController; done: Promise<AccountSyncResult> }>();
  /** PDF parsing is CPU work: off the main thread, so downloads and database writes keep flowing while it runs. */
  readonly #pdfTexts = new PdfTextExtractor();
  #swept = false;

  constructor(deps: SyncEngineDeps) {
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
    // Each launched sync reports its own end (`sync.finished`) and never rejects.
    this.#rememberReplyLimit(options);
    for (const id of started) void this.#launch(id, options.documents);
    return started;
  }

  /** Syncs the accounts and resolves when all have finished (the command line's way). */
  async run(options: SyncOptions): Promise<AccountSyncResult[]> {
    const ids = this.#resolveAccounts(options.accountIds);
    this.#rememberReplyLimit(options);
    return Promise.all(ids.map((id) => this.#running.get(id)?.done ?? this.#launch(id, options.documents)));
  }

  /**
   * Ends what a process that died mid-sync left behind: its account still \`syncing\` and its run
   * without an outcome. Called when a core starts; an account whose lock a live process holds (a
   * sync running elsewhere right now) is left alone. Returns the accounts recovered.
   */
  recoverInterrupted(): number[] {
    const { storage, accounts, paths, log } = this.#deps;
    const unfinished = storage.syncRuns.unfinished();
    const suspects = new Set([...accounts.list().filter((account) => account.state === 'syncing').map((account) => account.id), ...unfinished.map((run) => run.accountId)]);
    const recovered: number[] = [];
    for (const accountId of suspects) {
      if (this.#running.has(accountId)) continue;
      const attempt = tryProcessLock(paths.locks, syncLockName(accountId), 0);
      if (!attempt.held) continue;
      try {
        const interrupted = new DossierError('sync.interrupted', 'The last sync stopped before it finished (its process ended). Sync again to complete it; everything saved before is kept.').toValue();
        storage.transaction(() => {
          for (const run of unfinished) if (run.accountId === accountId) storage.syncRuns.finish(run.id, 'error', {}, interrupted);
        });
        if (accounts.get(accountId).state === 'syncing') accounts.setState(accountId, 'error', interrupted.message);
        log.warn('sync.recovered_interrupted', { accountId });
        recovered.push(accountId);
      } finally {
        attempt.held.release();
      }
    }
    return recovered;
  }

  /**
   * Pulls the account's records through its session and connector as a sync would, and returns
   * what it would store without writing anything (no records, cursors, run, state or documents).
   * Cursors saved by earlier syncs are used, so an incremental account previews its next sync.
   */
  async dryRun(accountId: number, signal: AbortSignal = new AbortController().signal): Promise<DryRunResult> {
    const { accounts } = this.#deps;
    const account = accounts.get(accountId);
    const connector = this.#deps.connectorFor(account);
    if (!connector) throw new DossierError('provider.unsupported', `${accounts.provider(account).label} accounts have nothing Dossier can sync yet.`, { provider: account.provider });
    const log = this.#deps.log.child({ accountId, dryRun: true });
    const session = await this.#deps.openSession(accountId);
    const http = new ProviderHttp(session, { ...connector.policy, ...this.#deps.retry, maxReplyBytes: this.#maxReplyBytes() }, signal, log, { accountName: account.name });
    const pulled = await connector.pull({ ...this.#connectorContext(account, http, log, () => undefined), pagesPerList: 1 });
    const kinds: Record<string, DryRunKind> = {};
    for (const [kind, batch] of Object.entries(pulled.snapshot)) {
      if (batch === undefined) continue;
      const { rows, complete } = batch as { rows: readonly unknown[]; complete: boolean };
      kinds[kind] = { count: rows.length, complete, first: rows[0] ?? null };
    }
    return { kinds, unfinished: pulled.unfinished };
  }

  /** What a connector may use for one pass over the account: its session, cursors, zone and temp files. */
  #connectorContext(account: { readonly id: number; readonly baseUrl: string; readonly timeZone: string }, http: ProviderHttp, log: Logger, progress: ConnectorContext['progress']): ConnectorContext {
    const cursors = this.#deps.storage.syncRuns.cursors(account.id);
    return {
      http,
      accountId: account.id,
      baseUrl: account.baseUrl,
      timeZone: account.timeZone,
      log,
      cursor: (resource) => cursors.get(resource) ?? null,
      progress,
      stage: (produce) => stageBlob(this.#deps.paths.temp, produce),
    };
  }

  #rememberReplyLimit(options: SyncOptions): void {
    if (options.maxReplyMb !== undefined) this.#deps.storage.settings.write(maxReplyMbSetting, options.maxReplyMb);
  }

  #maxReplyBytes(): number {
    return this.#deps.storage.settings.read(maxReplyMbSetting, z.number().int().positive(), defaultMaxReplyMb) * 1024 * 1024;
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
    await this.#pdfTexts.close();
  }

  #resolveAccounts(accountIds: readonly number[] | undefined): number[] {
    const rows = this.#deps.accounts.providers();
    if (accountIds === undefined) return rows.filter((row) => this.#mayHaveConnector(row)).map((row) => row.id);
    for (const id of accountIds) {
      if (!rows.some((row) => row.id === id)) throw new DossierError('account.not_found', `There is no account with id ${id}; it may have been removed. Reload the list of accounts.`, { accountId: id });
    }
    return [...new Set(accountIds)];
  }

  /** True unless the account surely has nothing to sync: one whose manifest cannot be read syncs, to say why it fails. */
  #mayHaveConnector(row: { id: number; provider: ProviderId }): boolean {
    try {
      return this.#deps.connectorFor(row) !== null;
    } catch {
      return true;
    }
  }

  #launch(accountId: number, documents: boolean): Promise<AccountSyncResult> {
    const controller = new AbortController();
    // `sync.finished` goes out once the account no longer counts as running, so a listener may start the next sync at once.
    const done = this.#syncAccount(accountId, documents, controller.signal)
      .catch((error: unknown): AccountSyncResult => ({ accountId, ok: false, error: toErrorValue(error), counts: {} }))
      .then((result) => {
        // A failed request ends the sync while its siblings may still be waiting to retry: they stop here rather than keep knocking.
        controller.abort();
        this.#running.delete(accountId);
        this.#deps.events.emit('sync.finished', { accountId, ok: result.ok, error: result.error ? { code: result.error.code, message: result.error.message } : null, unfinishedLists: result.counts.unfinishedLists ?? 0 });
        return result;
      });
    this.#running.set(accountId, { controller, done });
    return done;
  }

  async #syncAccount(accountId: number, documents: boolean, signal: AbortSignal): Promise<AccountSyncResult> {
    const account = this.#deps.accounts.get(accountId);
    const lock = tryProcessLock(this.#deps.paths.locks, syncLockName(accountId), lockWaitMs);
    if (!lock.held) return { accountId, ok: false, error: heldElsewhere(account.name, accountId, lock.holder).toValue(), counts: {} };
    try {
      return await this.#syncLockedAccount(accountId, documents, signal);
    } finally {
      lock.held.release();
    }
  }

  async #syncLockedAccount(accountId: number, documents: boolean, signal: AbortSignal): Promise<AccountSyncResult> {
    const { storage, accounts, events, paths } = this.#deps;
    const log = this.#deps.log.child({ accountId });
    if (!this.#swept) {
      this.#swept = true;
      sweepTempFiles(paths.temp);
    }
    const account = accounts.get(accountId);
    const runId = storage.syncRuns.begin(accountId);
    const counts: Record<string, number> = {};
    let bytes = 0;
    // The last progress is repeated with the wait when a request has to be retried, so a quiet sync says why and until when.
    let last: { phase: SyncPhase; done: number; total: number | null; current: string | null } = { phase: 'auth', done: 0, total: null, current: null };
    // Requests still in flight when the sync has ended (siblings of the one that failed) report nothing more.
    let ended = false;
    const progress = (phase: SyncPhase, done: number, total: number | null, current: string | null): void => {
      if (ended) return;
      last = { phase, done, total, current };
      events.emit('sync.progress', { accountId, ...last, bytes, retrying: null });
    };
    const announceRetry = (wait: RetryWait): void => {
      if (!ended) events.emit('sync.progress', { accountId, ...last, bytes, retrying: wait });
    };
    // What a cancelled sync restores: signed in once a session opened, else what it was.
    let previousState: 'signed_in' | 'signed_out' = account.state === 'signed_out' ? 'signed_out' : 'signed_in';
    accounts.setState(accountId, 'syncing', null);
    try {
      const connector = this.#deps.connectorFor(account);
      if (!connector) {
        const detail = account.provider === 'oauth2' ? ' Give the account a provider manifest to sync its jobs and applicants.' : '';
        throw new DossierError('provider.unsupported', `${accounts.provider(account).label} accounts have nothing Dossier can sync yet.${detail}`, { provider: account.provider });
      }
      progress('auth', 0, null, null);
      const session = await this.#deps.openSession(accountId);
      previousState = 'signed_in';
      const http = new ProviderHttp(session, { ...connector.policy, ...this.#deps.retry, maxReplyBytes: this.#maxReplyBytes() }, signal, log, {
        accountName: account.name,
        onRetry: announceRetry,
      });
      const connectorContext = this.#connectorContext(account, http, log, progress);

      if (connector.send) {
        progress('outbox', 0, null, null);
        counts.outboxSent = await this.#deps.outbox.send(connector, connectorContext);
      }

      Object.assign(counts, await this.#pullAndWrite(connector, connectorContext, account.provider));

      if (documents && connector.download) {
        const result = await this.#downloadAll(connector, connectorContext, accountId, (added) => {
          bytes += added;
        });
        counts.downloaded = result.downloaded;
        counts.downloadFailures = result.failed;
        storage.searchIndex.compact(result.downloaded);
      }
      counts.pendingDownloads = storage.downloads.owedCount(accountId);
      progress('done', 1, 1, null);
      storage.syncRuns.finish(runId, 'ok', counts, null);
      accounts.markSynced(accountId, nowIso());
      accounts.setState(accountId, 'signed_in', null);
      return { accountId, ok: true, error: null, counts };
    } catch (error) {
      const value = signal.aborted ? new DossierError('sync.cancelled', 'The sync was cancelled. Everything saved before that point is kept.').toValue() : toErrorValue(error, { folder: paths.root });
      log.warn('sync.failed', { code: value.code, detail: value.detail, error });
      const state = value.code === 'sync.cancelled' ? previousState : 'error';
      try {
        storage.syncRuns.finish(runId, value.code === 'sync.cancelled' ? 'cancelled' : 'error', counts, value);
        accounts.setState(accountId, state, state === 'error' ? value.message : null);
      } catch (recordError) {
        // A disk still too full to take one row: the next core's start-up check records this run as interrupted.
        log.error('sync.outcome_unrecorded', { runId, code: value.code, error: recordError });
      }
      return { accountId, ok: false, error: value, counts };
    } finally {
      ended = true;
    }
  }

  /**
   * Pulls every resource and writes the snapshot, its cursors and its search rows in one
   * transaction (a crash leaves all or none). Its own call, so the snapshot is garbage once it is
   * written instead of staying reachable from the sync's frame while the documents download.
   */
  async #pullAndWrite(connector: Connector, context: ConnectorContext, provider: ProviderId): Promise<Record<string, number>> {
    const { storage } = this.#deps;
    const { accountId } = context;
    const pulled = await connector.pull(context);
    const now = nowIso();
    const written = storage.transaction(() => {
      const outcome = storage.syncedRecords.write(accountId, pulled.snapshot, now);
      storage.syncRuns.saveCursors(accountId, pulled.cursors, now);
      context.progress('index', 0, null, null);
      storage.searchIndex.reindex({
        applicants: outcome.changed.applicants,
        applications: [...new Set([...outcome.changed.applications, ...storage.searchIndex.applicationsOfApplicants(outcome.changed.applicants)])],
        letters: outcome.changed.letters,
        documents: outcome.changed.documents,
      });
      return outcome;
    });
    const counts: Record<string, number> = {};
    for (const [table, ids] of Object.entries(written.changed)) counts[table] = ids.length;
    counts.removed = written.removed;
    if (pulled.unfinished.length > 0) {
      counts.unfinishedLists = pulled.unfinished.length;
      context.log.warn('sync.walk_unfinished', { provider, endpoints: pulled.unfinished });
    }
    return counts;
  }

  /**
   * Downloads what the ledger owes with bounded concurrency. Verified documents are recorded in
   * group commits (durable bytes first, then their rows); each one's text is extracted once it is
   * committed, beside the next downloads, and the sync ends once every stored document has its text
   * (including any a killed sync left without).
   */
  async #downloadAll(connector: Connector, context: ConnectorContext, accountId: number, addBytes: (bytes: number) => void): Promise<{ downloaded: number; failed: number }> {
    const { storage, paths } = this.#deps;
    const owed = storage.downloads.owedQueue(accountId);
    const texts = new TextIndexing({ storage, pdfTexts: this.#pdfTexts, storeDir: paths.store, accountId, signal: context.http.signal, log: context.log });
    try {
      return await this.#downloadAndIndex(connector, context, owed, texts, addBytes);
    } finally {
      texts.close();
    }
  }

  async #downloadAndIndex(
    connector: Connector,
    context: ConnectorContext,
    owed: OwedDownloads,
    texts: TextIndexing,
    addBytes: (bytes: number) => void,
  ): Promise<{ downloaded: number; failed: number }> {
    const { storage, paths } = this.#deps;
    let done = 0;
    let failed = 0;
    const counted = (remoteId: string): void => {
      done += 1;
      context.progress('documents', done, owed.total, remoteId);
    };
    context.progress('documents', 0, owed.total, null);
    // A document counts as done once its group is committed: from then on it is on disk and browsable.
    const commits = new GroupCommit({
      storage,
      storeDir: paths.store,
      isExtracted: (sha256) => texts.isExtracted(sha256),
      onCommitted: (group) => {
        for (const { entry, staged } of group) {
          addBytes(staged.size);
          counted(entry.remoteId);
        }
        texts.documentsCommitted();
      },
    });
    // The first error that ends the sync stops every worker; the sync reports it only once all have stopped.
    let stop: unknown = null;
    const worker = async (): Promise<void> => {
      for (let entry = owed.take(); entry && stop === null; entry = owed.take()) {
        if (context.http.signal.aborted) return;
        let verified: VerifiedDocument;
        try {
          verified = await this.#downloadOne(connector, context, entry);
        } catch (error) {
          if (context.http.signal.aborted) return;
          if (endsTheSync(error)) {
            stop ??= error;
            return;
          }
          failed += 1;
          const value = toErrorValue(error);
          context.log.warn('sync.download_failed', { documentId: entry.documentId, code: value.code, detail: value.detail });
          try {
            storage.downloads.recordFailure(entry.documentId, `${value.code}: ${value.message}`);
          } catch (recordError) {
            stop ??= recordError;
            return;
          }
          counted(entry.remoteId);
          continue;
        }
        try {
          await commits.add(verified);
        } catch (error) {
          stop ??= error;
          return;
        }
      }
    };
    // As many workers as the limit could ever allow; the account's adaptive limit (in context.http) decides how many send at once.
    await Promise.all(Array.from({ length: Math.min(connector.policy.ceiling, owed.total) }, worker));
    // Verified documents still waiting are committed whatever ended the downloads (a cancel, a lost sign-in): their bytes are good.
    try {
      await commits.flush();
    } catch (error) {
      stop ??= error;
    }
    if (stop !== null) throw stop;
    if (!context.http.signal.aborted) await texts.finished((indexed, total) => context.progress('index', indexed, total, null));
    if (context.http.signal.aborted) throw new DossierError('sync.cancelled', 'The sync was cancelled. Everything saved before that point is kept.');
    return { downloaded: done - failed, failed };
  }

  /** Downloads and verifies one document; its bytes are staged (fsynced) for the group commit. */
  async #downloadOne(connector: Connector, context: ConnectorContext, entry: LedgerEntry): Promise<VerifiedDocument> {
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
    return { entry, staged, fetched };
  }
}

/** Errors no other document would escape: a sign-in gone, the network down, a full disk, a database held elsewhere. */
function endsTheSync(error: unknown): boolean {
  if (storageFault(error) !== null) return true;
  return error instanceof DossierError && (error.code.startsWith('auth.') || ['network.unreachable', 'disk.full', 'db.busy'].includes(error.code));
}

function heldElsewhere(name: string, accountId: number, holder: LockHolder | null): DossierError {
  const who = holder === null ? 'Another Dossier process' : `Dossier process ${holder.pid} on ${holder.host} (since ${holder.since})`;
  return new DossierError(
    'sync.busy',
    `${who} is already syncing "${name}". It fetches everything this sync would; wait for it to finish, then sync again if you need to.`,
    { accountId, ...(holder === null ? {} : { holderPid: holder.pid, holderHost: holder.host, holderSince: holder.since }) },
  );
}
