import type { DocumentKind } from '../../../../shared/domain.ts';

/**
 * What a provider mapping produces: domain rows keyed by the provider's ids, each with the raw
 * JSON it came from and a version string that changes whenever the upstream record does.
 */
export interface RemoteRecord {
  readonly remoteId: string;
  /** Changes whenever the record changes upstream (changedate, updated_at, sha1 …); null = compare raw JSON. */
  readonly remoteVersion: string | null;
  readonly raw: unknown;
}

export interface JobRecord extends RemoteRecord {
  readonly title: string;
  readonly department: string | null;
  readonly location: string | null;
  readonly status: string | null;
  readonly postedAt: string | null;
  readonly closesAt: string | null;
}

export interface ApplicantRecord extends RemoteRecord {
  readonly firstName: string | null;
  readonly middleName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly country: string | null;
  readonly nationality: string | null;
  readonly url: string | null;
  readonly institution: string | null;
  readonly degree: string | null;
  readonly degreeYear: number | null;
  readonly currentPosition: string | null;
  readonly currentInstitution: string | null;
  readonly primaryField: string | null;
  readonly fields: readonly string[];
}

/**
 * An applicant from a provider that knows only part of the academic profile: every field it does
 * not send is null, so the mappings name just what they have.
 */
export function applicantRecord(known: RemoteRecord & Partial<Omit<ApplicantRecord, keyof RemoteRecord>>): ApplicantRecord {
  return {
    firstName: null,
    middleName: null,
    lastName: null,
    email: null,
    phone: null,
    country: null,
    nationality: null,
    url: null,
    institution: null,
    degree: null,
    degreeYear: null,
    currentPosition: null,
    currentInstitution: null,
    primaryField: null,
    fields: [],
    ...known,
  };
}

export interface AnswerRecord {
  readonly question: string;
  readonly answer: string;
}

export interface ApplicationRecord extends RemoteRecord {
  readonly jobRemoteId: string | null;
  readonly applicantRemoteId: string | null;
  readonly jobTitle: string | null;
  readonly appliedAt: string | null;
  readonly remoteStatus: string | null;
  readonly lettersExpected: number;
  readonly answers: readonly AnswerRecord[];
}

export interface DocumentRecord extends RemoteRecord {
  readonly kind: DocumentKind;
  readonly applicantRemoteId: string | null;
  readonly applicationRemoteId: string | null;
  readonly title: string;
  /** Display text only; never used as a path. */
  readonly fileName: string | null;
  readonly mimeType: string | null;
  readonly size: number | null;
  readonly externalUrl: string | null;
  readonly remoteSha1: string | null;
}

export interface LetterRecord extends RemoteRecord {
  readonly applicationRemoteId: string;
  readonly applicantRemoteId: string | null;
  readonly writerName: string;
  readonly writerEmail: string | null;
  readonly writerInstitution: string | null;
  readonly writerDepartment: string | null;
  readonly receivedAt: string | null;
  /** The letter document's remote id (documents of kind `letter`), null while none was uploaded. */
  readonly documentRemoteId: string | null;
}

export interface SlotRecord extends RemoteRecord {
  readonly conferenceRemoteId: string | null;
  readonly conferenceName: string | null;
  readonly groupName: string | null;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly place: string | null;
  readonly applicationRemoteId: string | null;
  readonly applicantRemoteId: string | null;
}

export interface LookupRecord {
  readonly kind: 'country' | 'job_type' | 'job_category';
  readonly remoteId: string;
  readonly label: string;
  readonly raw: unknown;
}

/** Everything one connector pass produced. A `complete` list lets absence mean "removed upstream". */
export interface Batch<Row> {
  readonly rows: readonly Row[];
  readonly complete: boolean;
}

export interface Snapshot {
  jobs?: Batch<JobRecord>;
  applicants?: Batch<ApplicantRecord>;
  applications?: Batch<ApplicationRecord>;
  documents?: Batch<DocumentRecord>;
  letters?: Batch<LetterRecord>;
  slots?: Batch<SlotRecord>;
  lookups?: Batch<LookupRecord>;
}
