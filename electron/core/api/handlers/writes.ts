import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/**
 * Writes that act on what is already at the provider (applying a person to another job, deleting a
 * posting) are queued and wait for the next sync, so they can be withdrawn until then (decision 0015).
 */
export function writesHandlers({ outbox }: CoreServices): HandlerGroup<'applications.applyTargets' | 'applications.applyToJob' | 'postings.delete' | 'outbox.withdraw'> {
  return {
    'applications.applyTargets': (input) => outbox.applyTargets(input.applicationId),
    'applications.applyToJob': (input) => outbox.applyToJob(input),
    'postings.delete': (input) => outbox.deletePosting(input.jobId),
    'outbox.withdraw': (input) => ({ withdrawn: outbox.withdraw(input.id) }),
  };
}
