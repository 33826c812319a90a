import type { Capabilities } from '../../../../shared/domain.ts';

/** CareerPlug serves jobs and "apps" (applications with embedded applicant data); no documents or letters. */
export const capabilities: Capabilities = {
  jobs: true,
  applicants: true,
  applications: true,
  letters: false,
  documents: false,
  interviews: false,
  screeningTests: false,
  lookups: false,
  writes: ['application.create'],
  grants: ['client_credentials', 'authorization_code'],
};
