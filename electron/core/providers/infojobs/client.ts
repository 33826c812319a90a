import type { Connector, ConnectorContext, PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { unfinishedWalks, walkPages } from '../kit/paging.ts';
import { mapApplications, mapCandidate, readApplicationPage } from './mapping.ts';

/**
 * InfoJobs: the candidate's profile and a page walk of their applications (`page`, `pageSize` of
 * 10/20/30, `totalFound`). No server-side "since" filter exists for applications, so every sync
 * walks the list; unchanged rows are not rewritten.
 */
const pageSize = 30;

export const infojobsConnector: Connector = {
  policy: defaultPolicy('infojobs', 4, 8),

  async pull(context: ConnectorContext): Promise<PullResult> {
    const where = (endpoint: string) => ({ provider: 'infojobs', endpoint, timeZone: context.timeZone });
    // Operations live under /api/{version}/…; accept a base URL given with or without that /api/.
    const api = /\/api\/?$/.test(context.baseUrl) ? '' : 'api/';
    context.progress('applicants', 0, 1, null);
    const candidate = mapCandidate(await context.http.json('6/candidate', { method: 'GET', url: `${api}6/candidate` }), where('6/candidate'));
    context.progress('applications', 0, null, null);
    let total = 0;
    const items = await walkPages(
      context.http,
      '5/application',
      (page) => ({ method: 'GET', url: `${api}5/application`, query: { page: String(page), pageSize: String(pageSize), order: 'last-event' } }),
      (reply) => {
        const read = readApplicationPage(reply, where('5/application'));
        total = read.total;
        return { items: read.items, statedTotal: read.total };
      },
      (_page, count) => context.progress('applications', count, total, null),
    );
    const mapped = mapApplications(items.items, candidate.remoteId, where('5/application'));
    return {
      snapshot: {
        applicants: { rows: [candidate], complete: true },
        jobs: { rows: mapped.jobs, complete: items.finished },
        applications: { rows: mapped.applications, complete: items.finished },
      },
      cursors: {},
      unfinished: unfinishedWalks({ '5/application': items }),
    };
  },
};
