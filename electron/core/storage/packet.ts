import type { DocumentKind, Letter, OtherApplication } from '../../../shared/domain.ts';
import { documentKinds } from '../../../shared/domain.ts';
import type { ApplicationKey } from './applications-query.ts';
import { Table } from './table.ts';

/** What the packet shows of an application beyond its table row: the applicant's contact details, the answers, the note. */
export interface PacketSource {
  readonly accountId: number;
  readonly remoteId: string;
  readonly applicantRemoteId: string | null;
  readonly answersJson: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly country: string | null;
  readonly url: string | null;
  readonly currentPosition: string | null;
  readonly currentInstitution: string | null;
  readonly note: string | null;
}

/** One document of a packet, with the writer when it is a letter's. */
export interface PacketDocument {
  readonly id: number;
  readonly kind: DocumentKind;
  readonly title: string;
  /** The provider's file name: display text, never a path to use. */
  readonly fileName: string | null;
  readonly mimeType: string | null;
  readonly size: number | null;
  readonly externalUrl: string | null;
  readonly sha256: string | null;
  readonly writer: string | null;
}

interface DocumentRow extends Omit<PacketDocument, 'kind'> {
  readonly kind: string;
}

/** Packet order: CV first, then papers, statements, letters, anything else, links last. */
const kindRank = `CASE d.kind ${documentKinds.map((kind, rank) => `WHEN '${kind}' THEN ${rank}`).join(' ')} ELSE ${documentKinds.length} END`;

function isDocumentKind(kind: string): kind is DocumentKind {
  return (documentKinds as readonly string[]).includes(kind);
}

/** A kind this version does not know (a newer provider mapping) reads as "other". */
function toDocument(row: DocumentRow): PacketDocument {
  return { ...row, kind: isDocumentKind(row.kind) ? row.kind : 'other' };
}

/** Everything the packet view reads for one application besides its table row and its interviews. */
export class PacketQuery extends Table {
  source(applicationId: number): PacketSource | undefined {
    return this.sql<[number], PacketSource>(
      `SELECT a.account_id AS accountId, a.remote_id AS remoteId, a.applicant_remote_id AS applicantRemoteId,
          a.answers_json AS answersJson, ap.email, ap.phone, ap.country, ap.url, ap.current_position AS currentPosition,
          ap.current_institution AS currentInstitution, r.note
        FROM applications a
        LEFT JOIN applicants ap ON ap.id = a.applicant_id
        LEFT JOIN reviews r ON r.account_id = a.account_id AND r.application_remote_id = a.remote_id
        WHERE a.id = ?`,
    ).get(applicationId);
  }

  /**
   * The other applications of the same applicant (one person, one applicant: decision 0014), in the
   * order they were made; those removed upstream too, marked, since the reviewer's copy of them stays.
   */
  otherApplications(applicationId: number): OtherApplication[] {
    return this.sql<[number], Omit<OtherApplication, 'removedUpstream'> & { removedUpstream: number }>(
      `SELECT o.id AS applicationId, o.job_id AS jobId, coalesce(j.title, o.job_title) AS jobTitle,
          coalesce(r.status, 'new') AS status, o.removed_at IS NOT NULL AS removedUpstream
        FROM applications a
        JOIN applications o ON o.applicant_id = a.applicant_id AND o.id <> a.id
        LEFT JOIN jobs j ON j.id = o.job_id
        LEFT JOIN reviews r ON r.account_id = o.account_id AND r.application_remote_id = o.remote_id
        WHERE a.id = ?
        ORDER BY o.applied_at IS NULL, o.applied_at, o.id`,
    ).all(applicationId).map((row) => ({ ...row, removedUpstream: row.removedUpstream === 1 }));
  }

  /** The application's letters, those received first, in the order they came. */
  letters(key: Pick<ApplicationKey, 'accountId' | 'remoteId'>): Letter[] {
    return this.sql<[number, string], Letter>(
      `SELECT id, writer_name AS writerName, writer_email AS writerEmail, writer_institution AS writerInstitution,
          received_at AS receivedAt, document_id AS documentId
        FROM letters
        WHERE account_id = ? AND application_remote_id = ? AND removed_at IS NULL
        ORDER BY received_at IS NULL, received_at, id`,
    ).all(key.accountId, key.remoteId);
  }

  /**
   * The documents of one application in reading order: those filed against the application, those
   * filed against the applicant only (EconJobMarket shares a CV across applications), and the
   * documents of its letters.
   */
  documents(key: Pick<ApplicationKey, 'accountId' | 'remoteId'>, applicantRemoteId: string | null): PacketDocument[] {
    return this.sql<[{ account: number; application: string; applicant: string | null }], DocumentRow>(
      `SELECT d.id, d.kind, d.title, d.file_name AS fileName, d.mime_type AS mimeType, d.size,
          d.external_url AS externalUrl, d.sha256,
          (SELECT l.writer_name FROM letters l WHERE l.document_id = d.id AND l.removed_at IS NULL LIMIT 1) AS writer
        FROM documents d
        WHERE d.removed_at IS NULL AND d.id IN (
          SELECT id FROM documents WHERE account_id = @account AND application_remote_id = @application
          UNION SELECT id FROM documents WHERE account_id = @account AND applicant_remote_id = @applicant AND application_remote_id IS NULL
          UNION SELECT document_id FROM letters WHERE account_id = @account AND application_remote_id = @application AND document_id IS NOT NULL)
        ORDER BY ${kindRank}, d.id`,
    ).all({ account: key.accountId, application: key.remoteId, applicant: applicantRemoteId }).map(toDocument);
  }
}
