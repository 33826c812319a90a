import type { ProviderHttp, SessionRequest } from './http.ts';

/** A walk stops here whatever the provider says: no account has this many pages, so it is a loop. */
const maxPages = 10_000;

/**
 * Walks numbered pages until `last` says the walk is done (a short page, the stated page count),
 * collecting each page's items. Pages are fetched one after the other: each reply says whether
 * another exists. Repeated pages (a provider ignoring the page parameter) end the walk.
 */
export async function walkPages<Item>(
  http: ProviderHttp,
  endpoint: string,
  request: (page: number) => SessionRequest,
  read: (reply: unknown, page: number) => { items: readonly Item[]; last: boolean },
  onPage?: (page: number, items: number) => void,
): Promise<Item[]> {
  const items: Item[] = [];
  let previous = '';
  for (let page = 1; page <= maxPages; page += 1) {
    const reply = await http.json(`${endpoint}?page=${page}`, request(page));
    const result = read(reply, page);
    const fingerprint = JSON.stringify(result.items.slice(0, 3));
    if (page > 1 && result.items.length > 0 && fingerprint === previous) break;
    previous = fingerprint;
    items.push(...result.items);
    onPage?.(page, items.length);
    if (result.last || result.items.length === 0) break;
  }
  return items;
}
