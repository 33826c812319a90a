import { z } from 'zod';
import { MemberRole } from '../committee.ts';
import { Id, Instant, ReviewStatus } from '../domain.ts';
import { endpoint } from './define.ts';

/** How this machine stands with a committee's server right now. */
export const CommitteeConnection = z.enum(['online', 'connecting', 'offline', 'revoked']);
export type CommitteeConnection = z.infer<typeof CommitteeConnection>;

/** A committee this machine belongs to, as every committee call returns it. */
export const Committee = z.object({
  id: z.string(),
  name: z.string(),
  serverUrl: z.string(),
  role: MemberRole,
  /** This machine's member. */
  memberId: z.string(),
  memberName: z.string(),
  /** The local account whose cache the committee's records are matched against (by the provider's ids). */
  accountId: Id,
  /** The committee's jobs as this machine's cache knows them (a job not synced here yet is left out). */
  jobIds: z.array(Id),
  jobRemoteIds: z.array(z.string()),
  connection: CommitteeConnection,
  /** Local changes the server has not acknowledged yet (they are kept on disk and sent on reconnect). */
  pendingChanges: z.number().int().nonnegative(),
  lastSyncedAt: Instant.nullable(),
  memberCount: z.number().int().nonnegative(),
});
export type Committee = z.infer<typeof Committee>;

export const CommitteeMember = z.object({
  memberId: z.string(),
  name: z.string(),
  role: MemberRole,
  revoked: z.boolean(),
  /** Whether the member is connected right now (as the server last said; null offline). */
  connected: z.boolean().nullable(),
  isMe: z.boolean(),
});
export type CommitteeMember = z.infer<typeof CommitteeMember>;

/** One member's view of one candidate, as the tally shows it. */
export const MemberVerdict = z.object({
  memberId: z.string(),
  rating: z.number().int().nullable(),
  /** Weighted mean of the member's scores on the committee's rubric; null when they scored nothing. */
  score: z.number().nullable(),
  /** The member's score, or their rating where the committee has no rubric: what the tally averages. */
  value: z.number().nullable(),
  read: z.boolean(),
  proposal: ReviewStatus.nullable(),
  assigned: z.boolean(),
});
export type MemberVerdict = z.infer<typeof MemberVerdict>;

export const TallyRow = z.object({
  applicationRemoteId: z.string(),
  /** The application in this machine's cache; null when it has not been synced here (yet). */
  applicationId: Id.nullable(),
  name: z.string(),
  jobTitle: z.string(),
  verdicts: z.array(MemberVerdict),
  mean: z.number().nullable(),
  /** Highest minus lowest value among the members who gave one; null below two values. */
  spread: z.number().nullable(),
  /** Rank by mean, 1 = best; ties share a rank; null without a mean. */
  rank: z.number().int().positive().nullable(),
  readBy: z.number().int().nonnegative(),
  /** Members who have not opened or judged this candidate. */
  unreadBy: z.array(z.string()),
  discussion: z.number().int().nonnegative(),
});
export type TallyRow = z.infer<typeof TallyRow>;

export const TallySort = z.enum(['disagreement', 'mean', 'rank', 'name', 'unread']);
export const TallyFilter = z.enum(['all', 'assignedToMe', 'unreadByMe', 'disagreements']);

export const Tally = z.object({
  committeeId: z.string(),
  members: z.array(CommitteeMember),
  /** The committee rubric's criteria, in order; empty when the committee rates on one scale. */
  criteria: z.array(z.object({ name: z.string(), weight: z.number() })),
  scale: z.object({ min: z.number().int(), max: z.number().int() }),
  rows: z.array(TallyRow),
  /** Rows before filtering (the filter chips show it). */
  total: z.number().int().nonnegative(),
  /** How many rows each filter keeps, whichever is applied (the filter chips show them). */
  counts: z.record(TallyFilter, z.number().int().nonnegative()),
});
export type Tally = z.infer<typeof Tally>;

export const DiscussionMessage = z.object({ id: z.string(), memberId: z.string(), memberName: z.string(), at: Instant, text: z.string() });
export type DiscussionMessage = z.infer<typeof DiscussionMessage>;

/** Everything the committee shares about one candidate: per member and the discussion. */
export const CommitteeCandidate = z.object({
  committeeId: z.string(),
  applicationRemoteId: z.string(),
  members: z.array(CommitteeMember.extend({
    rating: z.number().int().nullable(),
    scores: z.array(z.object({ criterion: z.string(), score: z.number().int() })),
    score: z.number().nullable(),
    sharedNote: z.string(),
    proposal: ReviewStatus.nullable(),
    read: z.boolean(),
    assigned: z.boolean(),
  })),
  discussion: z.array(DiscussionMessage),
});
export type CommitteeCandidate = z.infer<typeof CommitteeCandidate>;

const CommitteeRef = z.object({ committeeId: z.string().min(1) });
const ServerUrl = z.url({ protocol: /^(https?|wss?)$/, error: 'a committee server address starts with https:// (or http:// on this machine)' });
const Name = z.string().trim().min(1, 'a name needs at least one character').max(120);

export const committeeApi = {
  'committee.list': endpoint({ input: z.object({}), result: z.array(Committee), errors: [] }),
  /** Opens a committee on a server for jobs of one account; this machine becomes its chair. Needs the server reachable. */
  'committee.create': endpoint({
    input: z.object({ name: Name, serverUrl: ServerUrl, accountId: Id, jobIds: z.array(Id).min(1, 'choose at least one job').max(200), memberName: Name }),
    result: Committee,
    errors: ['input.invalid', 'network.unreachable', 'committee.server'],
  }),
  /**
   * A single-use invite code, valid `days` days. The one committee secret the UI is ever shown: a
   * person has to pass it on. Once redeemed it grants nothing.
   */
  'committee.invite': endpoint({
    input: CommitteeRef.extend({ days: z.number().int().min(1).max(30).default(7) }),
    result: z.object({ code: z.string(), expiresAt: Instant }),
    errors: ['input.invalid', 'network.unreachable', 'committee.server', 'committee.not_chair'],
  }),
  /** Joins with an invite code, matching the committee's records against `accountId` (default: the only account of the committee's provider). */
  'committee.join': endpoint({
    input: z.object({ code: z.string().min(1).max(4096), memberName: Name, accountId: Id.optional() }),
    result: Committee,
    errors: ['input.invalid', 'network.unreachable', 'committee.server', 'committee.invite', 'committee.revoked'],
  }),
  /** Forgets the committee on this machine (the shared work stays with the others). */
  'committee.leave': endpoint({ input: CommitteeRef, result: z.object({ left: z.string() }), errors: ['input.invalid'] }),
  'committee.members': endpoint({ input: CommitteeRef, result: z.array(CommitteeMember), errors: ['input.invalid'] }),
  /** Chair only: the member gets nothing new from now on, on every server instance. */
  'committee.revoke': endpoint({ input: CommitteeRef.extend({ memberId: z.string().min(1) }), result: z.array(CommitteeMember), errors: ['input.invalid', 'network.unreachable', 'committee.server', 'committee.not_chair'] }),
  'committee.tally': endpoint({
    input: CommitteeRef.extend({ sort: TallySort.default('disagreement'), filter: TallyFilter.default('all'), jobId: Id.optional() }),
    result: Tally,
    errors: ['input.invalid'],
  }),
  'committee.candidate': endpoint({ input: CommitteeRef.extend({ applicationId: Id }), result: CommitteeCandidate, errors: ['input.invalid'] }),
  /** The committees whose jobs include this application (the packet shows their panel). */
  'committee.forApplication': endpoint({ input: z.object({ applicationId: Id }), result: z.array(Committee), errors: ['input.invalid'] }),
  'committee.setSharedNote': endpoint({ input: CommitteeRef.extend({ applicationId: Id, note: z.string().max(20_000) }), result: CommitteeCandidate, errors: ['input.invalid'] }),
  'committee.propose': endpoint({ input: CommitteeRef.extend({ applicationId: Id, status: ReviewStatus.nullable() }), result: CommitteeCandidate, errors: ['input.invalid'] }),
  'committee.post': endpoint({ input: CommitteeRef.extend({ applicationId: Id, text: z.string().trim().min(1, 'write something first').max(4000) }), result: CommitteeCandidate, errors: ['input.invalid'] }),
  /** Assigns candidates to a member to read ("read these 40"), or takes them back. */
  'committee.assign': endpoint({
    input: CommitteeRef.extend({ memberId: z.string().min(1), applicationIds: z.array(Id).min(1).max(20000), assigned: z.boolean().default(true) }),
    result: z.object({ changed: z.number().int().nonnegative() }),
    errors: ['input.invalid'],
  }),
  /** Splits every candidate among the active members so each is read by `readers` of them, evenly. */
  'committee.split': endpoint({
    input: CommitteeRef.extend({ readers: z.number().int().min(1).max(50).default(2) }),
    result: z.object({ assignments: z.array(z.object({ memberId: z.string(), count: z.number().int().nonnegative() })) }),
    errors: ['input.invalid'],
  }),
  /** Writes the tally as CSV into a folder (one row per candidate, a column per member). */
  'committee.exportTally': endpoint({
    input: CommitteeRef.extend({ out: z.string().min(1).max(4096), overwrite: z.boolean().default(false) }),
    result: z.object({ path: z.string(), rows: z.number().int().nonnegative() }),
    errors: ['input.invalid', 'export.failed', 'export.exists', 'disk.full'],
  }),
};
