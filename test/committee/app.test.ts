import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Committee, Tally } from '../../shared/api/committee.ts';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import type { DossierErrorValue } from '../../shared/errors.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { runCli } from '../helpers/cli.ts';
import { addSandboxAccount, syncCore, type SyncCore } from '../sync/helpers.ts';
import { spawnCommitteeServer } from './server-process.ts';

/**
 * Committee review across three Dossier data folders (three cores, each with its own account on the
 * same EconJobMarket sandbox) and a real committee server process on 127.0.0.1, stopped, SIGKILLed
 * and restarted on the same port and data folder.
 */

type Server = Awaited<ReturnType<typeof spawnCommitteeServer>>;

interface Member {
  name: string;
  dataDir: string;
  sync: SyncCore;
  accountId: number;
}

let emulator: StartedEjm;
let serverDir: string;
let server: Server;
let port: number;
const members: Record<'chair' | 'ana' | 'ben', Member> = {} as never;
let committeeId = '';
/** Remote ids of the candidates the tests work on, in one order for everybody. */
let candidates: string[] = [];
const privateNote = `PRIVATE-${randomBytes(8).toString('hex')}`;
const sharedNote = `SHARED-${randomBytes(8).toString('hex')}`;
const discussionText = `DISCUSS-${randomBytes(8).toString('hex')}`;

async function call<Name extends ApiName>(member: Member, name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
  const outcome = await member.sync.core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${member.name}: ${name} failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result as ApiResult<Name>;
}

async function fail(member: Member, name: ApiName, input: unknown): Promise<DossierErrorValue> {
  const outcome = await member.sync.core.dispatch(name, input);
  if (outcome.ok) throw new Error(`${member.name}: ${name} was expected to fail`);
  return outcome.error;
}

async function openMember(name: string, dataDir?: string): Promise<Member> {
  const sync = await syncCore(dataDir, true);
  if (dataDir === undefined) {
    const accountId = await addSandboxAccount(sync, 'ejm', emulator.ready);
    const [result] = await sync.engine.run({ documents: false });
    expect(result?.error ?? null).toBe(null);
    return { name, dataDir: sync.dataDir, sync, accountId };
  }
  const [account] = await call({ name, dataDir, sync, accountId: 0 }, 'accounts.list', {});
  return { name, dataDir, sync, accountId: account?.id ?? 0 };
}

const committeeOf = async (member: Member): Promise<Committee> => {
  const found = (await call(member, 'committee.list', {})).find((committee) => committee.id === committeeId);
  if (!found) throw new Error(`${member.name} has no committee ${committeeId}`);
  return found;
};
const tallyOf = (member: Member): Promise<Tally> => call(member, 'committee.tally', { committeeId, sort: 'name', filter: 'all' });

/** The member's local application id of a candidate (each machine numbers its cache itself). */
async function applicationId(member: Member, remoteId: string): Promise<number> {
  const row = (await tallyOf(member)).rows.find((candidate) => candidate.applicationRemoteId === remoteId);
  if (row?.applicationId == null) throw new Error(`${member.name} has no local application ${remoteId}`);
  return row.applicationId;
}

/** The committee's view without whose machine it is: what must converge. */
const sharedView = (tally: Tally) => ({
  members: tally.members.map(({ memberId, name, role, revoked }) => ({ memberId, name, role, revoked })),
  rows: tally.rows.map(({ applicationRemoteId, verdicts, mean, spread, rank, readBy, discussion }) => ({ applicationRemoteId, verdicts, mean, spread, rank, readBy, discussion })),
});

async function startServer(): Promise<void> {
  server = await spawnCommitteeServer({ dataDir: serverDir, port });
  port = Number(new URL(server.url).port);
}

async function criterionIds(member: Member): Promise<Map<string, number>> {
  const [jobId] = (await committeeOf(member)).jobIds;
  const rubric = await call(member, 'scorecards.rubric', { jobId: jobId as number });
  return new Map(rubric.criteria.map((criterion) => [criterion.name, criterion.id]));
}

/** Rates and scores a candidate as the member, through the same calls the packet makes. */
async function judge(member: Member, remoteId: string, rating: number, scores: Record<string, number>): Promise<void> {
  const id = await applicationId(member, remoteId);
  await call(member, 'annotations.setRating', { applicationId: id, rating });
  const ids = await criterionIds(member);
  for (const [criterion, score] of Object.entries(scores)) await call(member, 'scorecards.setScore', { applicationId: id, criterionId: ids.get(criterion) as number, score });
}

const waitFor = <T>(check: () => Promise<T>, timeout = 30_000) => vi.waitFor(check, { timeout, interval: 100 });

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 17 });
  serverDir = mkdtempSync(join(tmpdir(), 'dossier-committee-server-'));
  port = 0;
  await startServer();
  members.chair = await openMember('Chair');
  members.ana = await openMember('Ana');
  members.ben = await openMember('Ben');
}, 180_000);

afterAll(async () => {
  for (const member of Object.values(members)) await member?.sync.close().catch(() => undefined);
  for (const member of Object.values(members)) if (member) rmSync(member.dataDir, { recursive: true, force: true });
  await server?.stop().catch(() => undefined);
  await emulator?.close();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

describe('a committee across three machines', () => {
  it('is created by the chair with their rubric, and two invited members join and adopt it', async () => {
    const { chair, ana, ben } = members;
    const [job] = await call(chair, 'jobs.list', {});
    if (!job) throw new Error('the sandbox has no job');
    await call(chair, 'scorecards.saveRubric', { jobId: job.id, scale: { min: 1, max: 5 }, criteria: [{ name: 'Research', weight: 2 }, { name: 'Teaching', weight: 1 }] });
    const created = await call(chair, 'committee.create', { name: 'Search 2027', serverUrl: server.url, accountId: chair.accountId, jobIds: [job.id], memberName: 'Chair' });
    committeeId = created.id;
    expect(created).toMatchObject({ role: 'chair', memberName: 'Chair', jobIds: [job.id], memberCount: 1 });

    const usedCode = (await call(chair, 'committee.invite', { committeeId, days: 7 })).code;
    expect(await call(ana, 'committee.join', { code: usedCode, memberName: 'Ana' })).toMatchObject({ id: committeeId, name: 'Search 2027', role: 'member', connection: 'online' });
    // A redeemed code grants nothing more.
    expect((await fail(ben, 'committee.join', { code: usedCode, memberName: 'Mallory' })).code).toBe('committee.invite');
    const { code } = await call(chair, 'committee.invite', { committeeId, days: 7 });
    expect(await call(ben, 'committee.join', { code, memberName: 'Ben' })).toMatchObject({ id: committeeId, name: 'Search 2027', connection: 'online' });
    for (const member of [chair, ana, ben]) {
      await waitFor(async () => expect((await committeeOf(member)).memberCount).toBe(3));
      expect([...(await criterionIds(member)).keys()]).toEqual(['Research', 'Teaching']);
    }
    candidates = (await tallyOf(chair)).rows.slice(0, 4).map((row) => row.applicationRemoteId);
    expect(candidates).toHaveLength(4);
  });

  it('merges concurrent offline edits by all three, and all three converge on the same tally', async () => {
    const { chair, ana, ben } = members;
    const [first, second, third] = candidates as [string, string, string];
    await server.stop();
    await waitFor(async () => expect((await committeeOf(ben)).connection).not.toBe('online'));

    await judge(chair, first, 5, { Research: 5, Teaching: 4 });
    await call(ana, 'annotations.setNote', { applicationId: await applicationId(ana, first), note: privateNote });
    await judge(ana, first, 2, { Research: 1, Teaching: 2 });
    // A candidate Ana rates with only a private note on file: publishing her rating must leave the note behind.
    await call(ana, 'annotations.setNote', { applicationId: await applicationId(ana, third), note: privateNote });
    await judge(ana, third, 3, {});
    await judge(ben, first, 4, {});
    await judge(ben, second, 3, { Research: 3 });
    const anaFirst = await applicationId(ana, first);
    await call(ana, 'committee.setSharedNote', { committeeId, applicationId: anaFirst, note: sharedNote });
    await call(chair, 'committee.post', { committeeId, applicationId: await applicationId(chair, first), text: `${discussionText} from the chair` });
    await call(ben, 'committee.post', { committeeId, applicationId: await applicationId(ben, first), text: `${discussionText} from Ben` });
    await call(ben, 'committee.propose', { committeeId, applicationId: await applicationId(ben, second), status: 'shortlisted' });
    for (const member of [chair, ana, ben]) expect((await committeeOf(member)).pendingChanges).toBeGreaterThan(0);

    await startServer();
    await waitFor(async () => {
      const views = await Promise.all([chair, ana, ben].map(async (member) => sharedView(await tallyOf(member))));
      expect(views[1]).toEqual(views[0]);
      expect(views[2]).toEqual(views[0]);
      const row = views[0]?.rows.find((candidate) => candidate.applicationRemoteId === first);
      expect(row?.discussion).toBe(2);
    });

    const tally = await tallyOf(ana);
    const row = tally.rows.find((candidate) => candidate.applicationRemoteId === first);
    const byName = new Map(tally.members.map((member) => [member.name, member.memberId]));
    const verdict = (name: string) => row?.verdicts.find((candidate) => candidate.memberId === byName.get(name));
    // Scores weigh Research twice: chair (2·5+4)/3, Ana (2·1+2)/3; Ben scored nothing, so his rating counts.
    expect(verdict('Chair')).toMatchObject({ rating: 5, score: 14 / 3, value: 14 / 3, read: true });
    expect(verdict('Ana')).toMatchObject({ rating: 2, score: 4 / 3, value: 4 / 3 });
    expect(verdict('Ben')).toMatchObject({ rating: 4, score: null, value: 4 });
    expect(row?.mean).toBeCloseTo((14 / 3 + 4 / 3 + 4) / 3);
    expect(row?.spread).toBeCloseTo(14 / 3 - 4 / 3);

    const candidate = await call(chair, 'committee.candidate', { committeeId, applicationId: await applicationId(chair, first) });
    expect(candidate.members.find((member) => member.name === 'Ana')?.sharedNote).toBe(sharedNote);
    expect(candidate.discussion.map((message) => message.text).sort()).toEqual([`${discussionText} from Ben`, `${discussionText} from the chair`]);
    const proposal = await call(ana, 'committee.candidate', { committeeId, applicationId: await applicationId(ana, second) });
    expect(proposal.members.find((member) => member.name === 'Ben')?.proposal).toBe('shortlisted');
    // The private note stays on Ana's machine: nobody else's view of the candidate carries it.
    expect(JSON.stringify(candidate)).not.toContain(privateNote);
    const rated = await call(chair, 'committee.candidate', { committeeId, applicationId: await applicationId(chair, third) });
    expect(rated.members.find((member) => member.name === 'Ana')?.rating).toBe(3);
    expect(JSON.stringify(rated)).not.toContain(privateNote);
    for (const member of [chair, ana, ben]) await waitFor(async () => expect((await committeeOf(member)).pendingChanges).toBe(0));
  });

  it('splits the reading, marks an opened packet read for everyone, tells the UI, and exports the tally', async () => {
    const { chair, ana, ben } = members;
    const [, second] = candidates as [string, string];
    const split = await call(chair, 'committee.split', { committeeId, readers: 2 });
    const total = (await tallyOf(chair)).total;
    expect(split.assignments.reduce((sum, assignment) => sum + assignment.count, 0)).toBe(total * 2);
    const anaId = (await committeeOf(ana)).memberId;
    const anaShare = split.assignments.find((assignment) => assignment.memberId === anaId)?.count;
    await waitFor(async () => expect((await call(ana, 'committee.tally', { committeeId, sort: 'disagreement', filter: 'assignedToMe' })).counts.assignedToMe).toBe(anaShare));

    const eventsBefore = chair.sync.on('committee.changed').length;
    await call(ana, 'applicants.packet', { applicationId: await applicationId(ana, second) });
    await waitFor(async () => {
      const row = (await tallyOf(ben)).rows.find((candidate) => candidate.applicationRemoteId === second);
      expect(row?.verdicts.find((verdict) => verdict.memberId === anaId)?.read).toBe(true);
    });
    await waitFor(async () => expect(chair.sync.on('committee.changed').filter((event) => event.committeeId === committeeId).length).toBeGreaterThan(eventsBefore));

    const folder = mkdtempSync(join(tmpdir(), 'dossier-committee-export-'));
    try {
      const out = join(folder, 'tally.csv');
      const exported = await call(chair, 'committee.exportTally', { committeeId, out, overwrite: false });
      expect(exported.rows).toBe(total);
      const lines = readFileSync(out, 'utf8').split('\r\n').filter((line) => line !== '');
      expect(lines).toHaveLength(total + 1);
      expect(lines[0]).toContain('Ana');
      expect((await fail(chair, 'committee.exportTally', { committeeId, out, overwrite: false })).code).toBe('export.exists');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('loses nothing when the server is SIGKILLed; edits made meanwhile, even across a restart of the member, arrive after it restarts', async () => {
    const { chair, ana } = members;
    const [, , third] = candidates as [string, string, string];
    // Ben is away: what he sees later can only come from what the server stored.
    await members.ben.sync.close();
    await judge(chair, third, 5, { Research: 4 });
    await waitFor(async () => expect((await committeeOf(chair)).pendingChanges).toBe(0));
    await server.kill('SIGKILL');

    await judge(ana, third, 1, { Teaching: 1 });
    await ana.sync.close();
    members.ana = await openMember('Ana', ana.dataDir);
    const reopened = await committeeOf(members.ana);
    expect(reopened.connection).not.toBe('online');
    expect(reopened.pendingChanges).toBeGreaterThan(0);
    const kept = (await tallyOf(members.ana)).rows.find((row) => row.applicationRemoteId === third);
    expect(kept?.verdicts.find((verdict) => verdict.memberId === reopened.memberId)?.rating).toBe(1);

    await startServer();
    await waitFor(async () => expect((await committeeOf(members.ana)).pendingChanges).toBe(0));
    await members.chair.sync.close();
    await members.ana.sync.close();
    members.ben = await openMember('Ben', members.ben.dataDir);
    await waitFor(async () => {
      const row = (await tallyOf(members.ben)).rows.find((candidate) => candidate.applicationRemoteId === third);
      expect(row?.verdicts.map((verdict) => verdict.rating).sort()).toEqual([1, 5, null]);
    });
    members.chair = await openMember('Chair', members.chair.dataDir);
    members.ana = await openMember('Ana', members.ana.dataDir);
    for (const member of [members.chair, members.ana]) await waitFor(async () => expect((await committeeOf(member)).connection).toBe('online'));
  });

  it('cuts off a member revoked mid-session: it gets nothing new and says so, the others carry on', async () => {
    const { chair, ana, ben } = members;
    const [, , , fourth] = candidates as [string, string, string, string];
    const benId = (await committeeOf(ben)).memberId;
    expect((await fail(ana, 'committee.revoke', { committeeId, memberId: benId })).code).toBe('committee.not_chair');
    const after = await call(chair, 'committee.revoke', { committeeId, memberId: benId });
    expect(after.find((member) => member.memberId === benId)?.revoked).toBe(true);
    await waitFor(async () => expect((await committeeOf(ben)).connection).toBe('revoked'));

    await judge(chair, fourth, 4, {});
    await waitFor(async () => {
      const row = (await tallyOf(ana)).rows.find((candidate) => candidate.applicationRemoteId === fourth);
      expect(row?.verdicts.some((verdict) => verdict.rating === 4)).toBe(true);
    });
    // Ben keeps a read-only copy of what was shared before, and nothing after.
    const benRow = (await tallyOf(ben)).rows.find((candidate) => candidate.applicationRemoteId === fourth);
    expect(benRow?.verdicts.some((verdict) => verdict.rating === 4) ?? false).toBe(false);
    expect((await tallyOf(ben)).rows.find((candidate) => candidate.applicationRemoteId === candidates[0])?.mean).not.toBeNull();
    const refused = await fail(ben, 'committee.setSharedNote', { committeeId, applicationId: await applicationId(ben, fourth), note: 'still here?' });
    expect(refused.code).toBe('committee.revoked');
    // The revoked state survives a restart of Ben's core, which then does not reconnect.
    await ben.sync.close();
    members.ben = await openMember('Ben', ben.dataDir);
    expect((await committeeOf(members.ben)).connection).toBe('revoked');
  });

  it('never lets the server store the private note, the shared note or the discussion in the clear', async () => {
    await server.stop();
    const stored = readdirSync(serverDir).map((file) => readFileSync(join(serverDir, file)));
    expect(stored.length).toBeGreaterThan(0);
    for (const secret of [privateNote, sharedNote, discussionText, 'Search 2027', 'Research']) {
      for (const bytes of stored) expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
    }
    await startServer();
  });

  it('round-trips through the command line: join with the code in $DOSSIER_INVITE_CODE, then tally --json', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-committee-cli-'));
    const env = { DOSSIER_PASSPHRASE: 'committee cli passphrase', DOSSIER_CLIENT_SECRET: emulator.ready.clientSecret };
    try {
      const added = await runCli(['--data-dir', dataDir, 'accounts', 'add', '--provider', 'ejm', '--name', 'Econ', '--base-url', emulator.ready.baseUrl, '--token-url', emulator.ready.tokenUrl, '--client-id', emulator.ready.clientId], env);
      expect(added.code, added.stderr).toBe(0);
      const synced = await runCli(['--data-dir', dataDir, 'sync', 'Econ', '--no-documents'], env);
      expect(synced.code, synced.stderr).toBe(0);
      const { code } = await call(members.chair, 'committee.invite', { committeeId, days: 1 });
      const joined = await runCli(['--data-dir', dataDir, '--json', 'committee', 'join', '--as', 'Cleo'], { ...env, DOSSIER_INVITE_CODE: code });
      expect(joined.code, joined.stderr).toBe(0);
      expect(joined.stdout).not.toContain(code);
      expect(JSON.parse(joined.stdout)).toMatchObject({ id: committeeId, memberName: 'Cleo', role: 'member' });
      const tally = await runCli(['--data-dir', dataDir, '--json', 'committee', 'tally', committeeId], env);
      expect(tally.code, tally.stderr).toBe(0);
      const parsed = JSON.parse(tally.stdout) as Tally;
      const first = parsed.rows.find((row) => row.applicationRemoteId === candidates[0]);
      // Ben was revoked: his work is left out of the tally, the chair's and Ana's count.
      expect(parsed.members.find((member) => member.name === 'Ben')?.revoked).toBe(true);
      expect(first?.verdicts.filter((verdict) => verdict.rating !== null).length).toBe(2);
      expect(parsed.members.find((member) => member.name === 'Cleo')?.isMe).toBe(true);
      expect(first?.applicationId).not.toBeNull();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
