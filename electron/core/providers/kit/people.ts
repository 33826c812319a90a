import type { ApplicantRecord } from './records.ts';

/**
 * One person, one applicant (docs/decisions/0014-one-person-one-applicant.md): the key a provider
 * without its own person id is matched on. E-mail addresses are compared lower-cased and trimmed;
 * a blank address is no key, so such an application stays an applicant of its own.
 */
export function emailKey(email: string | null | undefined): string | null {
  const normalised = email?.trim().toLowerCase() ?? '';
  return normalised === '' ? null : normalised;
}

/** An applicant profile as one application carried it, with how recent that application is. */
export interface ProfileSeen {
  readonly applicant: ApplicantRecord;
  /** A UTC ISO instant (or null when unknown): a later one wins. */
  readonly recency: string | null;
  /** Breaks ties between equally recent applications: the larger provider id wins. */
  readonly tieBreak: string;
}

/**
 * One applicant per person out of the profiles their applications carried: the most recent
 * application's profile wins whole (fields are not mixed across applications, so a phone number and
 * the title beside it always come from the same form).
 */
export function newestProfiles(seen: readonly ProfileSeen[]): ApplicantRecord[] {
  const newest = new Map<string, ProfileSeen>();
  for (const entry of seen) {
    const current = newest.get(entry.applicant.remoteId);
    if (!current || isNewer(entry, current)) newest.set(entry.applicant.remoteId, entry);
  }
  return [...newest.values()].map((entry) => entry.applicant);
}

function isNewer(candidate: ProfileSeen, current: ProfileSeen): boolean {
  const byTime = (candidate.recency ?? '').localeCompare(current.recency ?? '');
  if (byTime !== 0) return byTime > 0;
  return compareIds(candidate.tieBreak, current.tieBreak) > 0;
}

/** Numeric ids compare as numbers ("9" before "10"), others as text. */
function compareIds(left: string, right: string): number {
  return left.localeCompare(right, 'en', { numeric: true });
}
