import type { z } from 'zod';
import {
  bearerOf, committeeRoutes, RedeemInviteResponse, ServerError, ServerMembers,
  type CreateCommitteeRequest, type CreateInviteRequest, type RedeemInviteRequest, type ServerMember,
} from '../../../shared/committee.ts';
import { DossierError } from '../base/errors.ts';

/** A member's credentials on a committee server; sent only as the bearer, never logged. */
export interface MemberCredentials {
  readonly memberId: string;
  readonly authKey: string;
}

const requestTimeoutMs = 15_000;

/** The HTTP origin of a committee server given as http(s):// or ws(s)://. */
export function httpOrigin(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.origin;
}

/** The sync socket's address for a committee server. */
export function syncSocketUrl(serverUrl: string): string {
  const url = new URL(committeeRoutes.sync, httpOrigin(serverUrl));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function serverFailure(origin: string, status: number, body: unknown): DossierError {
  const parsed = ServerError.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : `http.${status}`;
  const said = parsed.success ? parsed.data.error.message : `it answered HTTP ${status}`;
  if (code === 'member.revoked') return new DossierError('committee.revoked', 'The committee’s chair removed you from this committee; your copy stays readable here, but nothing new reaches it.', { server: origin });
  if (code.startsWith('invite.')) return new DossierError('committee.invite', `This invite code can no longer be used (${said}). Ask the committee’s chair for a new one.`, { server: origin, reason: code });
  if (code === 'member.not_chair') return new DossierError('committee.not_chair', 'Only the committee’s chair can do this.', { server: origin });
  return new DossierError('committee.server', `The committee server at ${origin} refused the request: ${said}`, { server: origin, status, reason: code });
}

async function call<T>(serverUrl: string, method: string, path: string, schema: z.ZodType<T> | null, body?: unknown, credentials?: MemberCredentials): Promise<T | undefined> {
  const origin = httpOrigin(serverUrl);
  let response: Response;
  try {
    response = await fetch(`${origin}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(credentials === undefined ? {} : { authorization: `Bearer ${bearerOf(credentials.memberId, credentials.authKey)}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw new DossierError('network.unreachable', `The committee server at ${origin} cannot be reached. Check the address and your connection, then try again.`, { server: origin }, { cause: error });
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    // An answer that is not JSON (a proxy's error page) is reported by its status below.
  }
  if (!response.ok) throw serverFailure(origin, response.status, json);
  if (schema === null) return undefined;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DossierError('committee.server', `The committee server at ${origin} gave an answer this version of Dossier does not read. Is it a Dossier committee server?`, { server: origin });
  return parsed.data;
}

/** The committee server's HTTP routes (shared/committee.ts), with its answers checked and its errors turned into Dossier's. */
export const committeeServer = {
  async create(serverUrl: string, request: CreateCommitteeRequest): Promise<void> {
    await call(serverUrl, 'POST', committeeRoutes.committees, null, request);
  },
  async invite(serverUrl: string, committeeId: string, chair: MemberCredentials, request: CreateInviteRequest): Promise<void> {
    await call(serverUrl, 'POST', committeeRoutes.invites(committeeId), null, request, chair);
  },
  async redeem(serverUrl: string, committeeId: string, inviteId: string, request: RedeemInviteRequest): Promise<RedeemInviteResponse> {
    return (await call(serverUrl, 'POST', committeeRoutes.redeem(committeeId, inviteId), RedeemInviteResponse, request)) as RedeemInviteResponse;
  },
  async members(serverUrl: string, committeeId: string, member: MemberCredentials): Promise<ServerMember[]> {
    return (await call(serverUrl, 'GET', committeeRoutes.members(committeeId), ServerMembers, undefined, member)) as ServerMember[];
  },
  async revoke(serverUrl: string, committeeId: string, chair: MemberCredentials, memberId: string): Promise<ServerMember[]> {
    return (await call(serverUrl, 'DELETE', committeeRoutes.member(committeeId, memberId), ServerMembers, undefined, chair)) as ServerMember[];
  },
};
