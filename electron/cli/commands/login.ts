import type { Command } from 'commander';
import { DossierError } from '../../core/base/errors.ts';
import { dataPaths } from '../../core/base/paths.ts';
import { openWithDesktop } from '../../host/open.ts';
import { readSecret } from '../../host/secret-input.ts';
import { cliVault, withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';
import { describeAccount, needsClientSecret, redirectLine } from './accounts.ts';

export function registerLogin(program: Command, context: () => CommandContext): void {
  program
    .command('login')
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
        if (options.browser) await openWithDesktop(url, dataPaths(ctx.dataDir).temp).catch(() => undefined);
      };
      const vault = cliVault(ctx);
      await withCore(ctx, async ({ services: { accounts, auth } }) => {
        const account = accounts.findByName(name);
        if (needsClientSecret(account.provider, account.grant) && (await accounts.clientSecret(account.id)) === undefined) {
          const secret = await readSecret(ctx, 'DOSSIER_CLIENT_SECRET', `Client secret for ${account.name}: `);
          if (secret === undefined) {
            throw new DossierError('input.invalid', `The vault holds no client secret for "${account.name}": give it in DOSSIER_CLIENT_SECRET or on standard input.`);
          }
          await accounts.setClientSecret(account.id, secret);
        }
        const token = account.grant === 'token' ? await readSecret(ctx, 'DOSSIER_TOKEN', `Access token for ${account.name}: `) : undefined;
        // Said before the browser opens: a provider that refuses the redirect URI never sends the browser back.
        if (account.redirectPort !== null && !ctx.json) ctx.stdout.write(`${redirectLine(account).trim()}\n`);
        const signedIn = await auth.signIn(account.id, { token, timeoutMs: timeoutSeconds * 1000 });
        ctx.print(signedIn, `Signed in: ${describeAccount(signedIn)}`);
      }, { vault, openExternal });
    });
}
