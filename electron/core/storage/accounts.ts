import { loopbackRedirectUri, type Account, type AccountState, type GrantType, type ProviderId } from '../../../shared/domain.ts';
import { randomUUID } from 'node:crypto';
import { nowIso } from '../base/time.ts';
import { Table } from './table.ts';

interface AccountRow {
  id: number;
  name: string;
  provider: ProviderId;
  base_url: string;
  token_url: string | null;
  authorize_url: string | null;
  client_id: string | null;
  grant_type: GrantType;
  scope: string | null;
  time_zone: string;
  redirect_port: number | null;
  manifest_name: string | null;
  manifest_file_name: string | null;
  state: AccountState;
  state_message: string | null;
  last_synced_at: string | null;
  created_at: string;
}

/** An account as its row has it; the account service adds what its provider (or manifest) can bring. */
export type StoredAccount = Omit<Account, 'capabilities'>;

/** A provider manifest as an account keeps it (migration 0008): the validated text, its name and the file it came from. */
export interface StoredManifest {
  readonly name: string;
  readonly fileName: string;
  readonly text: string;
}

function toAccount(row: AccountRow): StoredAccount {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    baseUrl: row.base_url,
    tokenUrl: row.token_url,
    authorizeUrl: row.authorize_url,
    clientId: row.client_id,
    grant: row.grant_type,
    scope: row.scope,
    timeZone: row.time_zone,
    redirectPort: row.redirect_port,
    redirectUri: row.grant_type === 'authorization_code' ? loopbackRedirectUri(row.redirect_port) : null,
    manifest: row.manifest_name === null || row.manifest_file_name === null ? null : { name: row.manifest_name, fileName: row.manifest_file_name },
    state: row.state,
    stateMessage: row.state_message,
    lastSyncedAt: row.last_synced_at,
    createdAt: row.created_at,
  };
}

/** What an account row holds besides its id, state and timestamps. */
export type AccountSettings = Pick<Account, 'name' | 'provider' | 'baseUrl' | 'tokenUrl' | 'authorizeUrl' | 'clientId' | 'grant' | 'scope' | 'timeZone' | 'redirectPort'>;

const columns =
  'accounts.id, accounts.name, provider, base_url, token_url, authorize_url, client_id, grant_type, scope, time_zone, redirect_port, ' +
  'account_manifests.name AS manifest_name, account_manifests.file_name AS manifest_file_name, state, state_message, last_synced_at, created_at';
const withManifest = 'accounts LEFT JOIN account_manifests ON account_manifests.account_id = accounts.id';

/** The tables a sync fills from the provider's replies (storage/synced-records.ts). */
const syncedTables = ['jobs', 'applicants', 'applications', 'documents', 'letters', 'interview_slots'] as const;

/** Raised by SQLite when an account name is taken (names are unique, case-insensitively). */
export function isNameTaken(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class AccountsTable extends Table {
  list(): StoredAccount[] {
    return this.sql<[], AccountRow>(`SELECT ${columns} FROM ${withManifest} ORDER BY accounts.name COLLATE NOCASE`).all().map(toAccount);
  }

  get(id: number): StoredAccount | undefined {
    const row = this.sql<[number], AccountRow>(`SELECT ${columns} FROM ${withManifest} WHERE accounts.id = ?`).get(id);
    return row === undefined ? undefined : toAccount(row);
  }

  findByName(name: string): StoredAccount | undefined {
    const row = this.sql<[string], AccountRow>(`SELECT ${columns} FROM ${withManifest} WHERE accounts.name = ? COLLATE NOCASE`).get(name.trim());
    return row === undefined ? undefined : toAccount(row);
  }

  /** The ids of every account, oldest first, with the provider each syncs from. */
  providers(): { id: number; provider: ProviderId }[] {
    return this.sql<[], { id: number; provider: ProviderId }>('SELECT id, provider FROM accounts ORDER BY id').all();
  }

  /** The oldest account: what an interview planned without an application belongs to. */
  firstId(): number | undefined {
    return this.sql<[], number>('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get();
  }

  /**
   * Adds an account signed out under a newly issued identity (an id never used before in this
   * profile, and a random uid); throws the SQLite error `isNameTaken` recognises when the name is in use.
   */
  insert(settings: AccountSettings, manifest?: StoredManifest): number {
    const now = nowIso();
    return this.db.transaction(() => {
      const id = Number(this.sql<[string]>('INSERT INTO account_identities (uid) VALUES (?)').run(randomUUID()).lastInsertRowid);
      this.sql<(string | number | null)[]>(
        `INSERT INTO accounts (id, name, provider, base_url, token_url, authorize_url, client_id, grant_type, scope, time_zone, redirect_port, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id, settings.name, settings.provider, settings.baseUrl, settings.tokenUrl, settings.authorizeUrl, settings.clientId,
        settings.grant, settings.scope, settings.timeZone, settings.redirectPort, now, now,
      );
      if (manifest !== undefined) this.#writeManifest(id, manifest, now);
      return id;
    })();
  }

  /** The random identity the account's secrets are bound to; undefined for a row added without one (test seeds). */
  uid(id: number): string | undefined {
    return this.sql<[number], string>('SELECT uid FROM account_identities WHERE id = ?').pluck().get(id);
  }

  /**
   * Changes the account's settings, and its manifest when one is given, together. A manifest with
   * other text maps the same replies differently, so the account's incremental cursors are dropped
   * (the next sync walks every list) and its cached rows are marked for mapping again: the sync
   * rewrites a row only when its raw reply differs from the one kept, and this empties that.
   */
  update(id: number, settings: AccountSettings, manifest?: StoredManifest): void {
    this.db.transaction(() => {
      this.#updateSettings(id, settings);
      if (manifest === undefined || this.manifest(id)?.text === manifest.text) return;
      this.#writeManifest(id, manifest, nowIso());
      this.sql<[number]>('DELETE FROM sync_cursors WHERE account_id = ?').run(id);
      for (const table of syncedTables) this.sql<[number]>(`UPDATE ${table} SET raw_json = '' WHERE account_id = ?`).run(id);
    })();
  }

  /** The manifest the account syncs by, or undefined for an account without one. */
  manifest(id: number): StoredManifest | undefined {
    return this.sql<[number], StoredManifest>('SELECT name, file_name AS fileName, text FROM account_manifests WHERE account_id = ?').get(id);
  }

  #writeManifest(id: number, manifest: StoredManifest, now: string): void {
    this.sql<[number, string, string, string, string]>(
      `INSERT INTO account_manifests (account_id, name, file_name, text, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, file_name = excluded.file_name, text = excluded.text, updated_at = excluded.updated_at`,
    ).run(id, manifest.name, manifest.fileName, manifest.text, now);
  }

  #updateSettings(id: number, settings: AccountSettings): void {
    this.sql<(string | number | null)[]>(
      `UPDATE accounts SET name = ?, provider = ?, base_url = ?, token_url = ?, authorize_url = ?, client_id = ?, grant_type = ?, scope = ?,
         time_zone = ?, redirect_port = ?, updated_at = ? WHERE id = ?`,
    ).run(
      settings.name, settings.provider, settings.baseUrl, settings.tokenUrl, settings.authorizeUrl, settings.clientId,
      settings.grant, settings.scope, settings.timeZone, settings.redirectPort, nowIso(), id,
    );
  }

  /** Removes the account and, through the foreign keys, everything cached for it. */
  remove(id: number): boolean {
    return this.sql<[number]>('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  }

  setState(id: number, state: AccountState, message: string | null): void {
    this.sql<[AccountState, string | null, string, number]>('UPDATE accounts SET state = ?, state_message = ?, updated_at = ? WHERE id = ?').run(state, message, nowIso(), id);
  }

  /** The fixed redirect ports the accounts already use, so a newly picked one is not shared by accident. */
  redirectPorts(): Set<number> {
    return new Set(this.sql<[], number>('SELECT redirect_port FROM accounts WHERE redirect_port IS NOT NULL').pluck().all());
  }

  markSynced(id: number, at: string): void {
    this.sql<[string, number]>('UPDATE accounts SET last_synced_at = ? WHERE id = ?').run(at, id);
  }
}
