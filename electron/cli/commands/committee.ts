import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { z } from 'zod';
import { TallyFilter, TallySort, type Committee, type CommitteeMember, type Tally } from '../../../shared/api/committee.ts';
import type { ApiInput, ApiName, ApiResult } from '../../../shared/contract.ts';
import { DossierError } from '../../core/base/errors.ts';
import type { Core } from '../../core/core.ts';
import { readSecret } from '../../host/secret-input.ts';
import { withCore } from '../core.ts';
import type { CommandContext } from '../io.ts';
import { untilInterrupted } from '../signals.ts';

/** A committee call through the same dispatch the app uses, so the command line checks its input as the contract does. */
async function call<Name extends ApiName>(core: Core, name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
  const outcome = await core.dispatch(name, input);
  if (!outcome.ok) throw new DossierError(outcome.error.code, outcome.error.message, 'detail' in outcome.error ? outcome.error.detail : undefined);
  return outcome.result as ApiResult<Name>;
}

/**
 * A committee named by its id or (in any letter case) its name, once it has caught up with its
 * server (or is found offline): a command reads what the other members wrote since its last run.
 */
async function committeeNamed(core: Core, given: string): Promise<Committee> {
  const committees = await call(core, 'committee.list', {});
  const found = committees.filter((committee) => committee.id === given || committee.name.toLowerCase() === given.toLowerCase());
  if (found.length === 1) {
    const committee = found[0] as Committee;
    await core.services.committees.settle(committee.id);
    return committee;
  }
  if (found.length > 1) throw new DossierError('input.invalid', `Several committees are called “${given}”; give its id instead (dossier committee list).`, { committee: given });
  throw new DossierError('input.invalid', `This machine is in no committee “${given}”. See them with: dossier committee list`, { committee: given });
}

function accountNamed(core: Core, name: string): number {
  const account = core.services.accounts.named(name);
  if (!account) throw new DossierError('account.not_found', `There is no account called "${name}". See the names with: dossier accounts list`, { account: name });
  return account.id;
}

/** A job by its local id or the provider's id, within the account. */
function jobOf(core: Core, job: string, accountId: number): number {
  const [id] = core.storage.jobs.idsMatching(job, accountId);
  if (id === undefined) throw new DossierError('input.invalid', `The account has no job “${job}” in the local copy. Sync it first; the job ids are in the app's job list.`, { field: 'job' });
  return id;
}

function whole(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) throw new DossierError('input.invalid', `${name} must be a whole number from ${min} to ${max}, not "${value}".`, { field: name });
    return number;
  };
}

const connectionLine: Record<Committee['connection'], string> = {
  online: 'online',
  connecting: 'connecting to the server',
  offline: 'offline: changes are kept here and sent when the server is reachable',
  revoked: 'removed by the chair: read-only here, nothing new arrives',
};

function describeCommittee(committee: Committee): string {
  const pending = committee.pendingChanges === 0 ? '' : `, ${committee.pendingChanges} change${committee.pendingChanges === 1 ? '' : 's'} not yet on the server`;
  return `${committee.name} (${committee.id}) — ${committee.role}, as ${committee.memberName} — ${committee.memberCount} member${committee.memberCount === 1 ? '' : 's'}, ` +
    `${committee.jobRemoteIds.length} job${committee.jobRemoteIds.length === 1 ? '' : 's'} — ${connectionLine[committee.connection]}${pending}\n  server ${committee.serverUrl}`;
}

function describeMember(member: CommitteeMember): string {
  const state = member.revoked ? 'removed' : member.connected === null ? '' : member.connected ? 'connected' : 'not connected';
  return `${member.memberId}  ${member.role.padEnd(6)}  ${member.name}${member.isMe ? ' (you)' : ''}${state === '' ? '' : `  — ${state}`}`;
}

const number = (value: number | null, digits = 2): string => (value === null ? '–' : String(Math.round(value * 10 ** digits) / 10 ** digits));

function describeTally(tally: Tally): string {
  if (tally.rows.length === 0) return tally.total === 0 ? 'No candidates yet: sync the committee’s jobs on this machine.' : `None of the ${tally.total} candidates matches that filter.`;
  const members = tally.members.filter((member) => !member.revoked);
  const header = ['rank', 'mean', 'spread', 'read', ...members.map((member) => member.name.slice(0, 12)), 'candidate'];
  const lines = tally.rows.map((row) => [
    row.rank === null ? '–' : String(row.rank), number(row.mean), number(row.spread), `${row.readBy}/${members.length}`,
    ...row.verdicts.map((verdict) => number(verdict.value, 1)),
    `${row.name || `(not synced here: ${row.applicationRemoteId})`}${row.jobTitle === '' ? '' : ` — ${row.jobTitle}`}${row.discussion === 0 ? '' : `  [${row.discussion} message${row.discussion === 1 ? '' : 's'}]`}`,
  ]);
  const widths = header.slice(0, -1).map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] as string).length)));
  const format = (cells: string[]) => cells.map((cell, column) => (column < widths.length ? cell.padEnd(widths[column] as number) : cell)).join('  ');
  return [format(header), ...lines.map(format), `${tally.rows.length} of ${tally.total} candidates`].join('\n');
}

export function registerCommittee(program: Command, context: () => CommandContext): void {
  const committee = program.command('committee').description('review with a hiring committee across machines: share ratings, scores, notes and a discussion, tally them');

  committee
    .command('create')
    .description('open a committee on a committee server for jobs of one account; you become its chair')
    .argument('<name>', 'the committee’s name, as its members see it')
    .requiredOption('--server <url>', 'the committee server (https://…; http:// only on this machine)')
    .requiredOption('--account <name>', 'the account whose jobs the committee reviews')
    .requiredOption('--job <job...>', 'the jobs, by local id or the provider’s id')
    .requiredOption('--as <name>', 'your name, as the other members see it')
    .action((name: string, options: { server: string; account: string; job: string[]; as: string }) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const accountId = accountNamed(core, options.account);
        const created = await call(core, 'committee.create', {
          name, serverUrl: options.server, accountId, jobIds: options.job.map((job) => jobOf(core, job, accountId)), memberName: options.as,
        });
        ctx.print(created, `${describeCommittee(created)}\nInvite members with: dossier committee invite ${created.id}`);
      });
    });

  committee
    .command('invite')
    .description('a single-use invite code for one new member (printed on standard output; pass it on privately)')
    .argument('<committee>', 'the committee, by id or name')
    .option('--days <n>', 'how long the code stays valid (1–30 days)', whole('--days', 1, 30), 7)
    .action((given: string, options: { days: number }) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const found = await committeeNamed(core, given);
        const invite = await call(core, 'committee.invite', { committeeId: found.id, days: options.days });
        ctx.stderr.write(`This code lets one person join “${found.name}” until ${invite.expiresAt}. Send it privately (not in a shared channel); they run \`dossier committee join --as NAME\` and paste it.\n`);
        ctx.print(invite, invite.code);
      });
    });

  committee
    .command('join')
    .description('join a committee with an invite code, read from DOSSIER_INVITE_CODE, standard input or a hidden prompt (never from arguments)')
    .requiredOption('--as <name>', 'your name, as the other members see it')
    .option('--account <name>', 'the account whose applications the committee’s records are matched against (default: the only one)')
    .action((options: { as: string; account?: string }) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const code = await readSecret(ctx, 'DOSSIER_INVITE_CODE', 'Invite code (not shown): ');
        if (code === undefined) throw new DossierError('input.invalid', 'No invite code was given. Set DOSSIER_INVITE_CODE, pipe it to standard input, or run in a terminal to paste it.');
        const joined = await call(core, 'committee.join', {
          code, memberName: options.as, ...(options.account === undefined ? {} : { accountId: accountNamed(core, options.account) }),
        });
        const offline = joined.connection === 'online' ? '' : '\nThe server did not answer in time: you are a member, and the committee’s work arrives at the next connection.';
        ctx.print(joined, `Joined. ${describeCommittee(joined)}${offline}`);
      });
    });

  committee
    .command('list')
    .description('the committees this machine belongs to')
    .action(() => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const committees = await call(core, 'committee.list', {});
        ctx.print(committees, committees.length === 0 ? 'This machine is in no committee. Create one (dossier committee create) or join with an invite code.' : committees.map(describeCommittee).join('\n'));
      });
    });

  committee
    .command('members')
    .description('the committee’s members, who is connected, who was removed')
    .argument('<committee>', 'the committee, by id or name')
    .action((given: string) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const members = await call(core, 'committee.members', { committeeId: (await committeeNamed(core, given)).id });
        ctx.print(members, members.map(describeMember).join('\n'));
      });
    });

  committee
    .command('revoke')
    .description('chair only: remove a member; they receive nothing new from now on')
    .argument('<committee>', 'the committee, by id or name')
    .argument('<member>', 'the member, by id or name')
    .action((given: string, member: string) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const committeeId = (await committeeNamed(core, given)).id;
        const members = await call(core, 'committee.members', { committeeId });
        const matches = members.filter((candidate) => candidate.memberId === member || candidate.name.toLowerCase() === member.toLowerCase());
        if (matches.length !== 1) {
          throw new DossierError('input.invalid', matches.length === 0 ? `The committee has no member “${member}”. See them with: dossier committee members ${given}` : `Several members are called “${member}”; give the member id.`, { field: 'member' });
        }
        const after = await call(core, 'committee.revoke', { committeeId, memberId: (matches[0] as CommitteeMember).memberId });
        ctx.print(after, after.map(describeMember).join('\n'));
      });
    });

  committee
    .command('tally')
    .description('each member’s verdict side by side, with mean, spread and rank; disagreements first')
    .argument('<committee>', 'the committee, by id or name')
    .addOption(new Option('--sort <order>', 'row order').choices(TallySort.options).default('disagreement'))
    .addOption(new Option('--filter <rows>', 'which rows').choices(TallyFilter.options).default('all'))
    .option('--csv <file>', 'also write the whole tally to this CSV file')
    .option('--overwrite', 'replace a file already at --csv')
    .action((given: string, options: { sort: z.infer<typeof TallySort>; filter: z.infer<typeof TallyFilter>; csv?: string; overwrite?: boolean }) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const committeeId = (await committeeNamed(core, given)).id;
        const tally = await call(core, 'committee.tally', { committeeId, sort: options.sort, filter: options.filter });
        const exported = options.csv === undefined ? undefined : await call(core, 'committee.exportTally', { committeeId, out: options.csv, overwrite: options.overwrite === true });
        ctx.print(exported === undefined ? tally : { ...tally, csv: exported }, `${describeTally(tally)}${exported === undefined ? '' : `\nWrote ${exported.rows} rows to ${exported.path}`}`);
      });
    });

  committee
    .command('split')
    .description('share the reading: every candidate assigned to N active members, evenly')
    .argument('<committee>', 'the committee, by id or name')
    .requiredOption('--readers <n>', 'how many members read each candidate', whole('--readers', 1, 50))
    .action((given: string, options: { readers: number }) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const committeeId = (await committeeNamed(core, given)).id;
        const split = await call(core, 'committee.split', { committeeId, readers: options.readers });
        const names = new Map((await call(core, 'committee.members', { committeeId })).map((member) => [member.memberId, member.name]));
        ctx.print(split, split.assignments.map((assignment) => `${names.get(assignment.memberId) ?? assignment.memberId}: ${assignment.count} to read`).join('\n'));
      });
    });

  committee
    .command('leave')
    .description('forget the committee on this machine (the others keep the shared work)')
    .argument('<committee>', 'the committee, by id or name')
    .action((given: string) => {
      const ctx = context();
      return withCore(ctx, async (core) => {
        const found = await committeeNamed(core, given);
        const left = await call(core, 'committee.leave', { committeeId: found.id });
        ctx.print(left, `Left “${found.name}”. Its shared work stays with the other members.`);
      });
    });

  committee
    .command('serve')
    .description('run a committee server (durable storage for a small committee; see docs/decisions/0018-committee-review.md for TLS and several instances) until Ctrl+C')
    .option('--port <n>', 'port to listen on (0 = any free port)', whole('--port', 0, 65535), 7341)
    .option('--host <address>', 'address to listen on (put TLS in front of anything but 127.0.0.1)', '127.0.0.1')
    .option('--redis <url>', 'share state with other instances through this Redis (redis://…)')
    .option('--server-data <dir>', 'where the server keeps its database (default: committee-server in the Dossier data folder; --data-dir is the app’s own)')
    .action(async (options: { port: number; host: string; redis?: string; serverData?: string }) => {
      const ctx = context();
      // The server is its own program: the app and the other commands never load it.
      const { startCommitteeServer } = await import('../../committee-server/index.ts');
      const server = await startCommitteeServer({
        dataDir: options.serverData ?? join(ctx.dataDir, 'committee-server'),
        host: options.host,
        port: options.port,
        ...(options.redis === undefined ? {} : { redisUrl: options.redis }),
        log: (line: string) => ctx.stderr.write(`${line}\n`),
      });
      try {
        ctx.stdout.write(ctx.json ? `${JSON.stringify({ url: server.url, instance: server.instance })}\n` : `${server.url}\n`);
        if (!ctx.json) ctx.stderr.write('The committee server is running; press Ctrl+C to stop.\n');
        await untilInterrupted();
      } finally {
        await server.close();
      }
    });
}
