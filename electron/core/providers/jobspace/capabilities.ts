import type { Capabilities } from '../../../../shared/domain.ts';

/** The Job Space documents only jobs and their lookups; postings can be created and updated. */
export const capabilities: Capabilities = {
  jobs: true,
  applicants: false,
  applications: false,
  letters: false,
  documents: false,
  interviews: false,
  screeningTests: false,
  lookups: true,
  writes: ['job.create', 'job.update'],
  grants: ['client_credentials'],
};
