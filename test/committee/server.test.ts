import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  bearerOf, closeReasons, committeeRoutes, inviteDerivation, RedeemInviteResponse, ServerError, ServerHealth, ServerInvites, ServerMembers,
} from '../../shared/committee.ts';
import { startCommitteeServer, type RunningCommitteeServer } from '../../electron/committee-server/index.ts';
import { spawnCommitteeServer, startRedis } from './server-process.ts';

/**
 * The committee server on 127.0.0.1: its HTTP routes with plain fetch, its sync socket with the
 * Hocuspocus provider over `ws`, killed and restarted as a process, and two instances sharing one
 * data folder through a real Redis. Credentials are made here as the app makes them (node:crypto).
 */

interface Credentials { memberId: string; authKey: string }

const randomId = () => randomBytes(16).toString('base64url');
const secret = () => randomBytes(32).toString('base64url');
const sha256url = (text: string) => createHash('sha256').update(text).digest('base64url');
const newCredentials = (): Credentials => ({ memberId: randomId(), authKey: secret() });

async function api(base: string, method: string, path: string, body?: unknown, as?: Credentials): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(as === undefined ? {} : { authorization: `Bearer ${bearerOf(as.memberId, as.authKey)}` }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** The error code of a refusal, checked to be a ServerError with a sentence. */
function codeOf(answer: { json: unknown }): string {
  const parsed = ServerError.parse(answer.json);
  expect(parsed.error.message.length).toBeGreaterThan(20);
  return parsed.error.code;
}

async function createCommittee(base: string): Promise<{ committeeId: string; chair: Credentials }> {
  const committeeId = randomId();
  const chair = newCredentials();
  const created = await api(base, 'POST', committeeRoutes.committees, { committeeId, chair });
  expect(created.status).toBe(201);
  return { committeeId, chair };
}

interface Invite { inviteId: string; token: string; proof: string; wrappedKey: string }

async function invite(base: string, committeeId: string, chair: Credentials, expiresAt = new Date(Date.now() + 3_600_000).toISOString()): Promise<Invite> {
  const token = secret();
  const proof = sha256url(inviteDerivation.proof + token);
  const made = { inviteId: randomId(), token, proof, wrappedKey: `sealed-${randomBytes(24).toString('base64url')}` };
  const answer = await api(base, 'POST', committeeRoutes.invites(committeeId), { inviteId: made.inviteId, proofHash: sha256url(proof), wrappedKey: made.wrappedKey, expiresAt }, chair);
  expect(answer.status).toBe(201);
  return made;
}

async function redeem(base: string, committeeId: string, made: Invite, proof = made.proof): Promise<{ status: number; json: unknown; member: Credentials }> {
  const member = newCredentials();
  const answer = await api(base, 'POST', committeeRoutes.redeem(committeeId, made.inviteId), { proof, ...member });
  return { ...answer, member };
}

async function joinCommittee(base: string, committeeId: string, chair: Credentials): Promise<Credentials> {
  const joined = await redeem(base, committeeId, await invite(base, committeeId, chair));
  expect(joined.status).toBe(200);
  return joined.member;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Client {
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly closeReasons: string[];
  readonly refusals: string[];
  /** Writes `value` under `key` and resolves once the server acknowledged it. */
  write(key: string, value: string): Promise<void>;
  read(key: string): unknown;
  destroy(): void;
}

const clients: Client[] = [];

/** A member's sync socket, as the app opens it; resolves once synced, or once refused when `expectRefusal`. */
async function connect(base: string, committeeId: string, as: Credentials, expectRefusal = false): Promise<Client> {
  const doc = new Y.Doc();
  const closes: string[] = [];
  const refusals: string[] = [];
  const socket = new HocuspocusProviderWebsocket({ url: `${base.replace(/^http/, 'ws')}${committeeRoutes.sync}`, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: committeeId,
    document: doc,
    token: bearerOf(as.memberId, as.authKey),
    onAuthenticationFailed: ({ reason }) => void refusals.push(reason),
    onClose: ({ event }) => void closes.push(event.reason),
  });
  // A provider handed its socket does not open it by itself.
  provider.attach();
  const client: Client = {
    doc, provider, closeReasons: closes, refusals,
    async write(key, value) {
      doc.getMap('entries').set(key, value);
      await waitFor(`the server to acknowledge ${key}`, () => provider.unsyncedChanges === 0);
    },
    read: (key) => doc.getMap('entries').get(key),
    destroy: () => {
      provider.destroy();
      socket.destroy();
    },
  };
  clients.push(client);
  if (expectRefusal) await waitFor('the refusal', () => refusals.length > 0);
  else await waitFor('the first sync', () => provider.synced && provider.isAuthenticated);
  return client;
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

describe('committee server: HTTP routes and socket authentication (in process)', () => {
  let dataDir: string;
  let server: RunningCommitteeServer;
  const logged: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-committee-server-'));
    server = await startCommitteeServer({ dataDir, port: 0, instanceName: 'solo', log: (line) => logged.push(line) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers its health, and unknown routes and methods as JSON errors', async () => {
    expect(ServerHealth.parse((await api(server.url, 'GET', committeeRoutes.health)).json).instance).toBe('solo');
    const unknown = await api(server.url, 'GET', '/v1/nothing-here');
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'route.unknown']);
    const wrongMethod = await api(server.url, 'PUT', committeeRoutes.committees, {});
    expect([wrongMethod.status, codeOf(wrongMethod)]).toEqual([405, 'route.method']);
    const notJson = await api(server.url, 'POST', committeeRoutes.committees, '{nope');
    expect([notJson.status, codeOf(notJson)]).toEqual([400, 'request.invalid']);
    const tooLarge = await api(server.url, 'POST', committeeRoutes.committees, { padding: 'x'.repeat(70 * 1024) });
    expect([tooLarge.status, codeOf(tooLarge)]).toEqual([413, 'request.too_large']);
  });

  it('creates a committee once, with its chair as the first member', async () => {
    const { committeeId, chair } = await createCommittee(server.url);
    secrets.push(chair.authKey);
    const again = await api(server.url, 'POST', committeeRoutes.committees, { committeeId, chair: newCredentials() });
    expect([again.status, codeOf(again)]).toEqual([409, 'committee.exists']);
    const members = ServerMembers.parse((await api(server.url, 'GET', committeeRoutes.members(committeeId), undefined, chair)).json);
    expect(members.map(({ memberId, role, revokedAt, connected }) => ({ memberId, role, revokedAt, connected }))).toEqual([
      { memberId: chair.memberId, role: 'chair', revokedAt: null, connected: false },
    ]);
  });

  it('redeems an invite once, with the right proof, before it expires and unless cancelled', async () => {
    const { committeeId, chair } = await createCommittee(server.url);
    const made = await invite(server.url, committeeId, chair);
    secrets.push(made.token, made.proof, made.wrappedKey);

    const wrong = await redeem(server.url, committeeId, made, sha256url(`${inviteDerivation.proof}${secret()}`));
    expect([wrong.status, codeOf(wrong)]).toEqual([403, 'invite.wrong_proof']);
    const joined = await redeem(server.url, committeeId, made);
    expect(joined.status).toBe(200);
    secrets.push(joined.member.authKey);
    expect(RedeemInviteResponse.parse(joined.json)).toEqual({ committeeId, memberId: joined.member.memberId, role: 'member', wrappedKey: made.wrappedKey });
    const twice = await redeem(server.url, committeeId, made);
    expect([twice.status, codeOf(twice)]).toEqual([410, 'invite.used']);

    const expiring = await invite(server.url, committeeId, chair, new Date(Date.now() + 1_500).toISOString());
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const expired = await redeem(server.url, committeeId, expiring);
    expect([expired.status, codeOf(expired)]).toEqual([410, 'invite.expired']);

    const cancelledInvite = await invite(server.url, committeeId, chair);
    expect((await api(server.url, 'DELETE', committeeRoutes.invite(committeeId, cancelledInvite.inviteId), undefined, chair)).status).toBe(200);
    const cancelled = await redeem(server.url, committeeId, cancelledInvite);
    expect([cancelled.status, codeOf(cancelled)]).toEqual([410, 'invite.cancelled']);

    const unknown = await redeem(server.url, committeeId, { ...made, inviteId: randomId() });
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'invite.unknown']);

    const listed = ServerInvites.parse((await api(server.url, 'GET', committeeRoutes.invites(committeeId), undefined, chair)).json);
    expect(listed.find((one) => one.inviteId === made.inviteId)).toMatchObject({ redeemedBy: joined.member.memberId, cancelled: false });
    expect(listed.find((one) => one.inviteId === cancelledInvite.inviteId)).toMatchObject({ redeemedBy: null, cancelled: true });
    expect(JSON.stringify(listed)).not.toContain(made.wrappedKey);
  });

  it('cancels an invite after ten wrong proofs, so a leaked invite id cannot be probed forever', async () => {
    const { committeeId, chair } = await createCommittee(server.url);
    const made = await invite(server.url, committeeId, chair);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await redeem(server.url, committeeId, made, sha256url(secret()))).status).toBe(403);
    }
    const right = await redeem(server.url, committeeId, made);
    expect([right.status, codeOf(right)]).toEqual([410, 'invite.cancelled']);
  });

  it('lets only the chair invite, list invites and revoke; members read the roster; strangers nothing', async () => {
    const { committeeId, chair } = await createCommittee(server.url);
    const member = await joinCommittee(server.url, committeeId, chair);
    const asMember = await api(server.url, 'POST', committeeRoutes.invites(committeeId), { inviteId: randomId(), proofHash: sha256url('x'), wrappedKey: 'k', expiresAt: new Date(Date.now() + 60_000).toISOString() }, member);
    expect([asMember.status, codeOf(asMember)]).toEqual([403, 'member.not_chair']);
    const listing = await api(server.url, 'GET', committeeRoutes.invites(committeeId), undefined, member);
    expect([listing.status, codeOf(listing)]).toEqual([403, 'member.not_chair']);
    const revoking = await api(server.url, 'DELETE', committeeRoutes.member(committeeId, chair.memberId), undefined, member);
    expect([revoking.status, codeOf(revoking)]).toEqual([403, 'member.not_chair']);
    const selfRevoke = await api(server.url, 'DELETE', committeeRoutes.member(committeeId, chair.memberId), undefined, chair);
    expect([selfRevoke.status, codeOf(selfRevoke)]).toEqual([400, 'member.self_revoke']);
    expect(ServerMembers.parse((await api(server.url, 'GET', committeeRoutes.members(committeeId), undefined, member)).json)).toHaveLength(2);

    const anonymous = await api(server.url, 'GET', committeeRoutes.members(committeeId));
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, 'auth.missing']);
    const wrongKey = await api(server.url, 'GET', committeeRoutes.members(committeeId), undefined, { memberId: member.memberId, authKey: secret() });
    expect([wrongKey.status, codeOf(wrongKey)]).toEqual([401, closeReasons.unknown]);
    const other = await createCommittee(server.url);
    const elsewhere = await api(server.url, 'GET', committeeRoutes.members(committeeId), undefined, other.chair);
    expect([elsewhere.status, codeOf(elsewhere)]).toEqual([403, closeReasons.wrongCommittee]);
  });

  it('refuses sockets of unknown members, wrong keys and other committees, saying why', async () => {
    const { committeeId, chair } = await createCommittee(server.url);
    const other = await createCommittee(server.url);
    expect((await connect(server.url, committeeId, newCredentials(), true)).refusals).toEqual([closeReasons.unknown]);
    expect((await connect(server.url, committeeId, { memberId: chair.memberId, authKey: secret() }, true)).refusals).toEqual([closeReasons.unknown]);
    expect((await connect(server.url, committeeId, other.chair, true)).refusals).toEqual([closeReasons.wrongCommittee]);
    const accepted = await connect(server.url, committeeId, chair);
    expect(accepted.refusals).toEqual([]);
  });

  it('closes a revoked member’s live socket at once: it gets nothing later, the others do, and it cannot come back', async () => {
    const { committeeId, chair } = await createCommittee(server.url);
    const [kept, revoked] = [await joinCommittee(server.url, committeeId, chair), await joinCommittee(server.url, committeeId, chair)];
    const [chairClient, keptClient, revokedClient] = [await connect(server.url, committeeId, chair), await connect(server.url, committeeId, kept), await connect(server.url, committeeId, revoked)];
    await chairClient.write('before', 'seen by all');
    await waitFor('everyone to see the first entry', () => keptClient.read('before') !== undefined && revokedClient.read('before') !== undefined);
    const before = ServerMembers.parse((await api(server.url, 'GET', committeeRoutes.members(committeeId), undefined, chair)).json);
    expect(before.every((member) => member.connected)).toBe(true);

    const answer = await api(server.url, 'DELETE', committeeRoutes.member(committeeId, revoked.memberId), undefined, chair);
    expect(answer.status).toBe(200);
    expect(ServerMembers.parse(answer.json).find((member) => member.memberId === revoked.memberId)).toMatchObject({ connected: false, revokedAt: expect.any(String) });
    await waitFor('the revoked member’s socket to close', () => revokedClient.closeReasons.includes(closeReasons.revoked));

    await chairClient.write('after', 'not for the revoked member');
    await waitFor('the kept member to see the later entry', () => keptClient.read('after') !== undefined);
    // The kept member has it, so it was broadcast; give a straggling frame time to arrive anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(revokedClient.read('after')).toBeUndefined();
    revokedClient.doc.getMap('entries').set('sneaked', 'in');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chairClient.read('sneaked')).toBeUndefined();

    expect((await connect(server.url, committeeId, revoked, true)).refusals).toEqual([closeReasons.revoked]);
    const http = await api(server.url, 'GET', committeeRoutes.members(committeeId), undefined, revoked);
    expect([http.status, codeOf(http)]).toEqual([403, closeReasons.revoked]);
  });

  it('logs one line per event and never a key, token, proof or wrapped key', () => {
    expect(logged.some((line) => line.startsWith('listening '))).toBe(true);
    expect(logged.some((line) => line.startsWith('committee created '))).toBe(true);
    expect(logged.some((line) => line.startsWith('member joined '))).toBe(true);
    expect(logged.some((line) => line.startsWith('member revoked '))).toBe(true);
    expect(logged.some((line) => line.startsWith('connection opened '))).toBe(true);
    expect(logged.some((line) => line.startsWith('connection refused '))).toBe(true);
    expect(secrets.length).toBeGreaterThan(4);
    for (const value of secrets) expect(logged.filter((line) => line.includes(value))).toEqual([]);
  });
});

describe('committee server: durable storage across kills and restarts (a process)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-committee-durable-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no acknowledged edit when SIGKILLed right after it, nor when stopped with SIGTERM', async () => {
    const first = await spawnCommitteeServer({ dataDir });
    const { committeeId, chair } = await createCommittee(first.url);
    const writer = await connect(first.url, committeeId, chair);
    await writer.write('rating', 'acknowledged, then killed');
    await first.kill('SIGKILL');
    writer.destroy();

    const second = await spawnCommitteeServer({ dataDir });
    const reader = await connect(second.url, committeeId, chair);
    expect(reader.read('rating')).toBe('acknowledged, then killed');
    await reader.write('note', 'written, then a clean stop');
    reader.destroy();
    await second.stop();
    expect(second.log()).toMatch(/stopped instance=/);
    // A clean stop compacted: the appended updates were folded into the stored state.
    const database = new Database(join(dataDir, 'committee-server.sqlite'), { readonly: true });
    expect(database.prepare('SELECT count(*) AS n FROM document_updates').get()).toEqual({ n: 0 });
    expect(database.prepare('SELECT count(*) AS n FROM documents WHERE committee_id = ?').get(committeeId)).toEqual({ n: 1 });
    database.close();

    const third = await spawnCommitteeServer({ dataDir });
    const fresh = await connect(third.url, committeeId, chair);
    expect([fresh.read('rating'), fresh.read('note')]).toEqual(['acknowledged, then killed', 'written, then a clean stop']);
    fresh.destroy();
    await third.stop();
  });
});

describe('committee server: two instances, one data folder, one Redis', () => {
  let dataDir: string;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let one: Awaited<ReturnType<typeof spawnCommitteeServer>>;
  let two: Awaited<ReturnType<typeof spawnCommitteeServer>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-committee-scaled-'));
    redis = await startRedis();
    [one, two] = await Promise.all([
      spawnCommitteeServer({ dataDir, redisUrl: redis.url, instance: 'one' }),
      spawnCommitteeServer({ dataDir, redisUrl: redis.url, instance: 'two' }),
    ]);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await Promise.all([one.stop(), two.stop()]);
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers an edit made on one instance to a member on the other, and a revocation sent to one closes the socket on the other', async () => {
    expect(ServerHealth.parse((await api(two.url, 'GET', committeeRoutes.health)).json).instance).toBe('two');
    const { committeeId, chair } = await createCommittee(one.url);
    // Invited through one instance, joined through the other: they share the database.
    const member = await joinCommittee(two.url, committeeId, chair);
    const onOne = await connect(one.url, committeeId, chair);
    const onTwo = await connect(two.url, committeeId, member);

    await onOne.write('from-one', 'rating 4');
    await waitFor('the edit on instance one to reach instance two’s member', () => onTwo.read('from-one') === 'rating 4');
    await onTwo.write('from-two', 'rating 2');
    await waitFor('the edit on instance two to reach instance one’s chair', () => onOne.read('from-two') === 'rating 2');

    await waitFor('instance one to see the member connected on instance two', async () => {
      const members = ServerMembers.parse((await api(one.url, 'GET', committeeRoutes.members(committeeId), undefined, chair)).json);
      return members.find((entry) => entry.memberId === member.memberId)?.connected === true;
    });

    expect((await api(one.url, 'DELETE', committeeRoutes.member(committeeId, member.memberId), undefined, chair)).status).toBe(200);
    await waitFor('the member’s socket on instance two to close', () => onTwo.closeReasons.includes(closeReasons.revoked));
    await onOne.write('after-revocation', 'secret rating');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(onTwo.read('after-revocation')).toBeUndefined();
    expect((await connect(two.url, committeeId, member, true)).refusals).toEqual([closeReasons.revoked]);
  });
});
