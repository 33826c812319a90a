import type { SearchPhrase } from '../../../shared/search-terms.ts';

/**
 * The FTS5 query for a search's phrases (see searchPhrases, which decides which words count): every
 * phrase must match, its words in order; each is quoted whole, so FTS5 syntax characters are inert,
 * and a prefix phrase's last word also matches a word's beginning. The search and the applicant
 * table's text filter both match with it.
 */
export function ftsMatch(phrases: readonly SearchPhrase[]): string {
  return phrases.map((phrase) => `"${phrase.words.join(' ')}"${phrase.prefix ? '*' : ''}`).join(' ');
}
