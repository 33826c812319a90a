import type { Capabilities } from '../../../../shared/domain.ts';

/** InfoJobs' REST API is candidate-side: public offers, plus the signed-in candidate's own applications and CV. */
export const capabilities: Capabilities = {
  jobs: true,
  applicants: true,
  applications: true,
  letters: false,
  documents: false,
  interviews: false,
  screeningTests: false,
  lookups: false,
  writes: [],
  grants: ['authorization_code'],
};
