import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import {
  committeeRoutes, CreateCommitteeRequest, CreateInviteRequest, RedeemInviteRequest,
  type RedeemInviteResponse, type ServerMember, type ServerInvite,
} from '../../shared/committee.ts';
import { authenticate, Refusal, sha256 } from './auth.ts';
import type { Cluster } from './cluster.ts';
import type { CommitteeStore, StoredInvite } from './store.ts';

type PublicInvite = z.infer<typeof ServerInvite>;

/** Larger bodies are refused unread: the largest real one (an invite with its wrapped key) is a few kilobytes. */
export const maxBodyBytes = 64 * 1024;
/** After this many wrong proofs an invite is cancelled: a token of 256 bits is not guessed, but a leaked invite id should not be probed forever. */
export const maxWrongProofs = 10;

export interface RouteContext {
  readonly store: CommitteeStore;
  readonly cluster: Cluster;
  readonly instance: string;
  readonly version: string;
  readonly log: (line: string) => void;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  response.end(text);
}

async function readBody<T>(request: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) throw new Refusal(413, 'request.too_large', `The request body is larger than ${maxBodyBytes / 1024} KB, more than any committee request needs.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Refusal(413, 'request.too_large', `The request body is larger than ${maxBodyBytes / 1024} KB, more than any committee request needs.`);
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'request.invalid', 'The request body is not JSON; send a JSON object with content-type application/json.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Refusal(400, 'request.invalid', `The request body is not what this route takes: ${first?.path.join('.') || 'body'}: ${first?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

function bearer(request: IncomingMessage): string {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) throw new Refusal(401, 'auth.missing', 'This route needs the member’s credentials as “Authorization: Bearer <memberId>.<authKey>”.');
  return header.slice('Bearer '.length).trim();
}

function requireChair(context: RouteContext, request: IncomingMessage, committeeId: string) {
  const member = authenticate(context.store, bearer(request), committeeId);
  if (member.role !== 'chair') throw new Refusal(403, 'member.not_chair', 'Only the committee’s chair can do this; ask the chair.');
  return member;
}

async function membersOf(context: RouteContext, committeeId: string): Promise<ServerMember[]> {
  const connected = await context.cluster.connected(committeeId);
  return context.store.members(committeeId).map((member) => ({
    memberId: member.memberId, role: member.role, joinedAt: member.joinedAt, revokedAt: member.revokedAt,
    connected: member.revokedAt === null && connected.has(member.memberId),
  }));
}

const publicInvite = (invite: StoredInvite): PublicInvite => ({
  inviteId: invite.inviteId, role: invite.role, expiresAt: invite.expiresAt, redeemedBy: invite.redeemedBy, cancelled: invite.cancelled,
});

function committeeMustExist(context: RouteContext, committeeId: string): void {
  if (!context.store.committeeExists(committeeId)) throw new Refusal(404, 'committee.unknown', 'This server has no committee of that id. Check the server address in the invite, or ask the chair.');
}

function redeemableInvite(context: RouteContext, committeeId: string, inviteId: string, proof: string): StoredInvite {
  const invite = context.store.invite(committeeId, inviteId);
  if (invite === undefined) throw new Refusal(404, 'invite.unknown', 'This server knows no such invite. Check that the code was copied whole, or ask the chair for a new one.');
  if (invite.redeemedBy !== null) throw new Refusal(410, 'invite.used', 'This invite was used already; each invite admits one person. Ask the chair for a new one.');
  if (invite.cancelled) throw new Refusal(410, 'invite.cancelled', 'The chair cancelled this invite (or it was tried with a wrong code too often). Ask the chair for a new one.');
  if (Date.parse(invite.expiresAt) <= Date.now()) throw new Refusal(410, 'invite.expired', 'This invite has expired. Ask the chair for a new one.');
  if (base64url(sha256(proof)) !== invite.proofHash) {
    context.store.countWrongProof(committeeId, inviteId, maxWrongProofs);
    throw new Refusal(403, 'invite.wrong_proof', 'This invite code does not match the invite; copy the whole code again, or ask the chair for a new one.');
  }
  return invite;
}

interface RouteParts { readonly committeeId: string; readonly memberId: string; readonly inviteId: string }
type Handler = (request: IncomingMessage, response: ServerResponse, parts: RouteParts) => Promise<void>;

function routesOf(context: RouteContext): Array<{ method: string; pattern: RegExp; handler: Handler }> {
  const id = '([A-Za-z0-9_-]+)';
  const committee = `^${committeeRoutes.committees}/${id}`;
  return [
    {
      method: 'GET', pattern: new RegExp(`^${committeeRoutes.health}$`),
      handler: async (_request, response) => send(response, 200, { ok: true, instance: context.instance, version: context.version }),
    },
    {
      method: 'POST', pattern: new RegExp(`^${committeeRoutes.committees}$`),
      handler: async (request, response) => {
        const body = await readBody(request, CreateCommitteeRequest);
        if (context.store.member(body.chair.memberId) !== undefined) throw new Refusal(409, 'member.exists', 'A member of that id exists already on this server; make new credentials and try again.');
        if (!context.store.createCommittee(body.committeeId, body.chair.memberId, sha256(body.chair.authKey), new Date().toISOString())) {
          throw new Refusal(409, 'committee.exists', 'A committee of that id exists already on this server; create the committee again to get a new id.');
        }
        context.log(`committee created committee=${body.committeeId} chair=${body.chair.memberId}`);
        send(response, 201, await membersOf(context, body.committeeId));
      },
    },
    {
      method: 'GET', pattern: new RegExp(`${committee}/members$`),
      handler: async (request, response, { committeeId }) => {
        authenticate(context.store, bearer(request), committeeId);
        send(response, 200, await membersOf(context, committeeId));
      },
    },
    {
      method: 'DELETE', pattern: new RegExp(`${committee}/members/${id}$`),
      handler: async (request, response, { committeeId, memberId }) => {
        const chair = requireChair(context, request, committeeId);
        if (memberId === chair.memberId) throw new Refusal(400, 'member.self_revoke', 'A chair cannot remove itself; the committee would have no chair.');
        const target = context.store.member(memberId);
        if (target === undefined || target.committeeId !== committeeId) throw new Refusal(404, 'member.unknown', 'This committee has no member of that id.');
        if (context.store.revokeMember(committeeId, memberId, new Date().toISOString())) {
          context.log(`member revoked committee=${committeeId} member=${memberId} by=${chair.memberId}`);
          await context.cluster.revoked(committeeId, memberId);
        }
        send(response, 200, await membersOf(context, committeeId));
      },
    },
    {
      method: 'GET', pattern: new RegExp(`${committee}/invites$`),
      handler: async (request, response, { committeeId }) => {
        requireChair(context, request, committeeId);
        send(response, 200, context.store.invites(committeeId).map(publicInvite));
      },
    },
    {
      method: 'POST', pattern: new RegExp(`${committee}/invites$`),
      handler: async (request, response, { committeeId }) => {
        const chair = requireChair(context, request, committeeId);
        const body = await readBody(request, CreateInviteRequest);
        if (Date.parse(body.expiresAt) <= Date.now()) throw new Refusal(400, 'request.invalid', 'The invite would expire before it is sent; give it an expiry in the future.');
        if (!context.store.createInvite(committeeId, body)) throw new Refusal(409, 'invite.exists', 'An invite of that id exists already; make a new invite.');
        context.log(`invite created committee=${committeeId} invite=${body.inviteId} role=${body.role} by=${chair.memberId}`);
        send(response, 201, publicInvite(context.store.invite(committeeId, body.inviteId) as StoredInvite));
      },
    },
    {
      method: 'DELETE', pattern: new RegExp(`${committee}/invites/${id}$`),
      handler: async (request, response, { committeeId, inviteId }) => {
        requireChair(context, request, committeeId);
        if (context.store.invite(committeeId, inviteId) === undefined) throw new Refusal(404, 'invite.unknown', 'This committee has no invite of that id.');
        context.store.cancelInvite(committeeId, inviteId);
        context.log(`invite cancelled committee=${committeeId} invite=${inviteId}`);
        send(response, 200, context.store.invites(committeeId).map(publicInvite));
      },
    },
    {
      method: 'POST', pattern: new RegExp(`${committee}/invites/${id}/redeem$`),
      handler: async (request, response, { committeeId, inviteId }) => {
        const body = await readBody(request, RedeemInviteRequest);
        committeeMustExist(context, committeeId);
        const invite = redeemableInvite(context, committeeId, inviteId, body.proof);
        if (context.store.member(body.memberId) !== undefined) throw new Refusal(409, 'member.exists', 'A member of that id exists already on this server; join again to make new credentials.');
        if (!context.store.redeemInvite(committeeId, invite.inviteId, body.memberId, invite.role, sha256(body.authKey), new Date().toISOString())) {
          throw new Refusal(410, 'invite.used', 'This invite was used already; each invite admits one person. Ask the chair for a new one.');
        }
        context.log(`member joined committee=${committeeId} member=${body.memberId} role=${invite.role} invite=${invite.inviteId}`);
        const answer: RedeemInviteResponse = { committeeId: committeeId, memberId: body.memberId, role: invite.role, wrappedKey: invite.wrappedKey };
        send(response, 200, answer);
      },
    },
  ];
}

/** Answers every HTTP request of the committee server: the routes of shared/committee.ts, JSON in and out. */
export function createRequestHandler(context: RouteContext): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const routes = routesOf(context);
  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://committee.invalid').pathname;
    try {
      const matching = routes.map((route) => ({ route, match: route.pattern.exec(path) })).filter(({ match }) => match !== null);
      if (matching.length === 0) throw new Refusal(404, 'route.unknown', `This committee server has no route ${path}; is the address right?`);
      const found = matching.find(({ route }) => route.method === request.method);
      if (found === undefined) throw new Refusal(405, 'route.method', `${path} does not take ${request.method}; it takes ${matching.map(({ route }) => route.method).join(', ')}.`);
      const [, committeeId = '', second = ''] = found.match as RegExpExecArray;
      const parts = { committeeId: decodeURIComponent(committeeId), memberId: decodeURIComponent(second), inviteId: decodeURIComponent(second) };
      await found.route.handler(request, response, parts);
    } catch (error) {
      if (!(error instanceof Refusal)) {
        context.log(`request failed ${request.method} ${path}: ${(error as Error).message}`);
        send(response, 500, { error: { code: 'server.failed', message: 'The committee server failed on this request; try again, and tell its operator if it keeps failing.' } });
        return;
      }
      if (error.status === 401 || error.status === 403) context.log(`request refused ${request.method} ${path} code=${error.code}`);
      send(response, error.status, { error: { code: error.code, message: error.message } });
    }
  };
}
