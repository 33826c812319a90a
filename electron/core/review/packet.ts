import type { Letter, Packet } from '../../../shared/domain.ts';
import type { Db } from '../storage/database.ts';
import { DossierError } from '../base/errors.ts';
import { applicantRow } from './applicants.ts';
import { jsonArray } from './applications.ts';
import { applicationDocuments } from './documents.ts';
import { listInterviews } from './interviews.ts';

interface PacketSource {
  accountId: number;
  remoteId: string;
  applicantRemoteId: string | null;
  answersJson: string;
  email: string | null;
  phone: string | null;
  country: string | null;
  url: string | null;
  currentPosition: string | null;
  currentInstitution: string | null;
  note: string | null;
}

/** Application answers as the sync stored them; entries without a question are skipped, non-text answers shown as text. */
function answers(answersJson: string): Packet['answers'] {
  return jsonArray(answersJson).flatMap((item) => {
    if (item === null || typeof item !== 'object') return [];
    const { question, answer } = item as { question?: unknown; answer?: unknown };
    if (typeof question !== 'string' || question.trim() === '') return [];
    const text = answer === null || answer === undefined ? '' : typeof answer === 'string' ? answer : JSON.stringify(answer);
    return [{ question, answer: text }];
  });
}

function position(source: PacketSource): string | null {
  const parts = [source.currentPosition, source.currentInstitution].filter((part): part is string => part !== null && part.trim() !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Everything the packet view shows for one application, read from the local cache only. */
export function applicantPacket(db: Db, applicationId: number): Packet {
  const row = applicantRow(db, applicationId);
  const source = db
    .prepare(`SELECT a.account_id AS accountId, a.remote_id AS remoteId, a.applicant_remote_id AS applicantRemoteId,
        a.answers_json AS answersJson, ap.email, ap.phone, ap.country, ap.url, ap.current_position AS currentPosition,
        ap.current_institution AS currentInstitution, r.note
      FROM applications a
      LEFT JOIN applicants ap ON ap.id = a.applicant_id
      LEFT JOIN reviews r ON r.account_id = a.account_id AND r.application_remote_id = a.remote_id
      WHERE a.id = ?`)
    .get(applicationId) as PacketSource | undefined;
  if (!row || !source) {
    throw new DossierError('input.invalid', 'That application is not in the local cache. Reload the list.', { field: 'applicationId', applicationId });
  }
  const key = { id: applicationId, accountId: source.accountId, remoteId: source.remoteId };
  const letters = db
    .prepare(`SELECT id, writer_name AS writerName, writer_email AS writerEmail, writer_institution AS writerInstitution,
        received_at AS receivedAt, document_id AS documentId
      FROM letters
      WHERE account_id = ? AND application_remote_id = ? AND removed_at IS NULL
      ORDER BY received_at IS NULL, received_at, id`)
    .all(key.accountId, key.remoteId) as Letter[];
  return {
    row,
    email: source.email,
    phone: source.phone,
    country: source.country,
    url: source.url,
    currentPosition: position(source),
    answers: answers(source.answersJson),
    documents: applicationDocuments(db, key, source.applicantRemoteId),
    letters,
    note: source.note ?? '',
    interviews: listInterviews(db, { applicationId }),
  };
}
