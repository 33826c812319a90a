import type { Connector, ConnectorContext, OutboxSend, PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { walkPages } from '../kit/paging.ts';
import { malformed } from '../kit/validate.ts';
import { asList, mapApps, mapJobs } from './mapping.ts';

/**
 * CareerPlug: page walks (`page`, `per_page`, bare arrays; a short page is the last). Apps use the
 * only server-side filter any provider has, `date_field=last_acted_on_at&start_date=YYYY-MM-DD`:
 * day granularity, so the cursor steps back a day and repeats are deduplicated by id.
 */
const perPage = 100;
const appsCursor = 'apps.last_acted_on';

export const careerplugConnector: Connector = {
  policy: defaultPolicy('careerplug', 4),

  async pull(context: ConnectorContext): Promise<PullResult> {
    const startedAt = new Date();
    const where = (endpoint: string) => ({ provider: 'careerplug', endpoint, timeZone: context.timeZone });
    context.progress('jobs', 0, null, null);
    const jobs = await walkPages(
      context.http,
      'jobs',
      (page) => ({ method: 'GET', url: 'jobs', query: { page: String(page), per_page: String(perPage) } }),
      (reply) => {
        const items = asList(reply, where('jobs'));
        return { items, last: items.length < perPage };
      },
      (_page, count) => context.progress('jobs', count, null, null),
    );
    const since = context.cursor(appsCursor);
    const filter: Record<string, string> = since ? { date_field: 'last_acted_on_at', start_date: since } : {};
    context.progress('applications', 0, null, since ? `changed since ${since}` : null);
    const apps = await walkPages(
      context.http,
      'apps',
      (page) => ({ method: 'GET', url: 'apps', query: { ...filter, page: String(page), per_page: String(perPage) } }),
      (reply) => {
        const items = asList(reply, where('apps'));
        return { items, last: items.length < perPage };
      },
      (_page, count) => context.progress('applications', count, null, null),
    );
    const mapped = mapApps(apps, where('apps'));
    // A full walk sees every app, so absence means removal; a filtered walk only sees changes.
    const complete = since === null;
    return {
      snapshot: {
        jobs: { rows: mapJobs(jobs, where('jobs')), complete: true },
        applicants: { rows: mapped.applicants, complete },
        applications: { rows: mapped.applications, complete },
      },
      cursors: { [appsCursor]: dayBefore(startedAt) },
    };
  },

  async send(context: ConnectorContext, outbox: OutboxSend): Promise<{ remoteId: string | null }> {
    if (outbox.item.kind !== 'application.create') throw malformed({ provider: 'careerplug', endpoint: 'apps' }, 'kind', `${outbox.item.kind} is not something CareerPlug accepts`);
    const body = outbox.payload as { job_id: number | string; app: { email?: string } };
    if (outbox.resumed) {
      const earlier = await findApplied(context, body.job_id, body.app.email ?? '');
      if (earlier) return { remoteId: earlier };
    }
    const created = await context.http.call('apps', { method: 'POST', url: 'apps', json: outbox.payload }, async (response) => (await response.body.json()) as { id?: unknown });
    return { remoteId: created.id === undefined || created.id === null ? null : String(created.id) };
  },
};

/** An app for this job and e-mail already there means an earlier send got through before a crash. */
async function findApplied(context: ConnectorContext, jobId: number | string, email: string): Promise<string | null> {
  const apps = await walkPages(
    context.http,
    'apps',
    (page) => ({ method: 'GET', url: 'apps', query: { job_id: String(jobId), page: String(page), per_page: String(perPage) } }),
    (reply) => {
      const items = asList(reply, { provider: 'careerplug', endpoint: 'apps' }) as { id?: unknown; app?: { email?: unknown } }[];
      return { items, last: items.length < perPage };
    },
  );
  const match = apps.find((app) => typeof app.app?.email === 'string' && app.app.email.toLowerCase() === email.toLowerCase());
  return match?.id === undefined ? null : String(match.id);
}

/** The UTC day before an instant, so a provider filtering by its own local day misses nothing. */
export function dayBefore(instant: Date): string {
  return new Date(instant.getTime() - 86_400_000).toISOString().slice(0, 10);
}
