import type { Db } from '../storage/database.ts';
import { DossierError } from '../base/errors.ts';

/** The identity the reviewer's data is keyed by: the account and the provider's id of the application. */
export interface ApplicationKey {
  readonly id: number;
  readonly accountId: number;
  readonly remoteId: string;
}

/**
 * Resolves local application ids to their (account, remote id) keys, in the order given.
 * Unknown ids are refused as a whole so a bulk action never half-applies.
 */
export function applicationKeys(db: Db, ids: readonly number[]): ApplicationKey[] {
  const rows = db
    .prepare('SELECT id, account_id AS accountId, remote_id AS remoteId FROM applications WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as ApplicationKey[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new DossierError(
      'input.invalid',
      `${missing.length === 1 ? 'That application is' : `${missing.length} of those applications are`} not in the local cache. Reload the list and try again.`,
      { field: 'applicationId', missing: missing.slice(0, 20) },
    );
  }
  return ids.map((id) => byId.get(id) as ApplicationKey);
}

export function applicationKey(db: Db, id: number): ApplicationKey {
  return applicationKeys(db, [id])[0] as ApplicationKey;
}

/** Parses a JSON array column written by the sync; anything unexpected reads as empty rather than failing a whole list. */
export function jsonArray(text: string | null | undefined): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

export function stringArray(text: string | null | undefined): string[] {
  return jsonArray(text).filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}
