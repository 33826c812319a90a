import type { Capabilities } from '../../../../shared/domain.ts';

/** EconJobMarket's backend API is read-only and the only one with letters, files and interview slots. */
export const capabilities: Capabilities = {
  jobs: true,
  applicants: true,
  applications: true,
  letters: true,
  documents: true,
  interviews: true,
  screeningTests: false,
  lookups: false,
  writes: [],
  grants: ['client_credentials', 'token'],
};
