import { z } from 'zod';

/**
 * What a Dossier app and a committee server agree on: the invite code a chair hands a colleague,
 * the server's HTTP routes with their bodies, and the labels both sides derive secrets with.
 * Nothing here is encrypted or decrypted: the server never holds the committee key (see
 * docs/decisions/0018-committee-review.md).
 */

/** Every route of the committee server starts with this; the sync socket is `${committeeRoutes.base}/sync`. */
export const committeeRoutes = {
  base: '/v1',
  health: '/v1/health',
  committees: '/v1/committees',
  committee: (committeeId: string) => `/v1/committees/${encodeURIComponent(committeeId)}`,
  members: (committeeId: string) => `/v1/committees/${encodeURIComponent(committeeId)}/members`,
  member: (committeeId: string, memberId: string) => `/v1/committees/${encodeURIComponent(committeeId)}/members/${encodeURIComponent(memberId)}`,
  invites: (committeeId: string) => `/v1/committees/${encodeURIComponent(committeeId)}/invites`,
  invite: (committeeId: string, inviteId: string) => `/v1/committees/${encodeURIComponent(committeeId)}/invites/${encodeURIComponent(inviteId)}`,
  redeem: (committeeId: string, inviteId: string) => `/v1/committees/${encodeURIComponent(committeeId)}/invites/${encodeURIComponent(inviteId)}/redeem`,
  sync: '/v1/sync',
} as const;

/** Random identifiers: committees, members and invites are named by 128-bit random ids, base64url. */
export const RandomId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an id is 22 base64url characters (128 random bits)');
/** A 256-bit random secret, base64url: a member's key to the server, or an invite token. */
export const Secret256 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a secret is 43 base64url characters (256 random bits)');

/**
 * A member authenticates every request and the sync socket with `Bearer <memberId>.<authKey>`.
 * The server keeps only SHA-256(authKey) and compares in constant time.
 */
export const bearerOf = (memberId: string, authKey: string): string => `${memberId}.${authKey}`;

/**
 * Labels for what both sides derive from an invite token with SHA-256(label + token): the server
 * is sent only the `proof` (and stores its SHA-256); the `wrap` key, which unwraps the committee
 * key, never leaves the inviting and the joining machine.
 */
export const inviteDerivation = { proof: 'dossier-committee-invite-proof:v1:', wrap: 'dossier-committee-invite-wrap:v1:' } as const;

export const MemberRole = z.enum(['chair', 'member']);
export type MemberRole = z.infer<typeof MemberRole>;

/** POST /v1/committees: opens a committee whose first member is its chair. 201, or 409 `committee.exists`. */
export const CreateCommitteeRequest = z.object({ committeeId: RandomId, chair: z.object({ memberId: RandomId, authKey: Secret256 }) });
export type CreateCommitteeRequest = z.infer<typeof CreateCommitteeRequest>;

/**
 * POST /v1/committees/:id/invites (chair only): a single-use invite. `proofHash` is
 * base64url(SHA-256(proof)); `wrappedKey` is the committee key sealed with the wrap key (opaque to the server).
 */
export const CreateInviteRequest = z.object({
  inviteId: RandomId,
  proofHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  wrappedKey: z.string().min(1).max(4096),
  role: MemberRole.default('member'),
  expiresAt: z.iso.datetime(),
});
export type CreateInviteRequest = z.infer<typeof CreateInviteRequest>;

/** POST /v1/committees/:id/invites/:inviteId/redeem (no bearer): the joining member names its own id and key. */
export const RedeemInviteRequest = z.object({ proof: z.string().regex(/^[A-Za-z0-9_-]{43}$/), memberId: RandomId, authKey: Secret256 });
export type RedeemInviteRequest = z.infer<typeof RedeemInviteRequest>;
/** 200 on redeem; 410 `invite.used` / `invite.expired`, 403 `invite.wrong_proof`, 404 `invite.unknown`. */
export const RedeemInviteResponse = z.object({ committeeId: RandomId, memberId: RandomId, role: MemberRole, wrappedKey: z.string() });
export type RedeemInviteResponse = z.infer<typeof RedeemInviteResponse>;

/** GET /v1/committees/:id/members (any active member). DELETE …/members/:memberId (chair only) revokes and answers the same list. */
export const ServerMember = z.object({
  memberId: RandomId,
  role: MemberRole,
  joinedAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  /** Whether the member has a sync socket open on any instance right now. */
  connected: z.boolean(),
});
export type ServerMember = z.infer<typeof ServerMember>;
export const ServerMembers = z.array(ServerMember);

/** GET /v1/committees/:id/invites (chair only): open and used invites, without their secrets. DELETE …/invites/:inviteId cancels one. */
export const ServerInvite = z.object({ inviteId: RandomId, role: MemberRole, expiresAt: z.iso.datetime(), redeemedBy: RandomId.nullable(), cancelled: z.boolean() });
export const ServerInvites = z.array(ServerInvite);

/** Every error the server answers: a stable code and a sentence a person can act on. */
export const ServerError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** GET /v1/health: which instance answered (two instances behind one address tell apart by it). */
export const ServerHealth = z.object({ ok: z.literal(true), instance: z.string(), version: z.string() });

/**
 * The WebSocket close reasons the server gives a member it turns away, so the app can say why
 * rather than retry forever.
 */
export const closeReasons = { revoked: 'member.revoked', unknown: 'member.unknown', wrongCommittee: 'committee.mismatch' } as const;

/**
 * The invite code a chair passes to a colleague: `dossier-invite:` then base64url of
 * {v, server, committeeId, inviteId, token}. The token is the one secret in it; it is single-use and
 * expires, and once redeemed it grants nothing.
 */
export const InviteCode = z.object({
  v: z.literal(1),
  server: z.url({ protocol: /^(https?|wss?)$/ }),
  committeeId: RandomId,
  inviteId: RandomId,
  token: Secret256,
});
export type InviteCode = z.infer<typeof InviteCode>;

const invitePrefix = 'dossier-invite:';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

export function encodeInviteCode(code: InviteCode): string {
  return `${invitePrefix}${toBase64Url(JSON.stringify(InviteCode.parse(code)))}`;
}

/** Reads an invite code as pasted (spaces and line breaks from a mail client ignored); throws a sentence when it is not one. */
export function decodeInviteCode(pasted: string): InviteCode {
  const compact = pasted.replace(/\s+/g, '');
  if (!compact.startsWith(invitePrefix)) throw new Error(`An invite code starts with “${invitePrefix}”; ask the committee’s chair for a new one.`);
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(compact.slice(invitePrefix.length)));
  } catch {
    throw new Error('This invite code is cut short or mistyped; copy it again whole, or ask the chair for a new one.');
  }
  const parsed = InviteCode.safeParse(json);
  if (!parsed.success) throw new Error('This invite code is not one this version of Dossier reads; ask the chair for a new one.');
  return parsed.data;
}
