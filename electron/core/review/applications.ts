import { DossierError } from '../base/errors.ts';
import type { ApplicationKey, ApplicationsQuery } from '../storage/applications-query.ts';

/**
 * Resolves local application ids to their (account, remote id) keys, in the order given.
 * Unknown ids are refused as a whole so a bulk action never half-applies.
 */
export function applicationKeys(applications: ApplicationsQuery, ids: readonly number[]): ApplicationKey[] {
  const byId = new Map(applications.keys(ids).map((key) => [key.id, key]));
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

export function applicationKey(applications: ApplicationsQuery, id: number): ApplicationKey {
  return applicationKeys(applications, [id])[0] as ApplicationKey;
}
