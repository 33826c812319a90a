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
  writes: ['application.create'],
  grants: ['authorization_code', 'token'],
};
