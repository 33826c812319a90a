/**
 * How the words a person searched for are found in a text, shared by the core (snippets, the
 * command line's marks) and the renderer (highlights in the PDF reader), so both mark the same words.
 */

/** Private-use marks around each match, so the UI highlights without parsing HTML. */
export const markOpen = '\uE000';
export const markClose = '\uE001';

export interface Term {
  readonly text: string;
  readonly prefix: boolean;
}

/**
 * The words of what a person typed: NFKC-normalised, split at spaces and quotes, control characters
 * dropped, each holding at least one letter or digit. The full-text query, the table's text filter,
 * the snippets and the reader's highlights all start from these.
 */
export function searchWords(input: string): string[] {
  return input
    .normalize('NFKC')
    .split(/[\s"]+/u)
    .map((word) => word.replace(/\p{Cc}/gu, '').trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/**
 * Words so common in applicants' details ("University of Chicago", "Department of Economics") that
 * requiring one finds nearly every row: a search leaves them out when other words remain, unless
 * they stand inside quotes, where a phrase needs every word in its order.
 */
const stopwords = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'the', 'to', 'with']);

/** Words that must occur together, in this order (one word unless the person quoted several). */
export interface SearchPhrase {
  readonly words: readonly string[];
  /** The last word may still be being typed: it also matches as a word's beginning. */
  readonly prefix: boolean;
}

/**
 * What a person typed as phrases for the full-text search: each quoted part one phrase, every other
 * word a phrase of its own, common words outside quotes left out while other words remain (see
 * stopwords). The phrase typed last is a prefix unless its quote was closed: the person finished it.
 */
export function searchPhrases(input: string): SearchPhrase[] {
  const parts = input.normalize('NFKC').split('"');
  const lastPart = parts.length - 1;
  const phrases = parts.flatMap((part, index) => {
    const words = searchWords(part);
    // Odd parts stand inside quotes (an unclosed quote counts: the person is typing the phrase).
    const quoted = index % 2 === 1;
    const closed = quoted && index < lastPart;
    if (quoted) return words.length === 0 ? [] : [{ words, closed, common: false }];
    return words.map((word) => ({ words: [word], closed: false, common: stopwords.has(word.toLowerCase()) }));
  });
  const last = phrases.at(-1);
  const kept = phrases.every((phrase) => phrase.common) ? phrases : phrases.filter((phrase) => !phrase.common);
  // Only what was typed last may be unfinished: "Institute of" has finished "Institute".
  return kept.map((phrase) => ({ words: phrase.words, prefix: phrase === last && !phrase.closed }));
}

/** What a person typed as terms: every word of the search's phrases whole, a prefix phrase's last word also as a word's beginning. */
export function searchTerms(input: string): SearchTerms {
  return new SearchTerms(searchPhrases(input).flatMap((phrase) => phrase.words.map((text, index) => ({ text, prefix: phrase.prefix && index === phrase.words.length - 1 }))));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A letter or digit (what FTS5's tokenizer keeps in a word), tested at a position. */
const wordCharacterAt = /[\p{L}\p{N}]/uy;
/** A letter or digit ending the text. */
const endsInWordCharacter = /[\p{L}\p{N}]$/u;
/** The letters and digits from a position on: the rest of a word. */
const restOfWordAt = /[\p{L}\p{N}]*/uy;

interface TermMatcher {
  /** Where any term's text occurs, ignoring case; whole-word checks follow. */
  readonly anyTerm: RegExp;
  /** Each term's text at a position, in the query's order. */
  readonly eachTerm: readonly { readonly at: RegExp; readonly prefix: boolean }[];
}

/** Where the first term that occurs at `start` as a whole word (the last also as a word's beginning) ends, or null. */
function wholeWordEnd(text: string, start: number, matcher: TermMatcher): number | null {
  if (endsInWordCharacter.test(text.slice(Math.max(0, start - 2), start))) return null;
  for (const term of matcher.eachTerm) {
    term.at.lastIndex = start;
    const found = term.at.exec(text);
    if (!found) continue;
    const end = start + found[0].length;
    if (term.prefix) {
      restOfWordAt.lastIndex = end;
      return end + (restOfWordAt.exec(text)?.[0].length ?? 0);
    }
    wordCharacterAt.lastIndex = end;
    if (!wordCharacterAt.test(text)) return end;
  }
  return null;
}

/** Every occurrence of the terms as whole words, ignoring case, left to right: [start, end) offsets. */
function* termMatches(text: string, matcher: TermMatcher): Generator<readonly [number, number]> {
  let from = 0;
  for (;;) {
    matcher.anyTerm.lastIndex = from;
    const found = matcher.anyTerm.exec(text);
    if (!found) return;
    const end = wholeWordEnd(text, found.index, matcher);
    if (end === null) {
      from = found.index + 1;
      continue;
    }
    yield [found.index, end];
    from = end;
  }
}

/**
 * The terms of one search with the expressions that find them, compiled once: a search cuts every
 * snippet with the same terms. The expressions hold only the terms' text: V8 takes over a
 * millisecond to compile one that also holds a Unicode class such as \p{L}, and a search typed for
 * the first time would pay that for each; the classes live in the constant expressions above.
 */
export class SearchTerms {
  /** Null when no term has any text (an empty term would match everywhere, marking nothing). */
  readonly #matcher: TermMatcher | null;

  constructor(terms: readonly Term[]) {
    const words = terms.filter((term) => term.text !== '');
    this.#matcher = words.length === 0 ? null : {
      anyTerm: new RegExp(words.map((term) => escapeRegExp(term.text)).join('|'), 'giu'),
      eachTerm: words.map((term) => ({ at: new RegExp(escapeRegExp(term.text), 'iuy'), prefix: term.prefix })),
    };
  }

  /** Every occurrence of the terms as whole words, ignoring case, left to right: [start, end) offsets. */
  matches(text: string): Iterable<readonly [number, number]> {
    return this.#matcher === null ? [] : termMatches(text, this.#matcher);
  }

  /** Marks every occurrence of the terms in a short text (a title). */
  mark(text: string): string {
    let marked = '';
    let from = 0;
    for (const [start, end] of this.matches(text)) {
      marked += `${text.slice(from, start)}${markOpen}${text.slice(start, end)}${markClose}`;
      from = end;
    }
    return marked + text.slice(from);
  }

  /**
   * About sixteen words of a document's text around the first match, every match inside marked,
   * as FTS5's snippet() would give; null when no term occurs in the text (the match was in the title).
   * Only the first match is searched for and only the window is examined, so a long text costs little.
   */
  excerptAround(text: string, words = 16): string | null {
    const first = this.matches(text)[Symbol.iterator]().next();
    if (first.done === true) return null;
    const [at] = first.value;
    const before = text.slice(Math.max(0, at - 200), at).split(/(?<=\s)/u);
    const lead = before.slice(-Math.floor(words / 4)).join('');
    const from = at - lead.length;
    let to = at;
    for (let count = 0; count < words - Math.floor(words / 4) && to < text.length; count += 1) {
      const next = /\s+/u.exec(text.slice(to + 1, to + 400));
      to = next ? to + 1 + next.index + next[0].length : Math.min(text.length, to + 400);
    }
    const window = text.slice(from, to).replace(/\s+/gu, ' ').trim();
    return `${from > 0 ? '…' : ''}${this.mark(window)}${to < text.length ? '…' : ''}`;
  }
}
