import type { Command } from 'commander';
import type { z } from 'zod';
import type { ManifestSummary } from '../../../shared/api/accounts.ts';
import { parseInput } from '../../../shared/contract.ts';
import { DossierError } from '../../core/base/errors.ts';
import { summarizeManifest } from '../../core/providers/manifest-summary.ts';
import type { DryRunResult } from '../../core/sync/engine.ts';
import { withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';
import { manifestChoice } from './manifest-file.ts';

function describeSummary(summary: z.output<typeof ManifestSummary>): string {
  const { auth } = summary;
  const signIn =
    auth.type === 'token'
      ? 'a pasted token or API key'
      : `OAuth 2.0 ${auth.grant}${auth.issuer === null ? '' : `, discovered from ${auth.issuer}`}${auth.tokenUrl === null ? '' : `, token ${auth.tokenUrl}`}` +
        `${auth.authorizeUrl === null ? '' : `, authorize ${auth.authorizeUrl}`}${auth.scope === null ? '' : `, scope "${auth.scope}"`}${auth.grant === 'authorization_code' ? `, redirect ${auth.redirect}` : ''}`;
  return [
    `${summary.fileName}: ${summary.name} — valid`,
    `  API: ${summary.baseUrl}${summary.documentation === null ? '' : ` (documented at ${summary.documentation})`}`,
    `  Sign-in: ${signIn}; token in ${auth.placement}`,
    ...summary.resources.map((resource) => `  ${resource.name}: ${resource.source}; ${resource.paging}${resource.incremental ? '; incremental' : ''}\n    fields: ${resource.fields.join(', ')}`),
  ].join('\n');
}

/** A record as the dry run shows it: the mapped fields, its raw reply left out (it can be large, and is the provider's, not the mapping's). */
function shown(record: unknown): unknown {
  if (record === null || typeof record !== 'object') return record;
  return Object.fromEntries(Object.entries(record).filter(([field]) => field !== 'raw' && field !== 'rawJson'));
}

function describeDryRun(accountName: string, result: DryRunResult): string {
  const kinds = Object.entries(result.kinds);
  const lines = [`Dry run through "${accountName}": the first page of each list, nothing stored:`];
  if (kinds.length === 0) lines.push('  no records');
  for (const [kind, found] of kinds) {
    lines.push(`  ${kind}: ${found.count}${found.complete ? ' (the whole list)' : ' (first page; a sync reads the rest)'}`);
    if (found.first !== null) lines.push(`    first: ${JSON.stringify(shown(found.first))}`);
  }
  if (result.unfinished.length > 0) lines.push(`  lists with more pages: ${result.unfinished.join(', ')}`);
  return lines.join('\n');
}

export function registerManifest(program: Command, context: () => CommandContext): void {
  const manifest = program.command('manifest');

  manifest
    .command('check')
    .description('check a manifest and print what it describes; with --account, also read what a sync of that account would store, storing nothing')
    .argument('<file>', 'the manifest file, or the name of one that ships with Dossier')
    .option('--account <name>', 'a generic OAuth 2.0 account, signed in, whose session the dry run reads through')
    .action(async (file: string, options: { account?: string }) => {
      const ctx = context();
      const parsed = parseInput('manifests.check', { manifest: await manifestChoice(file) });
      if (!parsed.ok) throw new DossierError('input.invalid', `${file}: ${parsed.message}`);
      const choice = parsed.value.manifest;
      await withCore(ctx, async ({ services: { accounts, sync } }) => {
        const chosen = accounts.chooseManifest(choice);
        const summary = summarizeManifest(chosen.manifest, chosen.stored.fileName);
        if (options.account === undefined) {
          ctx.print(summary, describeSummary(summary));
          return;
        }
        const account = accounts.findByName(options.account);
        if (account.manifest === null || account.provider !== 'oauth2') {
          throw new DossierError('input.invalid', `"${account.name}" has no manifest; a dry run reads through a generic OAuth 2.0 account added with --manifest.`, { name: account.name });
        }
        // The dry run reads through the account's own manifest: check that it is this one, or say which one it would use.
        if (accounts.manifestFile(account.id)?.text !== chosen.stored.text) {
          throw new DossierError('input.invalid', `"${account.name}" syncs by ${account.manifest.fileName}, not this manifest. Check it without --account, or add an account with it.`, { name: account.name });
        }
        const dryRun = await sync.dryRun(account.id);
        ctx.print({ manifest: summary, account: account.name, dryRun: { ...dryRun, kinds: Object.fromEntries(Object.entries(dryRun.kinds).map(([kind, found]) => [kind, { ...found, first: shown(found.first) }])) } }, `${describeSummary(summary)}\n${describeDryRun(account.name, dryRun)}`);
      });
    });

  manifest
    .command('list')
    .description('the manifests that ship with Dossier, by the name --manifest takes')
    .action(async () => {
      const ctx = context();
      await withCore(ctx, ({ services: { accounts } }) => {
        const bundled = accounts.bundledManifests();
        ctx.print(bundled, bundled.length === 0 ? 'No manifests ship with this build.' : bundled.map((entry) => `${entry.id}  ${entry.name}${entry.documentation === null ? '' : ` — ${entry.documentation}`}`).join('\n'));
      });
    });
}
