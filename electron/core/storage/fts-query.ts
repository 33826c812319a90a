import { searchWords } from '../../../shared/search-terms.ts';

/**
 * Turns what a person typed into an FTS5 query: every word must match (as a phrase, so FTS5
 * syntax characters are inert), and the last word also matches as a prefix while typing. The
 * search and the applicant table's text filter both match with it.
 */
export function ftsQuery(input: string): string | null {
  const words = searchWords(input);
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}
