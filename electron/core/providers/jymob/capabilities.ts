import type { Capabilities } from '../../../../shared/domain.ts';

/** JyMob: job posts, applications to them, and screening tests. */
export const capabilities: Capabilities = {
  jobs: true,
  applicants: true,
  applications: true,
  letters: false,
  documents: false,
  interviews: false,
  screeningTests: true,
  lookups: false,
  // POST job_applications applies the token's own user with one of their own resumes (reference.md §5.3): an employer cannot apply someone else.
  writes: [],
  grants: ['authorization_code', 'token'],
};
