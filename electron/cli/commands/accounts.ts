import { Option, type Command } from 'commander';
import { parseInput, type ApiParsedInput } from '../../../shared/contract.ts';
import { grantTypes, providerIds, type Account, type GrantType, type ProviderId } from '../../../shared/domain.ts';
import { DossierError } from '../../core/base/errors.ts';
import { providers } from '../../core/providers/catalogue.ts';
import { bundledManifest, loadManifest } from '../../core/providers/manifests.ts';
import { readSecret } from '../../host/secret-input.ts';
import { cliVault, withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';
import { manifestChoice } from './manifest-file.ts';

type ParsedManifestChoice = NonNullable<ApiParsedInput<'accounts.add'>['manifest']>;

interface AddOptions {
  provider: ProviderId;
  name: string;
  baseUrl?: string;
  tokenUrl?: string;
  authorizeUrl?: string;
  clientId?: string;
  grant?: GrantType;
  scope?: string;
  timeZone?: string;
  redirectPort?: string;
  manifest?: string;
}

/** Whether the account's sign-in needs the app's client secret (only a public oauth2 client can do without). */
export function needsClientSecret(provider: ProviderId, grant: GrantType): boolean {
  if (grant === 'token') return false;
  return grant === 'client_credentials' || provider !== 'oauth2';
}

export function describeAccount(account: Account): string {
  const message = account.stateMessage === null ? '' : `\n  ${account.stateMessage}`;
  const provider = account.manifest === null ? providers[account.provider].label : `${account.manifest.name}, manifest ${account.manifest.fileName}`;
  return `${account.name} (${provider}, ${account.grant}) — ${account.state.replace('_', ' ')} — ${account.baseUrl}${message}${redirectLine(account)}`;
}

/** The redirect URI the user registers with the provider, and where, for an account that signs in through the browser. */
export function redirectLine(account: Account): string {
  if (account.redirectUri === null) return '';
  const { label, redirectSetting } = providers[account.provider];
  const where = redirectSetting ?? `${label}'s settings`;
  return account.redirectPort === null
    ? `\n  Redirect URI: ${account.redirectUri} (any port; if ${label} wants the exact URI, give the account a fixed one with --redirect-port)`
    : `\n  Redirect URI to register in ${where}: ${account.redirectUri}`;
}

/** `--redirect-port`: a number, `auto` or `any`, as the contract takes it. */
function redirectPortOption(value: string | undefined): number | 'auto' | 'any' | undefined {
  if (value === undefined || value === 'auto' || value === 'any') return value;
  if (!/^\d+$/.test(value)) throw new DossierError('input.invalid', `--redirect-port must be a port number, "auto" or "any", not "${value}".`);
  return Number(value);
}

/** The grant a manifest signs in with, read before the client secret is asked for (the core checks the manifest again when it adds the account). */
function manifestGrant(choice: ParsedManifestChoice | undefined): GrantType | undefined {
  if (choice === undefined) return undefined;
  const file = 'bundled' in choice ? bundledManifest(choice.bundled) : choice;
  const { auth } = loadManifest(file.text, file.fileName);
  return auth.type === 'token' ? 'token' : auth.grant;
}

export function registerAccounts(program: Command, context: () => CommandContext): void {
  const accounts = program.command('accounts');

  accounts
    .command('add')
    .description('add an account; the client secret is read from DOSSIER_CLIENT_SECRET or standard input, never from arguments')
    .addOption(new Option('--provider <id>', 'the provider').choices(providerIds).makeOptionMandatory())
    .requiredOption('--name <name>', 'a name for this account')
    .option('--base-url <url>', "the provider API's base URL (default: the provider's public one)")
    .option('--token-url <url>', 'the token endpoint (default: derived from the base URL)')
    .option('--authorize-url <url>', 'the authorization endpoint (default: derived from the base URL)')
    .option('--client-id <id>', 'the client id of your API application')
    .addOption(new Option('--grant <grant>', "how to sign in (default: the provider's first)").choices(grantTypes))
    .option('--scope <scope>', 'the scope to ask for')
    .option('--time-zone <zone>', 'the IANA time zone the provider writes its dates in (EconJobMarket sends none)')
    .option('--redirect-port <port>', 'browser sign-in: the loopback port of the redirect URI you registered, "auto" (a free one, kept) or "any" (new each time; generic OAuth 2.0 only)')
    .option('--manifest <file|name>', 'oauth2 only: the provider manifest to sync by (a file, or a bundled one: dossier manifest list); its auth section fills the settings not given')
    .addHelpText('after', `\nWhere to find the values:\n${providerIds.map((id) => `  ${id} (${providers[id].label}; grants: ${providers[id].capabilities.grants.join(', ')})\n    ${providers[id].setupHelp}`).join('\n')}`)
    .action(async (options: AddOptions) => {
      const ctx = context();
      const manifest = options.manifest === undefined ? undefined : await manifestChoice(options.manifest);
      const parsed = parseInput('accounts.add', { ...options, manifest, redirectPort: redirectPortOption(options.redirectPort) });
      if (!parsed.ok) throw new DossierError('input.invalid', parsed.message);
      const input = parsed.value;
      const grant = input.grant ?? manifestGrant(input.manifest) ?? providers[input.provider].capabilities.grants[0] ?? 'token';
      const secretPrompt = needsClientSecret(input.provider, grant) ? `Client secret for ${input.name}: ` : undefined;
      const clientSecret = grant === 'token' ? undefined : await readSecret(ctx, 'DOSSIER_CLIENT_SECRET', secretPrompt);
      // The vault opens before anything is written, so a wrong passphrase leaves no half-added account.
      const vault = cliVault(ctx);
      await vault.unlock();
      await withCore(ctx, async (core) => {
        const account = await core.services.accounts.add({ ...input, clientSecret });
        const next =
          account.grant === 'client_credentials' ? 'Check the credentials with' : account.redirectPort === null ? 'Sign in with' : 'Register that redirect URI first, then sign in with';
        ctx.print(account, `Added ${describeAccount(account)}\n${next}: dossier login "${account.name}"`);
      }, { vault });
    });

  accounts
    .command('update')
    .description('change an account\'s settings: what changes how it signs in signs it out; a new client secret is read from DOSSIER_CLIENT_SECRET or standard input with --new-secret')
    .argument('<name>', 'the account name')
    .option('--rename <name>', 'a new name for the account')
    .option('--base-url <url>', "the provider API's base URL")
    .option('--token-url <url>', 'the token endpoint')
    .option('--authorize-url <url>', 'the authorization endpoint')
    .option('--client-id <id>', 'the client id of your API application')
    .option('--scope <scope>', 'the scope to ask for')
    .option('--time-zone <zone>', 'the IANA time zone the provider writes its dates in')
    .option('--redirect-port <port>', 'browser sign-in: the loopback port of the redirect URI you registered, "auto" or "any"')
    .option('--manifest <file|name>', 'oauth2 only: a new provider manifest (the next sync maps everything again)')
    .option('--new-secret', 'read a new client secret')
    .action(async (name: string, options: Omit<AddOptions, 'provider' | 'name' | 'grant'> & { rename?: string; newSecret?: boolean }) => {
      const ctx = context();
      const { rename, newSecret, ...settings } = options;
      const manifest = settings.manifest === undefined ? undefined : await manifestChoice(settings.manifest);
      const changes = { ...settings, ...(rename === undefined ? {} : { name: rename }), manifest, redirectPort: redirectPortOption(settings.redirectPort) };
      const clientSecret = newSecret === true ? await readSecret(ctx, 'DOSSIER_CLIENT_SECRET', `New client secret for ${name}: `) : undefined;
      const vault = cliVault(ctx);
      // A change that signs the account out removes its tokens from the vault, so it opens first, as for `add`.
      await vault.unlock();
      await withCore(ctx, async (core) => {
        const current = core.services.accounts.findByName(name);
        const parsed = parseInput('accounts.update', { id: current.id, ...changes, ...(clientSecret === undefined ? {} : { clientSecret }) });
        if (!parsed.ok) throw new DossierError('input.invalid', parsed.message);
        const account = await core.services.accounts.update(parsed.value);
        const next = account.state === 'signed_out' && current.state !== 'signed_out' ? `\nIts sign-in settings changed, so it is signed out: dossier login "${account.name}"` : '';
        ctx.print(account, `Updated ${describeAccount(account)}${next}`);
      }, { vault });
    });

  accounts
    .command('list')
    .description('list the accounts and their sign-in state')
    .action(() => {
      const ctx = context();
      return withCore(ctx, (core) => {
        const all = core.services.accounts.list();
        ctx.print(all, all.length === 0 ? 'No accounts yet. Add one with: dossier accounts add --provider <id> --name NAME' : all.map(describeAccount).join('\n'));
      });
    });

  accounts
    .command('remove')
    .description('remove an account, its cached data and its secrets')
    .argument('<name>', 'the account name')
    .action(async (name: string) => {
      const ctx = context();
      await withCore(ctx, async ({ services: { accounts, auth } }) => {
        const account = accounts.findByName(name);
        const { removed, revocation } = await auth.removeAccount(account.id);
        ctx.print({ removed, name: account.name, revocation }, `Removed ${account.name}, its cached data and its secrets.\n${revocation.message}`);
      });
    });
}
