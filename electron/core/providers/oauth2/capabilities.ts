import type { Capabilities } from '../../../../shared/domain.ts';

/** A generic OAuth 2.0 account: Dossier can sign in and keep the session; it has no data API to sync. */
export const capabilities: Capabilities = {
  jobs: false,
  applicants: false,
  applications: false,
  letters: false,
  documents: false,
  interviews: false,
  screeningTests: false,
  lookups: false,
  writes: [],
  grants: ['authorization_code', 'client_credentials', 'token'],
};
