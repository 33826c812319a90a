import type { ProviderHttp, SessionRequest } from './http.ts';

/** A walk stops here whatever the provider says: no account has this many pages, so it is a loop. */
const maxPages = 10_000;

/** What one page says about the walk, beyond its items. */
export interface PageReading<Item> {
  readonly items: readonly Item[];
  /** The provider's own word that no page follows (a stated page count reached, no `next` link). */
  readonly lastByProvider?: boolean;
  /** The number of items the provider states the whole list has, when it states one. */
  readonly statedTotal?: number | null;
}

/**
 * A finished walk saw every item, so an item missing from it was removed upstream. An unfinished
 * one (a loop cut off, a provider ignoring the page parameter) must never be read that way.
 */
export interface PageWalk<Item> {
  readonly items: Item[];
  readonly finished: boolean;
}

/** The endpoints of the given walks that did not finish, for `PullResult.unfinished`. */
export function unfinishedWalks(walks: Readonly<Record<string, PageWalk<unknown>>>): string[] {
  return Object.entries(walks).flatMap(([endpoint, walk]) => (walk.finished ? [] : [endpoint]));
}

/**
 * Walks numbered pages until the provider says the walk is done: an empty page, the stated total
 * reached, or its own "no next page". A short page is not the end, because a server may cap the
 * page size below what was asked without saying so (docs/providers/assumptions.md). Pages are
 * fetched one after the other: each reply says whether another exists. A repeated page (a provider
 * ignoring the page parameter) ends the walk unfinished.
 */
export async function walkPages<Item>(
  http: ProviderHttp,
  endpoint: string,
  request: (page: number) => SessionRequest,
  read: (reply: unknown, page: number) => PageReading<Item>,
  onPage?: (page: number, items: number) => void,
): Promise<PageWalk<Item>> {
  const items: Item[] = [];
  let previous = '';
  for (let page = 1; page <= maxPages; page += 1) {
    const reply = await http.json(`${endpoint}?page=${page}`, request(page));
    const reading = read(reply, page);
    if (reading.items.length === 0) return { items, finished: true };
    const fingerprint = JSON.stringify(reading.items.slice(0, 3));
    if (page > 1 && fingerprint === previous) return { items, finished: false };
    previous = fingerprint;
    items.push(...reading.items);
    onPage?.(page, items.length);
    const total = reading.statedTotal;
    if (reading.lastByProvider === true || (total !== undefined && total !== null && items.length >= total)) return { items, finished: true };
  }
  return { items, finished: false };
}
