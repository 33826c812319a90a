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
  state: AccountState;
  state_message: string | null;
  last_synced_at: string | null;
  created_at: string;
}

function toAccount(row: AccountRow): Account {
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
    state: row.state,
    stateMessage: row.state_message,
    lastSyncedAt: row.last_synced_at,
    createdAt: row.created_at,
  };
}

/** What an account row holds besides its id, state and timestamps. */
export type AccountSettings = Pick<Account, 'name' | 'provider' | 'baseUrl' | 'tokenUrl' | 'authorizeUrl' | 'clientId' | 'grant' | 'scope' | 'timeZone' | 'redirectPort'>;

const columns = 'id, name, provider, base_url, token_url, authorize_url, client_id, grant_type, scope, time_zone, redirect_port, state, state_message, last_synced_at, created_at';

/** Raised by SQLite when an account name is taken (names are unique, case-insensitively). */
export function isNameTaken(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class AccountsTable extends Table {
  list(): Account[] {
    return this.sql<[], AccountRow>(`SELECT ${columns} FROM accounts ORDER BY name COLLATE NOCASE`).all().map(toAccount);
  }

  get(id: number): Account | undefined {
    const row = this.sql<[number], AccountRow>(`SELECT ${columns} FROM accounts WHERE id = ?`).get(id);
    return row === undefined ? undefined : toAccount(row);
  }

  findByName(name: string): Account | undefined {
    const row = this.sql<[string], AccountRow>(`SELECT ${columns} FROM accounts WHERE name = ? COLLATE NOCASE`).get(name.trim());
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
  insert(settings: AccountSettings): number {
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
      return id;
    })();
  }

  /** The random identity the account's secrets are bound to; undefined for a row added without one (test seeds). */
  uid(id: number): string | undefined {
    return this.sql<[number], string>('SELECT uid FROM account_identities WHERE id = ?').pluck().get(id);
  }

  update(id: number, settings: AccountSettings): void {
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
