import { z } from 'zod';

/** Every provider Dossier can connect to; `oauth2` is any standards-compliant server. */
export const providerIds = ['ejm', 'careerplug', 'infojobs', 'jobspace', 'jymob', 'oauth2'] as const;
export const ProviderId = z.enum(providerIds);
export type ProviderId = z.infer<typeof ProviderId>;

export const grantTypes = ['client_credentials', 'authorization_code', 'token'] as const;
export const GrantType = z.enum(grantTypes);
export type GrantType = z.infer<typeof GrantType>;

export const accountStates = ['signed_out', 'signed_in', 'syncing', 'error'] as const;
export const AccountState = z.enum(accountStates);
export type AccountState = z.infer<typeof AccountState>;

/** ISO-8601 instant in UTC, e.g. 2026-11-23T10:00:00.000Z. */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

/** An IANA time zone name such as America/New_York. */
export const TimeZone = z.string().min(1).max(64).refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as "America/New_York"' },
);

export const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const Id = z.number().int().positive();

/** Where a browser sign-in's answer comes back: the loopback listener's path. */
export const loopbackCallbackPath = '/callback';

/**
 * The redirect URI of a loopback sign-in: with the account's fixed port, exactly what the provider
 * must have registered; without one, the port-less form a provider that follows RFC 8252 §7.3 registers.
 */
export function loopbackRedirectUri(port: number | null): string {
  return `http://127.0.0.1${port === null ? '' : `:${port}`}${loopbackCallbackPath}`;
}

/** A user-chosen fixed loopback port: above the privileged range. */
export const RedirectPort = z.number().int().min(1024).max(65535);

/** The writes Dossier can queue for a provider (docs/decisions/0015-writes-to-providers.md). */
export const outboxKinds = ['job.create', 'job.update', 'job.delete', 'application.create'] as const;

/** What a provider's API can give us; the UI hides what an account cannot have. */
export const Capabilities = z.object({
  jobs: z.boolean(),
  applicants: z.boolean(),
  applications: z.boolean(),
  letters: z.boolean(),
  documents: z.boolean(),
  interviews: z.boolean(),
  screeningTests: z.boolean(),
  lookups: z.boolean(),
  writes: z.array(z.enum(outboxKinds)),
  grants: z.array(GrantType),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const Account = z.object({
  id: Id,
  name: z.string(),
  provider: ProviderId,
  baseUrl: z.string(),
  tokenUrl: z.string().nullable(),
  authorizeUrl: z.string().nullable(),
  clientId: z.string().nullable(),
  grant: GrantType,
  scope: z.string().nullable(),
  timeZone: z.string(),
  /** The fixed loopback port of its browser sign-in; null = a port picked afresh each time (RFC 8252 §7.3). */
  redirectPort: z.number().int().nullable(),
  /** The redirect URI to register with the provider for a browser sign-in (`loopbackRedirectUri`); null for other grants. */
  redirectUri: z.string().nullable(),
  /** The provider manifest a generic OAuth 2.0 account syncs by (docs/providers/manifests.md): its name and the file it came from; null without one. */
  manifest: z.object({ name: z.string(), fileName: z.string() }).nullable(),
  /** What the account can bring: its provider's, or, for a manifest account, what its manifest describes. */
  capabilities: Capabilities,
  state: AccountState,
  stateMessage: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof Account>;

export const reviewStatuses = ['new', 'reviewing', 'shortlisted', 'interview', 'offer', 'rejected'] as const;
export const ReviewStatus = z.enum(reviewStatuses);
export type ReviewStatus = z.infer<typeof ReviewStatus>;
/** The statuses a candidate keeps once shortlisted: moving on to an interview or an offer does not drop them from the shortlist. */
export const shortlistStatuses: readonly ReviewStatus[] = ['shortlisted', 'interview', 'offer'];

export const documentKinds = ['cv', 'paper', 'statement', 'letter', 'other', 'link'] as const;
export const DocumentKind = z.enum(documentKinds);
export type DocumentKind = z.infer<typeof DocumentKind>;

export const interviewStatuses = ['proposed', 'confirmed', 'done', 'cancelled'] as const;
export const InterviewStatus = z.enum(interviewStatuses);
export type InterviewStatus = z.infer<typeof InterviewStatus>;

export const Job = z.object({
  id: Id,
  accountId: Id,
  remoteId: z.string(),
  title: z.string(),
  department: z.string().nullable(),
  location: z.string().nullable(),
  status: z.string().nullable(),
  postedAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  applicationCount: z.number().int().nonnegative(),
  removedUpstream: z.boolean(),
});
export type Job = z.infer<typeof Job>;

/** One row of the applicant table: an application joined with its applicant and the reviewer's data. */
export const ApplicantRow = z.object({
  applicationId: Id,
  accountId: Id,
  jobId: Id.nullable(),
  jobTitle: z.string().nullable(),
  name: z.string(),
  institution: z.string().nullable(),
  degree: z.string().nullable(),
  degreeYear: z.number().int().nullable(),
  fields: z.array(z.string()),
  appliedAt: z.string().nullable(),
  lettersReceived: z.number().int().nonnegative(),
  lettersExpected: z.number().int().nonnegative(),
  rating: z.number().int().nullable(),
  /** The weighted mean of the application's scores on its job's rubric; null until a criterion is scored. */
  committeeScore: z.number().nullable(),
  tags: z.array(z.string()),
  status: ReviewStatus,
  hasInterview: z.boolean(),
  removedUpstream: z.boolean(),
  /** How many other applications the same person made in this account (one person, one applicant: decision 0014). */
  otherApplications: z.number().int().nonnegative(),
});
export type ApplicantRow = z.infer<typeof ApplicantRow>;

/** Another application of the packet's applicant: a job of the same account they also applied to. */
export const OtherApplication = z.object({
  applicationId: Id,
  jobId: Id.nullable(),
  jobTitle: z.string().nullable(),
  status: ReviewStatus,
  removedUpstream: z.boolean(),
});
export type OtherApplication = z.infer<typeof OtherApplication>;

export const DocumentInfo = z.object({
  id: Id,
  kind: DocumentKind,
  title: z.string(),
  fileName: z.string().nullable(),
  mimeType: z.string().nullable(),
  size: z.number().int().nullable(),
  externalUrl: z.string().nullable(),
  available: z.boolean(),
  writer: z.string().nullable(),
});
export type DocumentInfo = z.infer<typeof DocumentInfo>;

export const Answer = z.object({ question: z.string(), answer: z.string() });

export const Letter = z.object({
  id: Id,
  writerName: z.string(),
  writerEmail: z.string().nullable(),
  writerInstitution: z.string().nullable(),
  receivedAt: z.string().nullable(),
  documentId: Id.nullable(),
});
export type Letter = z.infer<typeof Letter>;

export const Packet = z.object({
  row: ApplicantRow,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  country: z.string().nullable(),
  url: z.string().nullable(),
  currentPosition: z.string().nullable(),
  answers: z.array(Answer),
  documents: z.array(DocumentInfo),
  letters: z.array(Letter),
  note: z.string(),
  interviews: z.array(z.lazy(() => Interview)),
  alsoApplied: z.array(OtherApplication),
});
export type Packet = z.infer<typeof Packet>;

export const Interview = z.object({
  id: Id,
  accountId: Id,
  applicationId: Id.nullable(),
  applicantName: z.string().nullable(),
  source: z.enum(['provider', 'local']),
  title: z.string(),
  startsAt: Instant,
  endsAt: Instant,
  timeZone: z.string(),
  place: z.string().nullable(),
  videoUrl: z.string().nullable(),
  interviewers: z.array(z.string()),
  status: InterviewStatus,
  notes: z.string(),
  evaluation: z.string(),
});
export type Interview = z.infer<typeof Interview>;

export const SearchHit = z.object({
  kind: z.enum(['applicant', 'application', 'letter', 'document']),
  applicationId: Id.nullable(),
  documentId: Id.nullable(),
  title: z.string(),
  /** Snippet with matches wrapped in U+E000 … U+E001 so the UI can highlight without parsing HTML. */
  snippet: z.string(),
  rank: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const RatingScheme = z.object({
  min: z.number().int(),
  max: z.number().int(),
  labels: z.record(z.string(), z.string()),
});
export type RatingScheme = z.infer<typeof RatingScheme>;

export const ApplicantFilter = z.object({
  jobId: Id.optional(),
  accountId: Id.optional(),
  field: z.string().max(200).optional(),
  statuses: z.array(ReviewStatus).optional(),
  tags: z.array(z.string().max(100)).optional(),
  minRating: z.number().int().optional(),
  lettersComplete: z.boolean().optional(),
  hasInterview: z.boolean().optional(),
  text: z.string().max(500).optional(),
});
export type ApplicantFilter = z.infer<typeof ApplicantFilter>;

export const applicantSortKeys = ['name', 'institution', 'degreeYear', 'appliedAt', 'rating', 'committeeScore', 'status', 'letters'] as const;
export const ApplicantSort = z.object({
  key: z.enum(applicantSortKeys),
  direction: z.enum(['asc', 'desc']),
});
export type ApplicantSort = z.infer<typeof ApplicantSort>;

export const SavedView = z.object({
  id: Id,
  name: z.string(),
  filter: ApplicantFilter,
  sort: ApplicantSort.nullable(),
});
export type SavedView = z.infer<typeof SavedView>;

export const syncPhases = ['auth', 'jobs', 'applicants', 'applications', 'letters', 'interviews', 'documents', 'outbox', 'index', 'done'] as const;
export const SyncPhase = z.enum(syncPhases);
export type SyncPhase = z.infer<typeof SyncPhase>;

/** Each phase in the user's words, the same in the app and on the command line. */
export const syncPhaseLabels: Record<SyncPhase, string> = {
  auth: 'Signing in',
  jobs: 'Jobs',
  applicants: 'Applicants',
  applications: 'Applications',
  letters: 'Letters',
  interviews: 'Interviews',
  documents: 'Documents',
  outbox: 'Sending changes',
  index: 'Indexing for search',
  done: 'Finishing',
};

export const SyncProgress = z.object({
  accountId: Id,
  phase: SyncPhase,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  bytes: z.number().int().nonnegative(),
  current: z.string().nullable(),
  /** Set while the provider is failing and the sync waits before trying again; absent or null when requests flow. */
  retrying: z
    .object({ attempt: z.number().int().positive(), reason: z.enum(['throttled', 'unavailable', 'network']), status: z.number().int().nullable(), until: Instant })
    .nullable()
    .optional(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const outboxStates = ['pending', 'sending', 'sent', 'failed'] as const;
export const OutboxItem = z.object({
  id: Id,
  accountId: Id,
  kind: z.enum(outboxKinds),
  /** The local job the write is about (the posting updated or deleted, the job applied to); null when it has none yet. */
  jobId: Id.nullable().optional(),
  /** The local application a write started from (applying its person to another job); null otherwise. */
  applicationId: Id.nullable().optional(),
  state: z.enum(outboxStates),
  summary: z.string(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  remoteId: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;
