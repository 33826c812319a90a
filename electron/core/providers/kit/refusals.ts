import { DossierError } from '../../base/errors.ts';

/**
 * A write the provider refused (4xx other than sign-in and throttling), retold with the provider's
 * own words from its error body, so the outbox shows why and the user can fix it or withdraw it.
 * `words` reads the provider's documented error shape; anything else passes through unchanged.
 */
export function withProviderWords(error: unknown, refused: string, words: (body: unknown) => string | null): unknown {
  if (!(error instanceof DossierError) || (error.code !== 'provider.validation' && error.code !== 'provider.not_found')) return error;
  const body = typeof error.detail?.body === 'string' ? error.detail.body : '';
  let said: string | null;
  try {
    said = words(JSON.parse(body));
  } catch {
    // Not JSON (an HTML error page): the generic message stands.
    return error;
  }
  if (said === null || said.trim() === '') return error;
  return new DossierError(error.code, `${refused}: “${said.trim()}”. Correct it and retry, or withdraw the change.`, error.detail);
}
