import { createHash, timingSafeEqual } from 'node:crypto';
import { closeReasons, RandomId, Secret256 } from '../../shared/committee.ts';
import type { CommitteeStore, StoredMember } from './store.ts';

/** A request or socket the server turns away: the HTTP status, and a stable code with a sentence a person can act on. */
export class Refusal extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compared against when the member id is unknown, so an unknown id costs the same time as a wrong key. */
const absentKeyHash = sha256('no such member');

/**
 * The member a token `<memberId>.<authKey>` names, checked against the SHA-256 the server keeps in
 * constant time, active, and of `committeeId`. The codes are `closeReasons`, so the socket and
 * HTTP refuse in the same words.
 */
export function authenticate(store: CommitteeStore, token: string, committeeId: string): StoredMember {
  const separator = token.indexOf('.');
  const memberId = token.slice(0, separator);
  const authKey = token.slice(separator + 1);
  const unknown = new Refusal(401, closeReasons.unknown, 'This server does not know these member credentials. Join the committee again with a new invite from its chair.');
  if (separator < 0 || !RandomId.safeParse(memberId).success || !Secret256.safeParse(authKey).success) throw unknown;
  const member = store.member(memberId);
  const matches = timingSafeEqual(sha256(authKey), member?.keyHash ?? absentKeyHash);
  if (member === undefined || !matches) throw unknown;
  if (member.committeeId !== committeeId) {
    throw new Refusal(403, closeReasons.wrongCommittee, 'These member credentials belong to another committee on this server; open the committee they were issued for.');
  }
  if (member.revokedAt !== null) {
    throw new Refusal(403, closeReasons.revoked, 'The committee’s chair removed this member; nothing new is shared with it. Ask the chair for a new invite if that was a mistake.');
  }
  return member;
}
