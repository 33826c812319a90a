import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { CoreDeps } from '../../api/deps.ts';
import { findAccountByName } from '../../accounts/store.ts';
import { FileVault } from '../../auth/file-vault.ts';
import { signIn } from '../../auth/login.ts';
import { openCliVault, readSecret } from '../../auth/secret-input.ts';
import { clientSecretKey } from '../../auth/tokens.ts';
import { openCore } from '../../context.ts';
import { DossierError } from '../../errors.ts';
import { CoreEvents } from '../../events.ts';
import type { CommandContext } from '../io.ts';
import { describeAccount, needsClientSecret } from './accounts.ts';

/** Opens the system browser without a shell; failures are ignored because the URL is printed anyway. */
function openInSystemBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The printed URL is the fallback.
  }
}

/**
 * The vault for a sign-in. One that cannot be decrypted is moved aside (kept, never deleted) and
 * a new one started: the sign-in then fills it again, and the database is not touched.
 */
async function vaultForSignIn(ctx: CommandContext, file: string): Promise<FileVault> {
  try {
    return await openCliVault(ctx, file);
  } catch (error) {
    if (!(error instanceof DossierError) || error.code !== 'vault.undecryptable') throw error;
    const aside = FileVault.setAside(file);
    ctx.stderr.write(
      `The secret vault could not be decrypted, so a new one is started and each account signs in again; your cached data is untouched.\n` +
        `The old vault was kept as ${aside ?? file}: if the passphrase was only mistyped, move it back to ${file}.\n`,
    );
    return openCliVault(ctx, file);
  }
}

export function registerLogin(program: Command, context: () => CommandContext): void {
  program
    .command('login')
    .description('sign an account in: prints the authorize URL and waits for the browser to come back; a pasted token is read from DOSSIER_TOKEN or standard input')
    .argument('<name>', 'the account name')
    .option('--no-browser', 'only print the authorize URL, do not open the browser')
    .option('--timeout <seconds>', 'how long to wait for the browser', '300')
    .action(async (name: string, options: { browser: boolean; timeout: string }) => {
      const ctx = context();
      const timeoutSeconds = Number(options.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new DossierError('input.invalid', '--timeout must be a positive number of seconds.');
      const core = openCore(ctx.dataDir);
      try {
        const account = findAccountByName(core.db, name);
        const vault = await vaultForSignIn(ctx, core.paths.vault);
        if (needsClientSecret(account.provider, account.grant) && (await vault.get(clientSecretKey(account.id))) === undefined) {
          const secret = await readSecret(ctx, 'DOSSIER_CLIENT_SECRET', `Client secret for ${account.name}: `);
          if (secret === undefined) {
            throw new DossierError('input.invalid', `The vault holds no client secret for "${account.name}": give it in DOSSIER_CLIENT_SECRET or on standard input.`);
          }
          await vault.set(clientSecretKey(account.id), secret);
        }
        const token = account.grant === 'token' ? await readSecret(ctx, 'DOSSIER_TOKEN', `Access token for ${account.name}: `) : undefined;
        const deps: CoreDeps = {
          context: core,
          events: new CoreEvents(),
          vault,
          host: 'cli',
          documentUrl: (id) => `dossier://document/${id}`,
          openExternal: async (url) => {
            if (ctx.json) ctx.stderr.write(`${JSON.stringify({ authorizeUrl: url })}\n`);
            else ctx.stdout.write(`Open this address in your browser to sign in (waiting up to ${timeoutSeconds} s):\n${url}\n`);
            if (options.browser) openInSystemBrowser(url);
          },
        };
        const signedIn = await signIn(deps, account.id, { token, timeoutMs: timeoutSeconds * 1000 });
        ctx.print(signedIn, `Signed in: ${describeAccount(signedIn)}`);
      } finally {
        core.close();
      }
    });
}
