import type { z } from 'zod';
import type { AccountInput } from '../../../shared/api/accounts.ts';
import type { Account, AccountState, GrantType, ProviderId } from '../../../shared/domain.ts';
import type { CoreDeps } from '../api/deps.ts';
import { assertSecureUrl } from '../auth/http.ts';
import { accountKeyPrefix, clientSecretKey } from '../auth/tokens.ts';
import { nowIso, type Db } from '../db/database.ts';
import { DossierError } from '../errors.ts';
import { providers } from '../providers/registry.ts';

export type NewAccount = z.output<typeof AccountInput>;
export type AccountChanges = Partial<NewAccount> & { id: number };

interface AccountRow {
  id: number;
  name: string;
  provider: string;
  base_url: string;
  token_url: string | null;
  authorize_url: string | null;
  client_id: string | null;
  grant_type: string;
  scope: string | null;
  time_zone: string;
  state: string;
  state_message: string | null;
  last_synced_at: string | null;
  created_at: string;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider as ProviderId,
    baseUrl: row.base_url,
    tokenUrl: row.token_url,
    authorizeUrl: row.authorize_url,
    clientId: row.client_id,
    grant: row.grant_type as GrantType,
    scope: row.scope,
    timeZone: row.time_zone,
    state: row.state as AccountState,
    stateMessage: row.state_message,
    lastSyncedAt: row.last_synced_at,
    createdAt: row.created_at,
  };
}

const columns = 'id, name, provider, base_url, token_url, authorize_url, client_id, grant_type, scope, time_zone, state, state_message, last_synced_at, created_at';

export function listAccounts(db: Db): Account[] {
  return (db.prepare(`SELECT ${columns} FROM accounts ORDER BY name COLLATE NOCASE`).all() as AccountRow[]).map(toAccount);
}

export function getAccount(db: Db, id: number): Account {
  const row = db.prepare(`SELECT ${columns} FROM accounts WHERE id = ?`).get(id) as AccountRow | undefined;
  if (row === undefined) throw new DossierError('account.not_found', `There is no account number ${id}. List the accounts to see which exist.`, { accountId: id });
  return toAccount(row);
}

export function findAccountByName(db: Db, name: string): Account {
  const row = db.prepare(`SELECT ${columns} FROM accounts WHERE name = ? COLLATE NOCASE`).get(name.trim()) as AccountRow | undefined;
  if (row === undefined) {
    throw new DossierError('account.not_found', `There is no account named "${name}". Run \`dossier accounts list\` to see the names.`, { name });
  }
  return toAccount(row);
}

/** The grant an account uses when it names none: the first its provider offers. */
function defaultGrant(provider: ProviderId): GrantType {
  const grant = providers[provider].capabilities.grants[0];
  if (grant === undefined) throw new Error(`provider ${provider} lists no grant`);
  return grant;
}

/** Checks what the provider needs before anything is written, so a bad account is refused whole. */
function validate(account: Pick<Account, 'provider' | 'grant' | 'clientId' | 'baseUrl' | 'tokenUrl' | 'authorizeUrl'>, hasSecret: boolean): void {
  const definition = providers[account.provider];
  if (!definition.capabilities.grants.includes(account.grant)) {
    throw new DossierError(
      'input.invalid',
      `${definition.label} does not offer the ${account.grant} grant; choose one of: ${definition.capabilities.grants.join(', ')}.`,
      { provider: account.provider, field: 'grant' },
    );
  }
  if (account.grant !== 'token' && account.clientId === null) {
    throw new DossierError('input.invalid', `${definition.label} needs the client id of your API application. ${definition.setupHelp}`, { field: 'clientId' });
  }
  if (account.grant === 'client_credentials' && !hasSecret) {
    throw new DossierError('input.invalid', `Signing in to ${definition.label} with client credentials needs the client secret. ${definition.setupHelp}`, {
      field: 'clientSecret',
    });
  }
  if (account.baseUrl === '') {
    throw new DossierError('input.invalid', `${definition.label} needs a base URL (the address of its API).`, { field: 'baseUrl' });
  }
  for (const [url, what] of [[account.baseUrl, 'base URL'], [account.tokenUrl, 'token URL'], [account.authorizeUrl, 'authorization URL']] as const) {
    if (url !== null) assertSecureUrl(new URL(url), what);
  }
}

function nameTaken(error: unknown, name: string): DossierError | undefined {
  if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
  return new DossierError('account.exists', `An account named "${name}" already exists; choose another name.`, { field: 'name' });
}

export async function addAccount(deps: Pick<CoreDeps, 'context' | 'vault'>, input: NewAccount): Promise<Account> {
  const { db } = deps.context;
  const definition = providers[input.provider];
  const draft = {
    provider: input.provider,
    grant: input.grant ?? defaultGrant(input.provider),
    clientId: input.clientId ?? null,
    baseUrl: input.baseUrl ?? definition.profile.defaultBaseUrl ?? '',
    tokenUrl: input.tokenUrl ?? null,
    authorizeUrl: input.authorizeUrl ?? null,
  };
  validate(draft, input.clientSecret !== undefined);
  const now = nowIso();
  let id: number;
  try {
    id = Number(
      db
        .prepare(
          `INSERT INTO accounts (name, provider, base_url, token_url, authorize_url, client_id, grant_type, scope, time_zone, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.name, input.provider, draft.baseUrl, draft.tokenUrl, draft.authorizeUrl, draft.clientId,
          draft.grant, input.scope ?? null, input.timeZone ?? 'UTC', now, now,
        ).lastInsertRowid,
    );
  } catch (error) {
    throw nameTaken(error, input.name) ?? error;
  }
  try {
    if (input.clientSecret !== undefined) await deps.vault.set(clientSecretKey(id), input.clientSecret);
  } catch (error) {
    db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
    throw error;
  }
  deps.context.log.info('account.added', { accountId: id, provider: input.provider, grant: draft.grant });
  return getAccount(db, id);
}

/** Applies the given changes; changing how the account signs in drops its tokens (they belong to the old settings). */
export async function updateAccount(deps: Pick<CoreDeps, 'context' | 'vault' | 'events'>, changes: AccountChanges): Promise<Account> {
  const { db } = deps.context;
  const current = getAccount(db, changes.id);
  const next = {
    ...current,
    name: changes.name ?? current.name,
    provider: changes.provider ?? current.provider,
    baseUrl: changes.baseUrl ?? current.baseUrl,
    tokenUrl: changes.tokenUrl ?? current.tokenUrl,
    authorizeUrl: changes.authorizeUrl ?? current.authorizeUrl,
    clientId: changes.clientId ?? current.clientId,
    grant: changes.grant ?? current.grant,
    scope: changes.scope ?? current.scope,
    timeZone: changes.timeZone ?? current.timeZone,
  };
  const hasSecret = changes.clientSecret !== undefined || (await deps.vault.get(clientSecretKey(current.id))) !== undefined;
  validate(next, hasSecret);
  const signInChanged =
    next.provider !== current.provider || next.baseUrl !== current.baseUrl || next.tokenUrl !== current.tokenUrl ||
    next.clientId !== current.clientId || next.grant !== current.grant || next.scope !== current.scope || changes.clientSecret !== undefined;
  try {
    db.prepare(
      `UPDATE accounts SET name = ?, provider = ?, base_url = ?, token_url = ?, authorize_url = ?, client_id = ?, grant_type = ?, scope = ?,
         time_zone = ?, updated_at = ? WHERE id = ?`,
    ).run(next.name, next.provider, next.baseUrl, next.tokenUrl, next.authorizeUrl, next.clientId, next.grant, next.scope, next.timeZone, nowIso(), current.id);
  } catch (error) {
    throw nameTaken(error, next.name) ?? error;
  }
  if (signInChanged) {
    await deps.vault.deletePrefix(accountKeyPrefix(current.id));
    if (changes.clientSecret !== undefined) await deps.vault.set(clientSecretKey(current.id), changes.clientSecret);
    return setAccountState(deps, current.id, 'signed_out', 'The sign-in settings changed; sign in again.');
  }
  return getAccount(db, current.id);
}

/** Removes the account, its cached data (foreign keys cascade) and every secret of it in the vault. */
export async function removeAccount(deps: Pick<CoreDeps, 'context' | 'vault'>, id: number): Promise<boolean> {
  getAccount(deps.context.db, id);
  await deps.vault.deletePrefix(accountKeyPrefix(id));
  const removed = deps.context.db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  deps.context.log.info('account.removed', { accountId: id });
  return removed;
}

/** Records the account's sign-in state and tells the UI (`account.state`); unchanged states are not re-announced. */
export function setAccountState(deps: Pick<CoreDeps, 'context' | 'events'>, id: number, state: AccountState, message: string | null): Account {
  const before = getAccount(deps.context.db, id);
  if (before.state === state && before.stateMessage === message) return before;
  deps.context.db.prepare('UPDATE accounts SET state = ?, state_message = ?, updated_at = ? WHERE id = ?').run(state, message, nowIso(), id);
  const after = getAccount(deps.context.db, id);
  deps.events.emit('account.state', after);
  return after;
}
