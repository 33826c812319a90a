import type { Command } from 'commander';
import { DossierError } from '../../core/base/errors.ts';
import { dataPaths } from '../../core/base/paths.ts';
import { clientSecretKey } from '../../core/secrets/tokens.ts';
import { FileVault } from '../../host/file-vault.ts';
import { openWithDesktop } from '../../host/open.ts';
import { openCliVault, readSecret } from '../../host/secret-input.ts';
import { vaultOnFirstUse, withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';
import { describeAccount, needsClientSecret } from './accounts.ts';

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
      const openExternal = async (url: string): Promise<void> => {
        if (ctx.json) ctx.stderr.write(`${JSON.stringify({ authorizeUrl: url })}\n`);
        else ctx.stdout.write(`Open this address in your browser to sign in (waiting up to ${timeoutSeconds} s):\n${url}\n`);
        // The printed address is the way on when no browser opens.
        if (options.browser) await openWithDesktop(url).catch(() => undefined);
      };
      const vault = vaultOnFirstUse(() => vaultForSignIn(ctx, dataPaths(ctx.dataDir).vault));
      await withCore(ctx, async ({ services: { accounts, auth } }) => {
        const account = accounts.findByName(name);
        if (needsClientSecret(account.provider, account.grant) && (await vault.get(clientSecretKey(account.id))) === undefined) {
          const secret = await readSecret(ctx, 'DOSSIER_CLIENT_SECRET', `Client secret for ${account.name}: `);
          if (secret === undefined) {
            throw new DossierError('input.invalid', `The vault holds no client secret for "${account.name}": give it in DOSSIER_CLIENT_SECRET or on standard input.`);
          }
          await vault.set(clientSecretKey(account.id), secret);
        }
        const token = account.grant === 'token' ? await readSecret(ctx, 'DOSSIER_TOKEN', `Access token for ${account.name}: `) : undefined;
        const signedIn = await auth.signIn(account.id, { token, timeoutMs: timeoutSeconds * 1000 });
        ctx.print(signedIn, `Signed in: ${describeAccount(signedIn)}`);
      }, { vault, openExternal });
    });
}
