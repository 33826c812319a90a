/**
 * Committee benchmark: a committee of 10 members over 600 applicants, every member having rated,
 * scored and written a shared note on every one, through a real committee server process on 127.0.0.1.
 *
 *   npm run bench:committee [-- --members 10 --applications 600 --samples 60]
 *
 * Measured for Dossier (each member its own data folder and core):
 * - join and load: the last member joins once the others' work is on the server, until its tally
 *   shows every other member's verdict on every candidate;
 * - edit to visible: a member rates, until another member's tally shows it (p50 / p95);
 * - the server's memory (resident, and its peak) with the committee loaded.
 * The baseline, measured in the same run against the same server, is the same number of entries as
 * bare Yjs maps over bare Hocuspocus providers: no encryption, no local database, no tally. The
 * ratios say what Dossier adds on top of the sync engine itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { bearerOf, committeeRoutes } from '../../shared/committee.ts';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { dataPaths } from '../../electron/core/base/paths.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { FileVault } from '../../electron/host/file-vault.ts';
import { seedDataDir } from '../fixtures/seed.ts';

const { values } = parseArgs({ options: { members: { type: 'string', default: '10' }, applications: { type: 'string', default: '600' }, samples: { type: 'string', default: '60' } } });
const memberCount = Number(values.members);
const applications = Number(values.applications);
const samples = Number(values.samples);
const serverEntry = resolve(import.meta.dirname, '../../electron/committee-server/main.ts');
const folders: string[] = [];
const folder = (prefix: string): string => {
  const made = mkdtempSync(join(tmpdir(), prefix));
  folders.push(made);
  return made;
};

function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** The server as its own process, so its memory is its own. */
async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [serverEntry, '--data-dir', folder('dossier-bench-committee-server-'), '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', done);
    child.once('exit', (code) => fail(new Error(`the committee server exited (${String(code)}) before it was ready`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

function memoryOf(child: ChildProcess): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${String(child.pid)}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

interface Member {
  readonly name: string;
  readonly core: Core;
  readonly accountId: number;
  readonly applicationIds: number[];
}

async function call<Name extends ApiName>(member: Member, name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
  const outcome = await member.core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${member.name}: ${name}: ${outcome.error.message}`);
  return outcome.result as ApiResult<Name>;
}

/** A member's data folder with the same seeded cache as every other's (the same provider ids), and its core. */
async function openMember(index: number): Promise<Member> {
  const dataDir = folder(`dossier-bench-committee-${String(index)}-`);
  const seeded = await seedDataDir(dataDir, { applications, seed: 7, documents: 'none' });
  const vault = await FileVault.open(dataPaths(dataDir).vault, 'bench passphrase', { cost: { N: 2 ** 10, r: 8, p: 1 } });
  const core = createCore({ dataDir, vault, openExternal: async () => undefined, host: 'cli', documentUrl: (id) => `dossier://document/${String(id)}`, logger: silentLogger });
  return { name: `Member ${String(index + 1)}`, core, accountId: seeded.accountId, applicationIds: seeded.applicationIds };
}

/** Every candidate rated and the rubric's job's candidates scored by the member. */
async function fillIn(member: Member, seed: number): Promise<void> {
  const [job] = await call(member, 'jobs.list', { accountId: member.accountId });
  const criterion = (await call(member, 'scorecards.rubric', { jobId: job?.id ?? 0 })).criteria[0];
  const scored = new Set((await call(member, 'applicants.list', { filter: { jobId: job?.id ?? 0 } })).rows.map((row) => row.applicationId));
  for (const [index, applicationId] of member.applicationIds.entries()) {
    await call(member, 'annotations.setRating', { applicationId, rating: ((index + seed) % 5) + 1 });
    if (criterion !== undefined && scored.has(applicationId)) await call(member, 'scorecards.setScore', { applicationId, criterionId: criterion.id, score: ((index * 3 + seed) % 5) + 1 });
  }
}

async function fillInNotes(member: Member, committeeId: string): Promise<void> {
  for (const applicationId of member.applicationIds) {
    await call(member, 'committee.setSharedNote', { committeeId, applicationId, note: `${member.name} on ${String(applicationId)}: strong job market paper, teaching letters thin.` });
  }
}

async function dossierRun(serverUrl: string) {
  const members: Member[] = [];
  for (let index = 0; index < memberCount; index += 1) members.push(await openMember(index));
  const [chair] = members as [Member];
  const jobs = await call(chair, 'jobs.list', { accountId: chair.accountId });
  await call(chair, 'scorecards.saveRubric', { jobId: jobs[0]?.id ?? 0, scale: { min: 1, max: 5 }, criteria: [{ name: 'Research', weight: 1 }] });
  const committee = await call(chair, 'committee.create', { name: 'Bench committee', serverUrl, accountId: chair.accountId, jobIds: jobs.map((job) => job.id), memberName: chair.name });
  const joined = [chair];
  for (const member of members.slice(1, -1)) {
    const { code } = await call(chair, 'committee.invite', { committeeId: committee.id, days: 7 });
    await call(member, 'committee.join', { code, memberName: member.name, accountId: member.accountId });
    joined.push(member);
  }
  const filling = performance.now();
  for (const [seed, member] of joined.entries()) {
    await fillIn(member, seed);
    await fillInNotes(member, committee.id);
  }
  const pendingNone = async () => (await Promise.all(joined.map(async (member) => (await call(member, 'committee.list', {}))[0]?.pendingChanges ?? 1))).every((pending) => pending === 0);
  await until(pendingNone, 'every member\'s edits to reach the server');
  const fillSeconds = (performance.now() - filling) / 1000;

  // The last member joins a committee whose work is all on the server.
  const last = members.at(-1) as Member;
  const { code } = await call(chair, 'committee.invite', { committeeId: committee.id, days: 7 });
  const joining = performance.now();
  await call(last, 'committee.join', { code, memberName: last.name, accountId: last.accountId });
  const othersEverywhere = async () => {
    const tally = await call(last, 'committee.tally', { committeeId: committee.id, sort: 'name', filter: 'all' });
    return tally.rows.length === applications && tally.rows.every((row) => row.verdicts.filter((verdict) => verdict.rating !== null).length >= joined.length);
  };
  await until(othersEverywhere, 'the joining member to see every verdict');
  const joinMs = performance.now() - joining;

  // Edit to visible: one member rates, another's tally shows it.
  const visible: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const writer = members[sample % members.length] as Member;
    const reader = members[(sample + 1 + (sample % (members.length - 1))) % members.length] as Member;
    if (writer === reader) continue;
    const row = (sample * 37) % applications;
    const applicationId = writer.applicationIds[row] as number;
    const writerId = (await call(writer, 'committee.list', {}))[0]?.memberId ?? '';
    const remoteRow = (await call(writer, 'committee.tally', { committeeId: committee.id, sort: 'name', filter: 'all' })).rows.find((candidate) => candidate.applicationId === applicationId);
    const current = remoteRow?.verdicts.find((verdict) => verdict.memberId === writerId)?.rating ?? null;
    // Always a change, so the reader's tally can only show it once it arrived.
    const rating = current === 5 ? 1 : (current ?? 0) + 1;
    const shows = async () => {
      const tally = await call(reader, 'committee.tally', { committeeId: committee.id, sort: 'name', filter: 'all' });
      const seen = tally.rows.find((candidate) => candidate.applicationRemoteId === remoteRow?.applicationRemoteId);
      return seen?.verdicts.find((verdict) => verdict.memberId === writerId)?.rating === rating;
    };
    // The reader's tally is read when its core says the committee changed, as the app's view does.
    let changed: () => void = () => undefined;
    const off = reader.core.events.on('committee.changed', () => changed());
    const started = performance.now();
    await call(writer, 'annotations.setRating', { applicationId, rating });
    while (!(await shows())) {
      await Promise.race([new Promise<void>((done) => (changed = done)), sleep(30_000).then(() => { throw new Error('a rating never reached another member'); })]);
    }
    off();
    visible.push(performance.now() - started);
  }
  const tallyTimes: number[] = [];
  for (let run = 0; run < 20; run += 1) {
    const started = performance.now();
    await call(last, 'committee.tally', { committeeId: committee.id, sort: 'disagreement', filter: 'all' });
    tallyTimes.push(performance.now() - started);
  }
  for (const member of members) await member.core.close();
  return { fillSeconds, tallyP50: percentile(tallyTimes, 50), joinMs, visibleP50: percentile(visible, 50), visibleP95: percentile(visible, 95), entries: joined.length * applications * 3 };
}

/** The same traffic as bare Yjs maps: one map per member, one entry per (candidate, field). */
async function baselineRun(serverUrl: string, entriesPerMember: number) {
  const committeeId = randomBytes(16).toString('base64url');
  const chair = { memberId: randomBytes(16).toString('base64url'), authKey: randomBytes(32).toString('base64url') };
  const created = await fetch(new URL(committeeRoutes.committees, serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ committeeId, chair }) });
  if (!created.ok) throw new Error(`baseline committee: ${String(created.status)} ${await created.text()}`);
  const socketUrl = `${serverUrl.replace(/^http/, 'ws')}${committeeRoutes.sync}`;
  const connect = async () => {
    const document = new Y.Doc();
    const websocketProvider = new HocuspocusProviderWebsocket({ url: socketUrl, WebSocketPolyfill: WebSocket as never });
    const provider = new HocuspocusProvider({ websocketProvider, name: committeeId, document, token: bearerOf(chair.memberId, chair.authKey) });
    // A provider given a shared socket connects only once attached.
    provider.attach();
    await until(() => provider.isSynced, 'a bare provider to sync', 60_000);
    return { document, provider, close: () => { provider.destroy(); websocketProvider.destroy(); } };
  };
  const clients: Awaited<ReturnType<typeof connect>>[] = [];
  for (let index = 0; index < memberCount - 1; index += 1) clients.push(await connect());
  for (const [index, client] of clients.entries()) {
    const map = client.document.getMap(`member-${String(index)}`);
    client.document.transact(() => {
      for (let entry = 0; entry < entriesPerMember; entry += 1) map.set(`field-${String(entry)}`, `value ${String(entry)} of member ${String(index)}: strong job market paper`);
    });
  }
  await until(() => clients.every((client) => client.provider.unsyncedChanges === 0), 'the bare edits to reach the server');
  const joining = performance.now();
  const late = await connect();
  await until(() => Array.from({ length: clients.length }, (_, index) => late.document.getMap(`member-${String(index)}`).size).every((size) => size === entriesPerMember), 'the late client to load');
  const joinMs = performance.now() - joining;
  const visible: number[] = [];
  const everyone = [...clients, late];
  for (let sample = 0; sample < samples; sample += 1) {
    const writer = everyone[sample % everyone.length];
    const reader = everyone[(sample + 1) % everyone.length];
    if (!writer || !reader) continue;
    const value = `rating ${String(sample)}`;
    const started = performance.now();
    writer.document.getMap('edits').set('latest', value);
    await until(() => reader.document.getMap('edits').get('latest') === value, 'a bare edit to arrive', 30_000);
    visible.push(performance.now() - started);
  }
  for (const client of everyone) client.close();
  return { joinMs, visibleP50: percentile(visible, 50), visibleP95: percentile(visible, 95) };
}

const server = await startServer();
try {
  const empty = memoryOf(server.child);
  console.error(`${String(memberCount)} members, ${String(applications)} applicants each…`);
  const dossier = await dossierRun(server.url);
  const loaded = memoryOf(server.child);
  const baseline = await baselineRun(server.url, applications * 3);
  const line = (label: string, base: number, measured: number, unit: string) =>
    console.log(`${label.padEnd(46)} ${base.toFixed(1).padStart(9)} ${measured.toFixed(1).padStart(9)} ${unit.padEnd(3)} ×${(measured / base).toFixed(2)}`);
  console.log(`\nCommittee benchmark — ${String(memberCount)} members × ${String(applications)} applicants (${String(dossier.entries)} shared entries by ${String(memberCount - 1)} members, then one more joins); baseline: bare Yjs + Hocuspocus, same server, same run`);
  console.log(`${'measure'.padEnd(46)} ${'baseline'.padStart(9)} ${'Dossier'.padStart(9)}`);
  line('join and load everything (ms)', baseline.joinMs, dossier.joinMs, 'ms');
  line('edit to visible on another member, p50 (ms)', baseline.visibleP50, dossier.visibleP50, 'ms');
  line('edit to visible on another member, p95 (ms)', baseline.visibleP95, dossier.visibleP95, 'ms');
  line('server resident memory (MB; baseline: empty)', empty.rssMb, loaded.rssMb, 'MB');
  line('server peak memory (MB; baseline: empty)', empty.peakMb, loaded.peakMb, 'MB');
  console.log(`one committee.tally of the whole committee: p50 ${dossier.tallyP50.toFixed(1)} ms (what each view refresh costs)`);
  console.log(`(all ${String(memberCount)} members' cores share this one process and its event loop, as no real committee does: every edit is applied by the other ${String(memberCount - 1)} cores on the same CPU)`);
  console.log(`(filling in: ${dossier.fillSeconds.toFixed(1)} s for every member's ratings, scores and notes, until the server had them all)`);
} finally {
  server.child.kill('SIGTERM');
  for (const made of folders) rmSync(made, { recursive: true, force: true });
}
