import type { Connector, ConnectorContext, OutboxSend, PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { walkPages } from '../kit/paging.ts';
import { malformed, parseJsonBody } from '../kit/validate.ts';
import { createdJobId, mapJobs, mapOptions, postingFieldsSchema, readJobPage } from './mapping.ts';

/**
 * The Job Space: a page walk of the board's jobs (`page[number]`, `page[size]`, stop at
 * `meta.pagination.total_pages`; no filter exists), the posting options, and the outbox's
 * create/update of postings on the admin API.
 */
const pageSize = 50;

export const jobspaceConnector: Connector = {
  policy: defaultPolicy('jobspace', 4),

  async pull(context: ConnectorContext): Promise<PullResult> {
    const where = (endpoint: string) => ({ provider: 'jobspace', endpoint, timeZone: context.timeZone });
    context.progress('jobs', 0, null, null);
    const items = await walkPages(
      context.http,
      'api/job',
      (page) => ({ method: 'GET', url: 'api/job', query: { 'page[number]': String(page), 'page[size]': String(pageSize) } }),
      (reply) => readJobPage(reply, where('api/job')),
      (_page, count) => context.progress('jobs', count, null, null),
    );
    const options = await context.http.json('admin/api/job/options', { method: 'GET', url: 'admin/api/job/options' });
    return {
      snapshot: {
        jobs: { rows: mapJobs(items, where('api/job')), complete: true },
        lookups: { rows: mapOptions(options, where('admin/api/job/options')), complete: true },
      },
      cursors: {},
    };
  },

  async send(context: ConnectorContext, outbox: OutboxSend): Promise<{ remoteId: string | null }> {
    const where = (endpoint: string) => ({ provider: 'jobspace', endpoint, timeZone: context.timeZone });
    const payload = outbox.payload as { jobRemoteId?: string; fields: unknown };
    const fields = postingFieldsSchema.parse(payload.fields);
    if (outbox.item.kind === 'job.update') {
      if (!payload.jobRemoteId) throw malformed({ provider: 'jobspace', endpoint: 'job update' }, 'jobRemoteId', 'is missing');
      const endpoint = `admin/api/job/${payload.jobRemoteId}/update`;
      // An update sets the same fields again, so sending it twice is harmless.
      const reply = await context.http.call(endpoint, { method: 'POST', url: endpoint, form: fields }, async (response) => parseJsonBody(await response.body.text(), where(endpoint)));
      return { remoteId: createdJobId(reply, where(endpoint)) };
    }
    if (outbox.resumed) {
      const earlier = await findByReference(context, fields.reference);
      if (earlier) return { remoteId: earlier };
    }
    const reply = await context.http.call('admin/api/job', { method: 'POST', url: 'admin/api/job', form: fields }, async (response) => parseJsonBody(await response.body.text(), where('admin/api/job')));
    return { remoteId: createdJobId(reply, where('admin/api/job')) };
  },
};

/** The reference is unique per organisation: a job with it means an earlier create got through. */
async function findByReference(context: ConnectorContext, reference: string): Promise<string | null> {
  const where = { provider: 'jobspace', endpoint: 'api/job', timeZone: context.timeZone };
  const items = await walkPages(
    context.http,
    'api/job',
    (page) => ({ method: 'GET', url: 'api/job', query: { 'page[number]': String(page), 'page[size]': String(pageSize) } }),
    (reply) => readJobPage(reply, where),
  );
  const match = items.find((item) => (item as { reference?: unknown }).reference === reference) as { id?: unknown } | undefined;
  return match?.id === undefined ? null : String(match.id);
}
