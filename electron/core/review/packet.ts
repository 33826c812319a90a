import type { Packet } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import { jsonArray } from '../storage/json-columns.ts';
import type { PacketSource } from '../storage/packet.ts';
import type { Storage } from '../storage/storage.ts';
import { documentInfo } from './documents.ts';

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
export function applicantPacket(storage: Pick<Storage, 'applications' | 'packets' | 'interviews'>, applicationId: number): Packet {
  const row = storage.applications.row(applicationId);
  const source = storage.packets.source(applicationId);
  if (!row || !source) {
    throw new DossierError('input.invalid', 'That application is not in the local cache. Reload the list.', { field: 'applicationId', applicationId });
  }
  const key = { accountId: source.accountId, remoteId: source.remoteId };
  return {
    row,
    email: source.email,
    phone: source.phone,
    country: source.country,
    url: source.url,
    currentPosition: position(source),
    answers: answers(source.answersJson),
    documents: storage.packets.documents(key, source.applicantRemoteId).map((document) => documentInfo(document, row.name)),
    letters: storage.packets.letters(key),
    note: source.note ?? '',
    interviews: storage.interviews.list({ application: key }),
    alsoApplied: storage.packets.otherApplications(applicationId),
  };
}
