import { DossierError } from '../../base/errors.ts';
import { offerCursorPrefix, type Connector, type ConnectorContext, type Offer, type PullResult } from '../kit/connector.ts';
import { defaultPolicy, type SessionRequest } from '../kit/http.ts';
import { walkPages, type PageWalk } from '../kit/paging.ts';
import type { JobRecord } from '../kit/records.ts';
import { asList, mapApplications, mapJobPosts, mapScreeningTests, type JyMobScreeningTest } from './mapping.ts';

/**
 * JyMob: page walks (`page`, `per_page`; an empty page is the last, since a server may serve fewer
 * than asked) of the job posts, then of the applications and screening tests of each post the
 * account owns. Which posts are its own shows only in how the per-post lists answer: another
 * employer's post is refused with 403, 404 or 401 depending on the server (docs/providers/jymob.md).
 * No "since" filter is documented, so every sync walks; unchanged rows are not rewritten.
 */
const perPage = 100;

/** `placement` says, page by page, how each request is sent (whether a refusal may be about the post rather than the token). */
function pagedList(
  context: ConnectorContext,
  resource: string,
  query: Record<string, string> = {},
  placement: (page: number) => Pick<SessionRequest, 'ownershipProbe'> = () => ({}),
): Promise<PageWalk<unknown>> {
  const endpoint = `${resource}.json`;
  return walkPages(
    context.http,
    endpoint,
    (page) => ({ method: 'GET', url: endpoint, query: { ...query, page: String(page), per_page: String(perPage) }, ...placement(page) }),
    (reply) => ({ items: asList(reply, { provider: 'jymob', endpoint }) }),
  );
}

/** Refusals of a post's first page that may mean "another employer's post". */
const foreignPostCodes = new Set(['auth.access_denied', 'provider.not_found', 'auth.expired']);

/** One pull's per-post lists, and what it learned along the way about what the account may read. */
class PostLists {
  readonly #context: ConnectorContext;
  #applicationsListed: Promise<unknown> | undefined;
  #screeningTestsOffered = true;
  #screeningTestsAsked = false;

  constructor(context: ConnectorContext) {
    this.#context = context;
  }

  /** The applications to a post, or null when the post is not the account's. */
  applications(postId: string): Promise<PageWalk<unknown> | null> {
    return this.#ownPostList('job_applications', postId);
  }

  /** The tests taken for one of the account's posts; none when the server keeps no such list (the guide documents only one's own tests). */
  async screeningTests(postId: string): Promise<unknown[]> {
    if (!this.#screeningTestsOffered) return [];
    this.#screeningTestsAsked = true;
    return (await this.#ownPostList('screening_tests', postId))?.items ?? [];
  }

  /**
   * A post's list, or null when its first page is refused. A 401 is also what an expired token
   * gets, so the token is then tried on the job posts, which the account may always read: refused
   * there too, the session ends the sync as signed out; read, the token was valid when the post was
   * refused (a token never becomes valid again), so the post is someone else's. A 404 could also be
   * a list that does not exist at all (a wrong base URL), which would make every post look foreign
   * and tombstone them: the account's own applications, documented for every user, must answer.
   * Screening tests are asked for only on the account's own posts, so their 404 means no such list.
   */
  async #ownPostList(resource: 'job_applications' | 'screening_tests', postId: string): Promise<PageWalk<unknown> | null> {
    let asked = 0;
    try {
      return await pagedList(this.#context, resource, { job_post_id: postId }, (page) => {
        asked = page;
        return { ownershipProbe: page === 1 };
      });
    } catch (error) {
      if (!(error instanceof DossierError) || asked !== 1 || !foreignPostCodes.has(error.code)) throw error;
      if (error.code === 'auth.expired') await this.#firstPage('job_posts.json');
      if (error.code === 'provider.not_found' && resource === 'job_applications') await (this.#applicationsListed ??= this.#firstPage('job_applications.json'));
      if (error.code === 'provider.not_found' && resource === 'screening_tests') {
        this.#screeningTestsOffered = false;
        this.#context.log.info('sync.jymob.no_screening_tests', { accountId: this.#context.accountId });
      }
      return null;
    }
  }

  /** What this pull learned about the per-post screening tests, as the account's status shows it; null when it never asked. */
  get screeningTestsOffer(): Offer | null {
    return this.#screeningTestsAsked ? (this.#screeningTestsOffered ? 'offered' : 'not_offered') : null;
  }

  #firstPage(endpoint: string): Promise<unknown> {
    return this.#context.http.json(endpoint, { method: 'GET', url: endpoint, query: { page: '1', per_page: '1' } });
  }
}

export const jymobConnector: Connector = {
  policy: defaultPolicy('jymob', 4, 8),

  async pull(context: ConnectorContext): Promise<PullResult> {
    const where = (endpoint: string) => ({ provider: 'jymob', endpoint, timeZone: context.timeZone });
    context.progress('jobs', 0, null, null);
    const postWalk = await pagedList(context, 'job_posts');
    const posts = mapJobPosts(postWalk.items, where('job_posts.json'));
    const lists = new PostLists(context);
    const unfinished = new Set<string>(postWalk.finished ? [] : ['job_posts.json']);
    const applications: unknown[] = [];
    const tests = new Map<string, JyMobScreeningTest[]>();
    const owned: JobRecord[] = [];
    let done = 0;
    await Promise.all(
      posts.map(async (post) => {
        const received = await lists.applications(post.remoteId);
        if (received !== null) {
          owned.push(post);
          applications.push(...received.items);
          if (!received.finished) unfinished.add('job_applications.json');
          for (const test of mapScreeningTests(await lists.screeningTests(post.remoteId), where('screening_tests.json'))) {
            // A server that ignores the post filter lists the caller's own tests, taken for other employers' posts.
            if (!test.job_application_id || (test.source_id !== null && test.source_id !== post.remoteId)) continue;
            tests.set(test.job_application_id, [...(tests.get(test.job_application_id) ?? []), test]);
          }
        }
        done += 1;
        context.progress('applications', done, posts.length, post.title);
      }),
    );
    const ownedIds = new Set(owned.map((post) => post.remoteId));
    const titles = new Map(posts.map((post) => [post.remoteId, post.title]));
    // Stable order whatever order the parallel walks finished in.
    applications.sort((a, b) => Number((a as { id?: unknown }).id) - Number((b as { id?: unknown }).id));
    const mapped = mapApplications(applications, tests, titles, where('job_applications.json'));
    return {
      snapshot: {
        jobs: { rows: posts.filter((post) => ownedIds.has(post.remoteId)), complete: unfinished.size === 0 },
        applicants: { rows: mapped.applicants, complete: unfinished.size === 0 },
        applications: { rows: mapped.applications, complete: unfinished.size === 0 },
      },
      cursors: lists.screeningTestsOffer === null ? {} : { [`${offerCursorPrefix}screening_tests`]: lists.screeningTestsOffer },
      unfinished: [...unfinished],
    };
  },
};
