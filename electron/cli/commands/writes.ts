import type { Command } from 'commander';
import type { OutboxItem } from '../../../shared/domain.ts';
import { DossierError } from '../../core/base/errors.ts';
import type { Core } from '../../core/core.ts';
import { withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';

/** A job given by its local id or the provider's id, within one account. */
function jobIn(core: Core, job: string, accountId: number): number {
  const [id] = core.storage.jobs.idsMatching(job, accountId);
  if (id === undefined) throw new DossierError('input.invalid', `The account has no job with id "${job}". Run the command without --job to list the jobs it can take.`, { field: 'job' });
  return id;
}

function accountNamed(core: Core, name: string): number {
  const account = core.services.accounts.named(name);
  if (!account) throw new DossierError('account.not_found', `There is no account called "${name}". See the names with: dossier accounts list`, { account: name });
  return account.id;
}

function positiveId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new DossierError('input.invalid', `"${value}" is not an id (a whole number from 1).`);
  return id;
}

/** `--answer QUESTION=VALUE`, repeatable. */
function collectAnswer(value: string, previous: { questionId: string; value: string }[] = []): { questionId: string; value: string }[] {
  const split = value.indexOf('=');
  if (split < 1) throw new DossierError('input.invalid', `--answer takes QUESTION_ID=ANSWER, got "${value}".`);
  return [...previous, { questionId: value.slice(0, split), value: value.slice(split + 1) }];
}

function queued(ctx: CommandContext, core: Core, item: OutboxItem): void {
  const account = core.services.accounts.get(item.accountId).name;
  ctx.print({ item }, `Queued #${item.id}: ${item.summary}. It is sent with the next: dossier sync "${account}" (withdraw it before then with: dossier outbox withdraw ${item.id})`);
}

/** Writes to providers through the outbox: apply a person to another job, delete a posting, and the queue itself. */
export function registerWrites(program: Command, context: () => CommandContext): void {
  program
    .command('apply')
    .requiredOption('--application <id>', 'the application whose person applies (its id in `dossier search` or the app)', positiveId)
    .option('--job <id>', 'the job to apply to (local or provider id)')
    .option('--answer <question=value>', "an answer to one of the job's questions, repeatable", collectAnswer)
    .action((options: { application: number; job?: string; answer?: { questionId: string; value: string }[] }) => {
      const ctx = context();
      return withCore(ctx, (core) => {
        const { outbox } = core.services;
        const targets = outbox.applyTargets(options.application);
        if (!targets.offered) throw new DossierError('provider.unsupported', targets.reason ?? 'This account\'s provider does not let Dossier apply applicants to jobs.');
        if (options.job === undefined) {
          const human = targets.jobs.length === 0
            ? 'This person has applied to every job the account lists.'
            : targets.jobs
                .map((job) => [`job ${job.jobId}  ${job.title}${job.status ? ` (${job.status})` : ''}`, ...job.questions.map((question) => `    --answer ${question.id}=…  ${question.name}${question.choices.length > 0 ? ` [${question.choices.join(' | ')}]` : ''}`)].join('\n'))
                .join('\n');
          ctx.print(targets, human);
          return;
        }
        const source = core.storage.writeSources.application(options.application);
        const jobId = jobIn(core, options.job, source?.accountId ?? 0);
        queued(ctx, core, outbox.applyToJob({ applicationId: options.application, jobId, answers: options.answer ?? [] }));
      });
    });

  program
    .command('postings')
    .command('delete')
    .description('delete a posting from its board; queued, sent by the next sync (the posting leaves the job list with that sync)')
    .argument('<job>', 'the posting (local or provider id)')
    .requiredOption('--account <name>', 'the board account')
    .action((job: string, options: { account: string }) => {
      const ctx = context();
      return withCore(ctx, (core) => queued(ctx, core, core.services.outbox.deletePosting(jobIn(core, job, accountNamed(core, options.account)))));
    });

  const outbox = program.command('outbox');
  outbox
    .command('list')
    .description('every queued change with its state (pending, sending, sent, failed) and, for a failure, the reason')
    .action(() => {
      const ctx = context();
      return withCore(ctx, (core) => {
        const items = core.services.outbox.list();
        const human = items.length === 0 ? 'Nothing queued.' : items.map((item) => `#${item.id}  ${item.state.padEnd(7)}  ${item.summary}${item.lastError ? `\n          ${item.lastError}` : ''}`).join('\n');
        ctx.print({ items }, human);
      });
    });
  outbox
    .command('withdraw')
    .description('take back a change that is not on its way yet (pending or failed)')
    .argument('<id>', 'the change, as `dossier outbox list` numbers it', positiveId)
    .action((id: number) => {
      const ctx = context();
      return withCore(ctx, (core) => {
        core.services.outbox.withdraw(id);
        ctx.print({ withdrawn: id }, `Withdrew #${id}; it will not be sent.`);
      });
    });
}
