import { DossierError } from '../../base/errors.ts';
import type { Connector, ConnectorContext, OutboxSend, PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { walkPages } from '../kit/paging.ts';
import type { JobRecord } from '../kit/records.ts';
import { malformed } from '../kit/validate.ts';
import { asList, mapApplications, mapJobPosts, mapScreeningTests, type JyMobScreeningTest } from './mapping.ts';

/**
 * JyMob: page walks (`page`, `per_page`; a short page is the last) of the job posts, then of the
 * applications and screening tests of each post the account owns (others answer 403, which is how
 * ownership shows). No "since" filter is documented, so every sync walks; unchanged rows are not rewritten.
 */
const perPage = 100;

function pagedList(context: ConnectorContext, resource: string, query: Record<string, string> = {}): Promise<unknown[]> {
  const endpoint = `${resource}.json`;
  return walkPages(
    context.http,
    endpoint,
    (page) => ({ method: 'GET', url: endpoint, query: { ...query, page: String(page), per_page: String(perPage) } }),
    (reply) => {
      const items = asList(reply, { provider: 'jymob', endpoint });
      return { items, last: items.length < perPage };
    },
  );
}

/** Null when the post is not the account's (403): its applications are not ours to see. */
async function ownedOnly<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof DossierError && error.code === 'auth.access_denied') return null;
    throw error;
  }
}

export const jymobConnector: Connector = {
  policy: defaultPolicy('jymob', 4),

  async pull(context: ConnectorContext): Promise<PullResult> {
    const where = (endpoint: string) => ({ provider: 'jymob', endpoint, timeZone: context.timeZone });
    context.progress('jobs', 0, null, null);
    const posts = mapJobPosts(await pagedList(context, 'job_posts'), where('job_posts.json'));
    const applications: unknown[] = [];
    const tests = new Map<string, JyMobScreeningTest[]>();
    const owned: JobRecord[] = [];
    let done = 0;
    await Promise.all(
      posts.map(async (post) => {
        const received = await ownedOnly(() => pagedList(context, 'job_applications', { job_post_id: post.remoteId }));
        if (received !== null) {
          owned.push(post);
          applications.push(...received);
          const taken = (await ownedOnly(() => pagedList(context, 'screening_tests', { job_post_id: post.remoteId }))) ?? [];
          for (const test of mapScreeningTests(taken, where('screening_tests.json'))) {
            if (!test.job_application_id) continue;
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
        jobs: { rows: posts.filter((post) => ownedIds.has(post.remoteId)), complete: true },
        applicants: { rows: mapped.applicants, complete: true },
        applications: { rows: mapped.applications, complete: true },
      },
      cursors: {},
    };
  },

  async send(context: ConnectorContext, outbox: OutboxSend): Promise<{ remoteId: string | null }> {
    if (outbox.item.kind !== 'application.create') throw malformed({ provider: 'jymob', endpoint: 'job_applications.json' }, 'kind', `${outbox.item.kind} is not something JyMob accepts`);
    const payload = outbox.payload as { job_post_id: string | number; resume_id: string | number; cover_letter?: string };
    if (outbox.resumed) {
      const mine = await pagedList(context, 'job_applications');
      const earlier = mine.find((item) => String((item as { job_post_id?: unknown }).job_post_id) === String(payload.job_post_id)) as { id?: unknown } | undefined;
      if (earlier?.id !== undefined) return { remoteId: String(earlier.id) };
    }
    const form: Record<string, string> = { job_post_id: String(payload.job_post_id), resume_id: String(payload.resume_id), ...(payload.cover_letter ? { cover_letter: payload.cover_letter } : {}) };
    const created = await context.http.call('job_applications.json', { method: 'POST', url: 'job_applications.json', form }, async (response) => (await response.body.json()) as { id?: unknown });
    return { remoteId: created.id === undefined ? null : String(created.id) };
  },
};
