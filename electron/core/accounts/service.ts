import type { z } from 'zod';
import type { AccountInput, ManifestChoice } from '../../../shared/api/accounts.ts';
import type { Account, AccountState, GrantType, ProviderId } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { CoreEvents } from '../base/events.ts';
import type { Logger } from '../base/log.ts';
import { accountProvider, providers, type ProviderDefinition } from '../providers/catalogue.ts';
import { bundledManifest, bundledManifests, loadManifest, type Manifest } from '../providers/manifests.ts';
import { assertSecureUrl } from '../providers/kit/urls.ts';
import { accountKeyPrefix, asTokenRecord, bindSecret, clientSecretKey, openBoundSecret, tokensKey, type SecretBinding, type TokenRecord } from '../secrets/tokens.ts';
import type { Vault } from '../secrets/vault.ts';
import { isNameTaken, type AccountSettings, type AccountsTable, type StoredAccount, type StoredManifest } from '../storage/accounts.ts';
import { resolveRedirectPort } from './redirect-port.ts';

export type NewAccount = z.output<typeof AccountInput>;
export type AccountChanges = Partial<NewAccount> & { id: number };

/** The grant an account uses when it names none: the first its provider offers. */
function defaultGrant(definition: ProviderDefinition): GrantType {
  const grant = definition.capabilities.grants[0];
  if (grant === undefined) throw new Error(`provider ${definition.id} lists no grant`);
  return grant;
}

/** A manifest read and checked, with what the account keeps of it. */
interface ChosenManifest {
  readonly manifest: Manifest;
  readonly stored: StoredManifest;
}

/** The sign-in settings a manifest's auth section gives, for those the user left out. */
function manifestSettings(manifest: Manifest): Pick<NewAccount, 'baseUrl' | 'grant' | 'tokenUrl' | 'authorizeUrl' | 'scope'> {
  const { auth } = manifest;
  if (auth.type === 'token') return { baseUrl: manifest.api.baseUrl, grant: 'token' };
  return {
    baseUrl: manifest.api.baseUrl,
    grant: auth.grant,
    tokenUrl: auth.tokenUrl,
    authorizeUrl: auth.authorizeUrl,
    scope: auth.scopes.length === 0 ? undefined : auth.scopes.join(' '),
  };
}

/** Checks what the provider needs before anything is written, so a bad account is refused whole. */
function validate(definition: ProviderDefinition, account: Pick<Account, 'grant' | 'clientId' | 'baseUrl' | 'tokenUrl' | 'authorizeUrl'>, hasSecret: boolean): void {
  if (!definition.capabilities.grants.includes(account.grant)) {
    throw new DossierError(
      'input.invalid',
      `${definition.label} does not offer the ${account.grant} grant; choose one of: ${definition.capabilities.grants.join(', ')}.`,
      { provider: definition.id, field: 'grant' },
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

/**
 * Where the account's secrets may be sent: the origin of its token endpoint (given, or derived
 * from the base URL by its provider's profile), or, for an account that discovers its endpoints,
 * the issuer it discovers them from (discovery checks the metadata names that issuer).
 */
function issuerOf(definition: ProviderDefinition, account: Pick<Account, 'baseUrl' | 'tokenUrl'>): string {
  const tokenUrl = account.tokenUrl ?? definition.profile.endpoints(new URL(account.baseUrl)).tokenUrl;
  return tokenUrl === undefined ? new URL(definition.profile.issuer ?? account.baseUrl).href : new URL(tokenUrl).origin;
}

type SecretEntry = 'tokens' | 'client_secret';

/** The fields of an input that were given (an optional field left out is absent, never undefined, in what it overrides). */
function definedOnly<Input extends object>(input: Input): Partial<Input> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<Input>;
}

function nameTaken(error: unknown, name: string): DossierError | undefined {
  if (!isNameTaken(error)) return undefined;
  return new DossierError('account.exists', `An account named "${name}" already exists; choose another name.`, { field: 'name' });
}

export interface AccountServiceDeps {
  readonly table: AccountsTable;
  readonly vault: Vault;
  readonly events: CoreEvents;
  readonly log: Logger;
}

/**
 * The provider accounts of a profile: their settings in the database, their client secrets in the
 * vault, and their sign-in state, announced as `account.state` whenever it changes.
 */
export class AccountService {
  readonly #table: AccountsTable;
  readonly #vault: Vault;
  readonly #events: CoreEvents;
  readonly #log: Logger;
  /** Each account's manifest as last read, checked and compiled once per text. */
  readonly #manifests = new Map<number, { text: string; manifest: Manifest }>();

  constructor(deps: AccountServiceDeps) {
    this.#table = deps.table;
    this.#vault = deps.vault;
    this.#events = deps.events;
    this.#log = deps.log;
  }

  list(): Account[] {
    return this.#table.list().map((account) => this.#present(account));
  }

  get(id: number): Account {
    const account = this.#table.get(id);
    if (account === undefined) throw new DossierError('account.not_found', `There is no account number ${id}. List the accounts to see which exist.`, { accountId: id });
    return this.#present(account);
  }

  /** The account with this name (in any letter case), or undefined. */
  named(name: string): Account | undefined {
    const account = this.#table.findByName(name);
    return account === undefined ? undefined : this.#present(account);
  }

  findByName(name: string): Account {
    const account = this.named(name);
    if (account === undefined) {
      throw new DossierError('account.not_found', `There is no account named "${name}". Run \`dossier accounts list\` to see the names.`, { name });
    }
    return account;
  }

  /**
   * The manifest the account syncs by, checked and compiled (once per text), or undefined for an
   * account without one. A stored manifest this version refuses is an `input.invalid` naming it.
   */
  manifest(id: number): Manifest | undefined {
    const stored = this.#table.manifest(id);
    if (stored === undefined) {
      this.#manifests.delete(id);
      return undefined;
    }
    const cached = this.#manifests.get(id);
    if (cached?.text === stored.text) return cached.manifest;
    const manifest = loadManifest(stored.text, stored.fileName);
    this.#manifests.set(id, { text: stored.text, manifest });
    return manifest;
  }

  /** The manifests that ship with Dossier, each checked, by the name a user gives. */
  bundledManifests(): { id: string; name: string; documentation: string | null }[] {
    return bundledManifests().map(({ id, fileName, text }) => {
      const manifest = loadManifest(text, fileName);
      return { id, name: manifest.name, documentation: manifest.documentation ?? null };
    });
  }

  /** The manifest file the account keeps (its text as the user gave it), or undefined. */
  manifestFile(id: number): StoredManifest | undefined {
    return this.#table.manifest(id);
  }

  /** What Dossier knows about the account's provider: the catalogue's entry, shaped by the account's manifest if it has one. */
  provider(account: Pick<Account, 'id' | 'provider'>): ProviderDefinition {
    return accountProvider(account.provider, this.manifest(account.id));
  }

  /** Reads and checks a manifest the user chose (a file's text, or a bundled one by name); nothing is stored. */
  chooseManifest(choice: z.output<typeof ManifestChoice>): ChosenManifest {
    const file = 'bundled' in choice ? bundledManifest(choice.bundled) : choice;
    const manifest = loadManifest(file.text, file.fileName);
    return { manifest, stored: { name: manifest.name, fileName: file.fileName, text: file.text } };
  }

  /** The ids of every account, oldest first, with its provider. */
  providers(): { id: number; provider: ProviderId }[] {
    return this.#table.providers();
  }

  async add(input: NewAccount): Promise<Account> {
    const chosen = this.#manifestFor(input.provider, input.manifest);
    const definition = accountProvider(input.provider, chosen?.manifest);
    const given = { ...(chosen === undefined ? {} : manifestSettings(chosen.manifest)), ...definedOnly(input) };
    const grant = given.grant ?? defaultGrant(definition);
    const settings: AccountSettings = {
      name: input.name,
      provider: input.provider,
      grant,
      clientId: input.clientId ?? null,
      baseUrl: given.baseUrl ?? definition.profile.defaultBaseUrl ?? '',
      tokenUrl: given.tokenUrl ?? null,
      authorizeUrl: given.authorizeUrl ?? null,
      scope: given.scope ?? null,
      timeZone: input.timeZone ?? 'UTC',
      redirectPort: await resolveRedirectPort(definition, { grant }, input.redirectPort, null, () => this.#table.redirectPorts()),
    };
    validate(definition, settings, input.clientSecret !== undefined);
    let id: number;
    try {
      id = this.#table.insert(settings, chosen?.stored);
    } catch (error) {
      throw nameTaken(error, input.name) ?? error;
    }
    try {
      if (input.clientSecret !== undefined) await this.setClientSecret(id, input.clientSecret);
    } catch (error) {
      this.#table.remove(id);
      throw error;
    }
    this.#log.info('account.added', { accountId: id, provider: input.provider, grant: settings.grant, manifest: chosen?.stored.fileName });
    return this.get(id);
  }

  /** Applies the given changes; changing how the account signs in drops its tokens (they belong to the old settings). */
  async update(changes: AccountChanges): Promise<Account> {
    const current = this.get(changes.id);
    const provider = changes.provider ?? current.provider;
    const chosen = this.#manifestFor(provider, changes.manifest);
    if (chosen === undefined && provider !== 'oauth2' && current.manifest !== null) {
      throw new DossierError('input.invalid', `"${current.name}" syncs by the manifest ${current.manifest.fileName}, which only a generic OAuth 2.0 account can use; add a new account for ${providers[provider].label}.`, { field: 'provider' });
    }
    const manifest = chosen?.manifest ?? this.manifest(current.id);
    const definition = accountProvider(provider, manifest);
    // A new manifest brings its own sign-in settings; what the user gives now still wins.
    const given = { ...(chosen === undefined ? {} : manifestSettings(chosen.manifest)), ...definedOnly(changes) };
    const grant = given.grant ?? current.grant;
    const next: AccountSettings = {
      name: changes.name ?? current.name,
      provider,
      baseUrl: given.baseUrl ?? current.baseUrl,
      tokenUrl: given.tokenUrl ?? current.tokenUrl,
      authorizeUrl: given.authorizeUrl ?? current.authorizeUrl,
      clientId: changes.clientId ?? current.clientId,
      grant,
      scope: given.scope ?? current.scope,
      timeZone: changes.timeZone ?? current.timeZone,
      // A new port needs no new sign-in: the token record keeps the redirect URI its code was issued for.
      redirectPort: await resolveRedirectPort(definition, { grant }, changes.redirectPort, current.redirectPort, () => this.#table.redirectPorts()),
    };
    const hasSecret = changes.clientSecret !== undefined || (await this.clientSecret(current.id)) !== undefined;
    validate(definition, next, hasSecret);
    const signInChanged =
      next.provider !== current.provider || next.baseUrl !== current.baseUrl || next.tokenUrl !== current.tokenUrl ||
      next.clientId !== current.clientId || next.grant !== current.grant || next.scope !== current.scope || changes.clientSecret !== undefined ||
      (chosen !== undefined && issuerOf(definition, next) !== issuerOf(this.provider(current), current));
    try {
      this.#table.update(current.id, next, chosen?.stored);
    } catch (error) {
      throw nameTaken(error, next.name) ?? error;
    }
    if (signInChanged) {
      await this.#vault.deletePrefix(accountKeyPrefix(current.id));
      if (changes.clientSecret !== undefined) await this.setClientSecret(current.id, changes.clientSecret);
      return this.setState(current.id, 'signed_out', 'The sign-in settings changed; sign in again.');
    }
    return this.get(current.id);
  }

  /** Removes the account, its cached data (foreign keys cascade) and every secret of it in the vault. */
  async remove(id: number): Promise<boolean> {
    this.get(id);
    await this.#vault.deletePrefix(accountKeyPrefix(id));
    const removed = this.#table.remove(id);
    this.#log.info('account.removed', { accountId: id });
    return removed;
  }

  /** The account's current token pair, if one is stored and bound to this account, provider and issuer. */
  async readTokens(id: number): Promise<TokenRecord | undefined> {
    const value = await this.#readBound(id, 'tokens', tokensKey(id));
    if (value === undefined) return undefined;
    const record = asTokenRecord(value);
    if (record === undefined) this.#log.warn('secrets.binding_refused', { accountId: id, entry: 'tokens', reason: 'unreadable' });
    return record;
  }

  /** One vault write holds the whole pair and its binding, so a rotated refresh token and its access token are saved together or not at all. */
  async writeTokens(id: number, record: TokenRecord): Promise<void> {
    await this.#vault.set(tokensKey(id), bindSecret(this.#binding(id), record));
  }

  async forgetTokens(id: number): Promise<void> {
    await this.#vault.delete(tokensKey(id));
  }

  /** The client secret of the account's API application, if one is stored and bound to this account. */
  async clientSecret(id: number): Promise<string | undefined> {
    const value = await this.#readBound(id, 'client_secret', clientSecretKey(id));
    return typeof value === 'string' ? value : undefined;
  }

  async setClientSecret(id: number, secret: string): Promise<void> {
    await this.#vault.set(clientSecretKey(id), bindSecret(this.#binding(id), secret));
  }

  /** Records the account's sign-in state and tells the UI (`account.state`); unchanged states are not re-announced. */
  setState(id: number, state: AccountState, message: string | null): Account {
    const before = this.get(id);
    if (before.state === state && before.stateMessage === message) return before;
    this.#table.setState(id, state, message);
    const after = this.get(id);
    this.#events.emit('account.state', after);
    return after;
  }

  markSynced(id: number, at: string): void {
    this.#table.markSynced(id, at);
  }

  #binding(id: number): SecretBinding {
    const binding = this.#expectedBinding(id);
    if (binding === undefined) throw new DossierError('internal', `Account ${id} has no identity to bind its secrets to; remove it and add it again.`, { accountId: id });
    return binding;
  }

  #expectedBinding(id: number): SecretBinding | undefined {
    const account = this.get(id);
    const accountUid = this.#table.uid(id);
    return accountUid === undefined ? undefined : { accountUid, provider: account.provider, issuer: issuerOf(this.provider(account), account) };
  }

  /** The manifest an account is given, checked; only a generic OAuth 2.0 account takes one. */
  #manifestFor(provider: ProviderId, choice: NewAccount['manifest']): ChosenManifest | undefined {
    if (choice === undefined) return undefined;
    if (provider !== 'oauth2') {
      throw new DossierError('input.invalid', `${providers[provider].label} has its own connector; a manifest is for an "${providers.oauth2.label}" account.`, { field: 'manifest' });
    }
    return this.chooseManifest(choice);
  }

  /** The account with what its provider, or its manifest, can bring. A stored manifest this version refuses leaves it signing in only, and says so in the log. */
  #present(account: StoredAccount): Account {
    let definition: ProviderDefinition;
    try {
      definition = this.provider(account);
    } catch (error) {
      this.#log.warn('accounts.manifest_unreadable', { accountId: account.id, error });
      definition = providers[account.provider];
    }
    return { ...account, capabilities: definition.capabilities };
  }

  /** A vault entry of the account, opened only if its binding matches; a mismatch is logged (never the secret) and treated as absent. */
  async #readBound(id: number, entry: SecretEntry, key: string): Promise<unknown> {
    const text = await this.#vault.get(key);
    if (text === undefined) return undefined;
    const expected = this.#expectedBinding(id);
    const opened = expected === undefined ? { refused: 'account' as const } : openBoundSecret(text, expected);
    if ('refused' in opened) {
      this.#log.warn('secrets.binding_refused', { accountId: id, entry, reason: opened.refused });
      return undefined;
    }
    return opened.value;
  }
}
