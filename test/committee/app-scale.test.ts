import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { decodeInviteCode, encodeInviteCode } from '../../shared/committee.ts';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { addSandboxAccount, syncCore, type SyncCore } from '../sync/helpers.ts';
import { spawnCommitteeServer, startRedis } from './server-process.ts';

/**
 * Two committee server instances sharing one data folder and a Redis (run by the test): the chair
 * is connected to one, a member to the other, as a load balancer would spread them. An edit on
 * one instance reaches the member on the other, and a revocation on one cuts the member off on the other.
 */

let emulator: StartedEjm;
let redis: Awaited<ReturnType<typeof startRedis>>;
let serverDir: string;
const instances: Awaited<ReturnType<typeof spawnCommitteeServer>>[] = [];
const cores: SyncCore[] = [];

async function call<Name extends ApiName>(core: SyncCore, name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>> {
  const outcome = await core.core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result as ApiResult<Name>;
}

async function member(): Promise<{ core: SyncCore; accountId: number }> {
  const core = await syncCore();
  cores.push(core);
  const accountId = await addSandboxAccount(core, 'ejm', emulator.ready);
  await core.engine.run({ documents: false });
  return { core, accountId };
}

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 23 });
  redis = await startRedis();
  serverDir = mkdtempSync(join(tmpdir(), 'dossier-committee-scale-'));
  instances.push(await spawnCommitteeServer({ dataDir: serverDir, redisUrl: redis.url, instance: 'one' }));
  instances.push(await spawnCommitteeServer({ dataDir: serverDir, redisUrl: redis.url, instance: 'two' }));
}, 120_000);

afterAll(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  for (const instance of instances) await instance.stop().catch(() => undefined);
  await redis?.stop();
  await emulator?.close();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

it('delivers an edit made through one instance to a member connected to the other, and revokes across both', async () => {
  const [one, two] = instances as [(typeof instances)[number], (typeof instances)[number]];
  const chair = await member();
  const ana = await member();
  const [job] = await call(chair.core, 'jobs.list', {});
  const committee = await call(chair.core, 'committee.create', { name: 'Scaled', serverUrl: one.url, accountId: chair.accountId, jobIds: [job?.id as number], memberName: 'Chair' });
  const { code } = await call(chair.core, 'committee.invite', { committeeId: committee.id, days: 1 });
  const joined = await call(ana.core, 'committee.join', { code: encodeInviteCode({ ...decodeInviteCode(code), server: two.url }), memberName: 'Ana' });
  expect(joined).toMatchObject({ serverUrl: two.url, connection: 'online' });

  const [row] = (await call(chair.core, 'committee.tally', { committeeId: committee.id, sort: 'name', filter: 'all' })).rows;
  await call(chair.core, 'annotations.setRating', { applicationId: row?.applicationId as number, rating: 4 });
  await vi.waitFor(async () => {
    const seen = (await call(ana.core, 'committee.tally', { committeeId: committee.id, sort: 'name', filter: 'all' })).rows.find((candidate) => candidate.applicationRemoteId === row?.applicationRemoteId);
    expect(seen?.verdicts.find((verdict) => verdict.memberId === committee.memberId)?.rating).toBe(4);
  }, { timeout: 20_000, interval: 100 });

  await call(chair.core, 'committee.revoke', { committeeId: committee.id, memberId: joined.memberId });
  await vi.waitFor(async () => {
    const [mine] = await call(ana.core, 'committee.list', {});
    expect(mine?.connection).toBe('revoked');
  }, { timeout: 20_000, interval: 100 });
});
