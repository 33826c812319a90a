import { InvalidArgumentError, type Command } from 'commander';
import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { EventPayload } from '../../../shared/contract.ts';
import { DossierError } from '../../core/base/errors.ts';
import type { Core } from '../../core/core.ts';
import type { ExportOutcome } from '../../core/export/output.ts';
import type { ExportKind, ExportService } from '../../core/export/service.ts';
import { withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';

interface SelectionOptions {
  readonly out: string;
  readonly force?: boolean;
  readonly account?: string;
  readonly job?: string;
  readonly view?: string;
  readonly shortlisted?: boolean;
  readonly application?: number[];
}

/** A job given by its local id or by the provider's id (within --account when two accounts share it). */
function jobId(core: Core, job: string, account: number | undefined): number {
  const ids = core.storage.jobs.idsMatching(job, account);
  if (ids.length === 0) throw new DossierError('input.invalid', `There is no job with id "${job}"${account === undefined ? '' : ' in that account'}. The job ids are listed in the app's job list.`, { field: 'job' });
  if (ids.length > 1 && ids.filter((id) => String(id) === job).length !== 1) {
    throw new DossierError('input.invalid', `Several accounts have a job "${job}". Add --account NAME to say which one.`, { field: 'job' });
  }
  return ids[0] as number;
}

function viewId(core: Core, view: string): number {
  const found = core.services.review.views().find((saved) => saved.name === view || String(saved.id) === view);
  if (!found) throw new DossierError('input.invalid', `There is no saved view "${view}". Save the view in the app first, or pass its id.`, { field: 'view' });
  return found.id;
}

function accountId(core: Core, name: string): number {
  const account = core.services.accounts.named(name);
  if (!account) throw new DossierError('account.not_found', `There is no account called "${name}". See the names with: dossier accounts list`, { account: name });
  return account.id;
}

function selectionOf(core: Core, options: SelectionOptions): ExportSelection {
  const account = options.account === undefined ? undefined : accountId(core, options.account);
  return {
    ...(account === undefined ? {} : { accountId: account }),
    ...(options.job === undefined ? {} : { jobId: jobId(core, options.job, account) }),
    ...(options.view === undefined ? {} : { viewId: viewId(core, options.view) }),
    ...(options.shortlisted ? { shortlisted: true } : {}),
    ...(options.application === undefined ? {} : { applicationIds: options.application }),
  };
}

function positiveInteger(value: string, previous: number[] | undefined): number[] {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('an application id is a positive whole number');
  return [...(previous ?? []), parsed];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** Progress on a terminal only, on one rewritten stderr line; pipes and --json stay clean. */
function progressPrinter(ctx: CommandContext): (progress: EventPayload<'export.progress'>) => void {
  if (ctx.json || !ctx.stderr.isTTY) return () => undefined;
  return ({ kind, ...progress }) => {
    ctx.stderr.write(`\r${kind}: ${progress.done}/${progress.total}${progress.current ? ` ${progress.current.slice(0, 40)}` : ''}\u001b[K`);
    if (progress.done === progress.total) ctx.stderr.write('\n');
  };
}

const what: Record<ExportKind, string> = { letters: 'entries', packets: 'packets', applicants: 'applications', interviews: 'interviews' };

async function runExport(ctx: CommandContext, kind: ExportKind, options: SelectionOptions, run: (service: ExportService, selection: ExportSelection, signal: AbortSignal) => Promise<ExportOutcome>): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    await withCore(ctx, async (core) => {
      const selection = selectionOf(core, options);
      core.events.on('export.progress', progressPrinter(ctx));
      const outcome = await run(core.services.exports, selection, controller.signal);
      ctx.print(outcome, `Wrote ${outcome.entries} ${what[kind]} to ${outcome.file} (${megabytes(outcome.bytes)}).`);
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function withSelection(command: Command): Command {
  return command
    .requiredOption('--out <file>', 'where to save the export')
    .option('--force', 'replace a file already at --out (without it nothing is overwritten)')
    .option('--account <name>', 'only this account')
    .option('--job <id>', 'only this job (local id or the provider\'s id)')
    .option('--view <name>', 'only the applications a saved view shows')
    .option('--shortlisted', 'only the shortlist (status shortlisted, interview or offer)')
    .option('--application <id>', 'a hand-picked application (repeat for more)', positiveInteger);
}

export function registerExport(program: Command, context: () => CommandContext): void {
  const exportCommand = program.command('export');
  withSelection(exportCommand.command('letters').description('a ZIP of recommendation letters: a folder per applicant and a manifest.csv'))
    .action((options: SelectionOptions) => runExport(context(), 'letters', options, (service, selection, signal) => service.letters({ selection, out: options.out, overwrite: options.force === true }, signal)));
  withSelection(exportCommand.command('packets').description('one PDF per applicant (cover, CV, papers, statements, letters, bookmarks), zipped'))
    .option('--folder', 'write the PDFs into the folder --out instead of one ZIP')
    .option('--include-review', 'put your rating, status and tags on each cover page')
    .action((options: SelectionOptions & { folder?: boolean; includeReview?: boolean }) =>
      runExport(context(), 'packets', options, (service, selection, signal) =>
        service.packets({ selection, out: options.out, overwrite: options.force === true, zip: options.folder !== true, includeReview: options.includeReview === true }, signal)));
  withSelection(exportCommand.command('applicants').description('a CSV of the applicants with your rating, status, tags and notes'))
    .action((options: SelectionOptions) => runExport(context(), 'applicants', options, (service, selection, signal) => service.applicants({ selection, out: options.out, overwrite: options.force === true }, signal)));
  withSelection(exportCommand.command('interviews').description('an iCalendar (.ics) file of the interviews'))
    .action((options: SelectionOptions) => runExport(context(), 'interviews', options, (service, selection, signal) => service.interviews({ selection, out: options.out, overwrite: options.force === true }, signal)));
}
