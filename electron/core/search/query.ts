import type { SearchHit } from '../../../shared/domain.ts';
import { preparedPerDatabase, type Db } from '../storage/database.ts';
import { searchKinds, type SearchKind } from '../storage/search-index.ts';

/** Private-use marks around each match, so the UI highlights without parsing HTML. */
export const markOpen = '\uE000';
export const markClose = '\uE001';

/**
 * Turns what a person typed into an FTS5 query: every word must match (as a phrase, so FTS5
 * syntax characters are inert), and the last word also matches as a prefix while typing.
 */
export function ftsQuery(input: string): string | null {
  const words = input
    .normalize('NFKC')
    .split(/[\s"]+/u)
    .map((word) => word.replace(/\p{Cc}/gu, '').trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

interface Ranked {
  rowid: number;
  kind: SearchKind;
  ref: number;
  title: string;
  /** The row's indexed text (a document's whole text), for the snippet. */
  body: string;
  rank: number;
}

/**
 * At most this many rows of one tier are scored by bm25 (a few milliseconds per thousand documents):
 * a word in more rows than this ("economics", a university) is ranked among the most recently indexed
 * rows that contain it rather than among all of them, which keeps every search within a keystroke.
 */
const rankedCandidates = 1000;

/** SQL true for an index row of a document (see searchRowId). */
const isDocumentRow = `rowid % ${searchKinds.length} = ${searchKinds.indexOf('document')}`;

/**
 * The tiers of a search, each ranked by bm25 (a title match weighing more than a body match) and
 * placed after the one before: a person's name first (an applicant, an application, a letter writer),
 * then a match anywhere in those rows or in a document's title, then one in a document's text.
 * Names are a tier of their own because bm25 normalises by a row's whole length, which would put a
 * document whose file name holds the name ("Johnson_CV.pdf") before the applicant. The document
 * texts are by far the largest index, so they are ranked only when the first tiers leave room.
 */
const tiers = [
  { table: 'search_records', match: (query: string) => `{title} : (${query})`, rows: `NOT (${isDocumentRow})` },
  { table: 'search_records', match: (query: string) => query, rows: null },
  { table: 'search_index', match: (query: string) => query, rows: isDocumentRow },
] as const;

function tierStatement(db: Db, tier: (typeof tiers)[number]) {
  // Scores are computed in the inner query for rowids alone; stored columns are read for the kept hits
  // only, from search_index (same rowids), which also holds the text of a document found by its title.
  return db.prepare(
    `SELECT r.rowid, s.kind, s.ref, s.title, s.body, r.rank FROM (
       SELECT rowid, rank FROM (
         SELECT rowid, bm25(${tier.table}, 0, 0, 0, 4.0, 1.0) AS rank FROM ${tier.table}
         WHERE ${tier.table} MATCH @query ${tier.rows === null ? '' : `AND ${tier.rows}`} ORDER BY rowid DESC LIMIT @candidates
       ) ORDER BY rank LIMIT @limit
     ) r JOIN search_index s ON s.rowid = r.rowid ORDER BY r.rank`,
  );
}

/** The statements of a search (prepared once per database, see preparedPerDatabase). */
function prepareStatements(db: Db) {
  return {
    tiers: tiers.map((tier) => ({ tier, statement: tierStatement(db, tier) })),
    applicant: db.prepare('SELECT id FROM applications WHERE applicant_id = ? ORDER BY removed_at IS NOT NULL, id LIMIT 1').pluck(),
    letter: db.prepare(
      `SELECT (SELECT p.id FROM applications p WHERE p.account_id = l.account_id AND p.remote_id = l.application_remote_id) AS applicationId,
         l.document_id AS documentId FROM letters l WHERE l.id = ?`,
    ),
    // Two indexed lookups: the document's own application, else its applicant's first application.
    document: db.prepare(
      `SELECT coalesce(
         (SELECT p.id FROM applications p WHERE p.account_id = d.account_id AND p.remote_id = d.application_remote_id),
         (SELECT p.id FROM applicants a JOIN applications p ON p.applicant_id = a.id WHERE a.account_id = d.account_id AND a.remote_id = d.applicant_remote_id ORDER BY p.id LIMIT 1))
       FROM documents d WHERE d.id = ?`,
    ).pluck(),
  };
}

const statementsFor = preparedPerDatabase(prepareStatements);

/** The best `limit` rows, tier by tier; a row already found in an earlier tier keeps its place. */
function rankedRows(statements: ReturnType<typeof prepareStatements>, query: string, limit: number): Ranked[] {
  const hits: Ranked[] = [];
  const found = new Set<number>();
  for (const [tierIndex, { tier, statement }] of statements.tiers.entries()) {
    if (hits.length >= limit) break;
    // Rows read past the room left are those found before that this tier finds again (and skips).
    const foundAgain = tier.rows === isDocumentRow ? hits.filter((hit) => hit.kind === 'document').length : hits.length;
    const rows = statement.all({ query: tier.match(query), candidates: Math.max(rankedCandidates, limit), limit: limit - hits.length + foundAgain }) as Ranked[];
    for (const row of rows) {
      if (hits.length >= limit) break;
      if (found.has(row.rowid)) continue;
      found.add(row.rowid);
      // One scale for every hit, in the order given: the tier, then its bm25 (≤ 0) mapped into (0, 1].
      hits.push({ ...row, rank: tierIndex + 1 / (1 - row.rank) });
    }
  }
  return hits;
}

/**
 * Ranked search in tiers (names and titles, then applicant, application and letter details and
 * document titles, then document texts) with a highlighted snippet, each hit resolved to the
 * application a reviewer opens. Snippets (which read each row's text) are made for the kept hits alone.
 */
export function search(db: Db, input: string, limit: number): SearchHit[] {
  const query = ftsQuery(input);
  if (query === null) return [];
  const statements = statementsFor(db);
  const ranked = rankedRows(statements, query, limit);
  const terms = queryTerms(input);
  /**
   * The excerpt is cut here rather than by FTS5's snippet(), which would need the query run again
   * for every hit; excerptAround stops at the first match, so a document's whole text costs little.
   */
  const snippetOf = (hit: Ranked): string => excerptAround(hit.body, terms) ?? markTerms(hit.title, terms);
  const located = (hit: Ranked): Pick<SearchHit, 'applicationId' | 'documentId'> => {
    switch (hit.kind) {
      case 'application':
        return { applicationId: hit.ref, documentId: null };
      case 'applicant':
        return { applicationId: (statements.applicant.get(hit.ref) as number | undefined) ?? null, documentId: null };
      case 'letter': {
        const letter = statements.letter.get(hit.ref) as { applicationId: number | null; documentId: number | null } | undefined;
        return { applicationId: letter?.applicationId ?? null, documentId: letter?.documentId ?? null };
      }
      case 'document':
        return { applicationId: (statements.document.get(hit.ref) as number | undefined) ?? null, documentId: hit.ref };
    }
  };
  return ranked.map((hit) => ({ kind: hit.kind, ...located(hit), title: hit.title, snippet: snippetOf(hit), rank: hit.rank }));
}

interface Term {
  readonly text: string;
  readonly prefix: boolean;
}

function queryTerms(input: string): Term[] {
  const query = ftsQuery(input);
  if (query === null) return [];
  return [...query.matchAll(/"([^"]*)"(\*?)/g)].map((match) => ({ text: match[1] ?? '', prefix: match[2] === '*' }));
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

/**
 * Built once per list of terms (a search cuts every snippet with the same list). The expressions
 * built here hold only the terms' text: V8 takes over a millisecond to compile one that also holds
 * a Unicode class such as \p{L}, and a search typed for the first time would pay that for each;
 * the classes live in the constant expressions above, compiled once.
 */
const matchers = new WeakMap<readonly Term[], TermMatcher | null>();

/** Null when no term has any text (an empty term would match everywhere, marking nothing). */
function matcherFor(terms: readonly Term[]): TermMatcher | null {
  if (!matchers.has(terms)) {
    const words = terms.filter((term) => term.text !== '');
    matchers.set(terms, words.length === 0 ? null : {
      anyTerm: new RegExp(words.map((term) => escapeRegExp(term.text)).join('|'), 'giu'),
      eachTerm: words.map((term) => ({ at: new RegExp(escapeRegExp(term.text), 'iuy'), prefix: term.prefix })),
    });
  }
  return matchers.get(terms) ?? null;
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
function* termMatches(text: string, terms: readonly Term[]): Generator<readonly [number, number]> {
  const matcher = matcherFor(terms);
  if (matcher === null) return;
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

/** Marks every occurrence of the terms in a short text (a title). */
export function markTerms(text: string, terms: readonly Term[]): string {
  let marked = '';
  let from = 0;
  for (const [start, end] of termMatches(text, terms)) {
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
export function excerptAround(text: string, terms: readonly Term[], words = 16): string | null {
  const first = termMatches(text, terms).next();
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
  return `${from > 0 ? '…' : ''}${markTerms(window, terms)}${to < text.length ? '…' : ''}`;
}
