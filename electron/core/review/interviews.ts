import type { z } from 'zod';
import type { Interview } from '../../../shared/domain.ts';
import type { InterviewInput } from '../../../shared/api/review.ts';
import { DossierError } from '../base/errors.ts';
import type { Storage } from '../storage/storage.ts';
import { applicationKey } from './applications.ts';

export type InterviewDraft = z.output<typeof InterviewInput>;

export interface InterviewRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly applicationId?: number | undefined;
}

/**
 * Local interviews and the provider's imported slots, in time order. A slot the reviewer has
 * adopted (saved as a local interview with notes, interviewers…) appears once, as the local one.
 * An application not in the cache has none.
 */
export function listInterviews(storage: Pick<Storage, 'applications' | 'interviews'>, range: InterviewRange = {}): Interview[] {
  if (range.applicationId === undefined) return storage.interviews.list({ from: range.from, to: range.to });
  const [application] = storage.applications.keys([range.applicationId]);
  return application === undefined ? [] : storage.interviews.list({ from: range.from, to: range.to, application });
}

/** An interview belongs to its application's account; one without an application to the first account. */
function owningAccount(storage: Pick<Storage, 'applications' | 'accounts'>, applicationId: number | null): { accountId: number; applicationRemoteId: string | null } {
  if (applicationId !== null) {
    const key = applicationKey(storage.applications, applicationId);
    return { accountId: key.accountId, applicationRemoteId: key.remoteId };
  }
  const accountId = storage.accounts.firstId();
  if (accountId === undefined) throw new DossierError('input.invalid', 'Add an account before scheduling interviews.', { field: 'applicationId' });
  return { accountId, applicationRemoteId: null };
}

/** Creates or updates a local interview. Times are stored in UTC; the zone it was planned in is kept for display. */
export function saveInterview(storage: Pick<Storage, 'transaction' | 'applications' | 'accounts' | 'interviews'>, draft: InterviewDraft): Interview {
  const { interviews } = storage;
  return storage.transaction(() => {
    const owner = owningAccount(storage, draft.applicationId);
    const values = { ...draft, ...owner };
    if (draft.id !== undefined) {
      if (!interviews.update(draft.id, values)) throw new DossierError('input.invalid', 'That interview no longer exists. Reload the agenda.', { field: 'id', id: draft.id });
      return interviews.get(draft.id) as Interview;
    }
    // Saving over an imported slot (same application, same start) adopts it instead of duplicating it.
    const slot = owner.applicationRemoteId === null
      ? undefined
      : interviews.adoptableSlot({ accountId: owner.accountId, remoteId: owner.applicationRemoteId }, draft.startsAt);
    return interviews.get(interviews.insert(values, slot ?? null)) as Interview;
  });
}
