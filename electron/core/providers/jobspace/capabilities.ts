import { DossierError } from '../../base/errors.ts';
import type { Capabilities } from '../../../../shared/domain.ts';

/** The Job Space documents only jobs and their lookups; postings can be created, updated and deleted. */
export const capabilities: Capabilities = {
  jobs: true,
  applicants: false,
  applications: false,
  letters: false,
  documents: false,
  interviews: false,
  screeningTests: false,
  lookups: true,
  writes: ['job.create', 'job.update', 'job.delete'],
  grants: ['client_credentials'],
};

/**
 * A board whose last sync found no admin API (the 2017-05 generation: `admin/api/job/options` answers
 * 404) gets no writes: its routes take other fields (ids, not handles) and it has no delete.
 */
export function legacyBoardRefusal(): DossierError {
  return new DossierError(
    'provider.unsupported',
    'This board runs The Job Space’s 2017-05 API, which Dossier cannot post to, update or delete from. Make this change on the board’s own admin site; withdraw it here if it is queued.',
    { provider: 'jobspace' },
  );
}
