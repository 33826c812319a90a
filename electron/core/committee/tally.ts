import type { CommitteeMember, MemberVerdict, Tally, TallyFilter, TallyRow, TallySort } from '../../../shared/api/committee.ts';
import type { CommitteeApplication } from '../storage/committees.ts';
import type { CommitteeRubric, MemberCandidate } from './doc.ts';

export type TallySortName = (typeof TallySort.options)[number];
export type TallyFilterName = (typeof TallyFilter.options)[number];
const filterNames: readonly TallyFilterName[] = ['all', 'assignedToMe', 'unreadByMe', 'disagreements'];

export interface TallyInput {
  readonly committeeId: string;
  readonly myMemberId: string;
  /** Everyone in the roster; only members not revoked are tallied. */
  readonly members: readonly CommitteeMember[];
  readonly rubric: CommitteeRubric;
  /** The committee's applications in this machine's cache. */
  readonly applications: readonly CommitteeApplication[];
  /** memberId → application remote id → what the member shared. */
  readonly shared: ReadonlyMap<string, ReadonlyMap<string, MemberCandidate>>;
  readonly assignments: ReadonlyMap<string, ReadonlySet<string>>;
  readonly discussion: ReadonlyMap<string, number>;
}

/** Weighted mean of the scores given on the committee's criteria (matched by name); null when none was scored. */
export function weightedScore(rubric: CommitteeRubric, scores: Readonly<Record<string, number>> | undefined): number | null {
  let total = 0;
  let weights = 0;
  for (const criterion of rubric.criteria) {
    const given = scores?.[criterion.name];
    if (given === undefined) continue;
    total += given * criterion.weight;
    weights += criterion.weight;
  }
  return weights === 0 ? null : total / weights;
}

function verdictOf(input: TallyInput, memberId: string, remoteId: string): MemberVerdict {
  const shared = input.shared.get(memberId)?.get(remoteId) ?? {};
  const rating = shared.rating ?? null;
  const score = weightedScore(input.rubric, shared.scores);
  return {
    memberId,
    rating,
    score,
    value: score ?? rating,
    // Judging a candidate counts as reading it, wherever the packet was opened.
    read: shared.read === true || rating !== null || score !== null,
    proposal: shared.proposal ?? null,
    assigned: input.assignments.get(remoteId)?.has(memberId) ?? false,
  };
}

/** A spread of at least half the scale is a disagreement (2 on 1–5). */
const isDisagreement = (row: TallyRow, scale: CommitteeRubric['scale']): boolean => row.spread !== null && row.spread >= (scale.max - scale.min) / 2;

function keeps(filter: TallyFilterName, row: TallyRow, me: string, scale: CommitteeRubric['scale']): boolean {
  switch (filter) {
    case 'all': return true;
    case 'assignedToMe': return row.verdicts.some((verdict) => verdict.memberId === me && verdict.assigned);
    case 'unreadByMe': return row.unreadBy.includes(me);
    case 'disagreements': return isDisagreement(row, scale);
  }
}

const nullsLast = (a: number | null, b: number | null, order: 1 | -1): number => {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return (a - b) * order;
};
const byName = (a: TallyRow, b: TallyRow): number => a.name.localeCompare(b.name) || a.applicationRemoteId.localeCompare(b.applicationRemoteId);

const comparators: Record<TallySortName, (a: TallyRow, b: TallyRow) => number> = {
  disagreement: (a, b) => nullsLast(a.spread, b.spread, -1) || nullsLast(a.mean, b.mean, -1) || byName(a, b),
  mean: (a, b) => nullsLast(a.mean, b.mean, -1) || byName(a, b),
  rank: (a, b) => nullsLast(a.rank, b.rank, 1) || byName(a, b),
  name: byName,
  unread: (a, b) => b.unreadBy.length - a.unreadBy.length || byName(a, b),
};

/**
 * The committee view: per candidate each active member's value (their weighted score on the
 * committee rubric, else their rating), the mean, the spread, the rank by mean (ties share a
 * rank) and who has not read it. Candidates someone shared but this machine has not synced yet
 * are rows too, without a local application.
 */
export function computeTally(input: TallyInput, sort: TallySortName, filter: TallyFilterName): Tally {
  const active = input.members.filter((member) => !member.revoked);
  const local = new Map(input.applications.map((application) => [application.remoteId, application]));
  const remoteIds = new Set(local.keys());
  for (const member of active) for (const remoteId of input.shared.get(member.memberId)?.keys() ?? []) remoteIds.add(remoteId);

  const unranked = [...remoteIds].map((remoteId): TallyRow => {
    const application = local.get(remoteId);
    const verdicts = active.map((member) => verdictOf(input, member.memberId, remoteId));
    const values = verdicts.map((verdict) => verdict.value).filter((value): value is number => value !== null);
    return {
      applicationRemoteId: remoteId,
      applicationId: application?.id ?? null,
      name: application?.name ?? `Application ${remoteId} (not synced here yet)`,
      jobTitle: application?.jobTitle ?? '',
      verdicts,
      mean: values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length,
      spread: values.length < 2 ? null : Math.max(...values) - Math.min(...values),
      rank: null,
      readBy: verdicts.filter((verdict) => verdict.read).length,
      unreadBy: verdicts.filter((verdict) => !verdict.read).map((verdict) => verdict.memberId),
      discussion: input.discussion.get(remoteId) ?? 0,
    };
  });
  const means = unranked.map((row) => row.mean).filter((mean): mean is number => mean !== null).sort((a, b) => b - a);
  const rows = unranked.map((row) => (row.mean === null ? row : { ...row, rank: means.indexOf(row.mean) + 1 }));
  const scale = input.rubric.scale;
  const counts = Object.fromEntries(filterNames.map((name) => [name, rows.filter((row) => keeps(name, row, input.myMemberId, scale)).length])) as Record<TallyFilterName, number>;
  return {
    committeeId: input.committeeId,
    members: [...input.members],
    criteria: input.rubric.criteria.map(({ name, weight }) => ({ name, weight })),
    scale: { min: scale.min, max: scale.max },
    rows: rows.filter((row) => keeps(filter, row, input.myMemberId, scale)).sort(comparators[sort]),
    total: rows.length,
    counts,
  };
}
