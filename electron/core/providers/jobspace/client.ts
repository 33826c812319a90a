import { DossierError } from '../../base/errors.ts';
import { offerCursorPrefix, type Connector, type ConnectorContext, type Offer, type OutboxSend, type PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { unfinishedWalks, walkPages } from '../kit/paging.ts';
import { withProviderWords } from '../kit/refusals.ts';
import { malformed, parseJsonBody } from '../kit/validate.ts';
import { legacyBoardRefusal } from './capabilities.ts';
import { createdJobId, mapJobs, mapOptions, postingFieldsSchema, readJobPage } from './mapping.ts';

/**
 * The Job Space: a page walk of the board's jobs (`page[number]`, `page[size]`, stop at
 * `meta.pagination.total_pages`; no filter exists), the posting options where the board offers
 * them (whether it does is saved as an offer cursor and shown with the account), and the outbox's
 * create/update/delete of postings on the admin API of a 2017-09+ board. A 2017-05 board writes
 * through other routes with other fields (ids, not handles; reference.md §4.4) and cannot delete, so
 * Dossier does not write to one and says so (docs/providers/jobspace.md).
 */
const pageSize = 50;
const optionsEndpoint = 'admin/api/job/options';
const postingOptionsOffer = `${offerCursorPrefix}posting_options`;

export const jobspaceConnector: Connector = {
  policy: defaultPolicy('jobspace', 4, 8),

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
    const options = await postingOptions(context);
    return {
      snapshot: {
        jobs: { rows: mapJobs(items.items, where('api/job')), complete: items.finished },
        // A board without the options keeps the choices last seen (none, on a 2017-05 board).
        ...(options === null ? {} : { lookups: { rows: mapOptions(options, where(optionsEndpoint)), complete: true } }),
      },
      cursors: { [postingOptionsOffer]: options === null ? 'not_offered' : 'offered' } satisfies Record<string, Offer>,
      unfinished: unfinishedWalks({ 'api/job': items }),
    };
  },

  async send(context: ConnectorContext, outbox: OutboxSend): Promise<{ remoteId: string | null }> {
    const where = (endpoint: string) => ({ provider: 'jobspace', endpoint, timeZone: context.timeZone });
    if (outbox.item.kind === 'job.delete') return deletePosting(context, outbox.payload);
    const payload = outbox.payload as { jobRemoteId?: string; fields: unknown };
    const fields = postingFieldsSchema.parse(payload.fields);
    if (outbox.item.kind === 'job.update') {
      if (!payload.jobRemoteId) throw malformed({ provider: 'jobspace', endpoint: 'job update' }, 'jobRemoteId', 'is missing');
      // An update sets the same fields again, so sending it twice is harmless.
      const { endpoint, reply } = await postToBoard(context, `job/${payload.jobRemoteId}/update`, fields);
      return { remoteId: createdJobId(reply, where(endpoint)) };
    }
    if (outbox.resumed) {
      const earlier = await findByReference(context, fields.reference);
      if (earlier) return { remoteId: earlier };
    }
    const { endpoint, reply } = await postToBoard(context, 'job', fields);
    return { remoteId: createdJobId(reply, where(endpoint)) };
  },
};

/** Nothing is sent to a board known (from its last sync) to run the 2017-05 API: it has no admin API. */
function refuseOnLegacyBoard(context: ConnectorContext): void {
  if (context.cursor(postingOptionsOffer) === ('not_offered' satisfies Offer)) throw legacyBoardRefusal();
}

/**
 * Posts a create or update to the admin API. A 404 from a board never synced may be a 2017-05 board
 * (no admin API at all) or a posting that is gone: the options route, on every newer board, tells which.
 */
async function postToBoard(context: ConnectorContext, route: string, form: Record<string, string>): Promise<{ endpoint: string; reply: unknown }> {
  refuseOnLegacyBoard(context);
  const endpoint = `admin/api/${route}`;
  try {
    return { endpoint, reply: await context.http.call(endpoint, { method: 'POST', url: endpoint, form }, async (response) => parseJsonBody(await response.body.text(), { provider: 'jobspace', endpoint })) };
  } catch (error) {
    if (error instanceof DossierError && error.code === 'provider.not_found' && context.cursor(postingOptionsOffer) === null && (await postingOptions(context)) === null) throw legacyBoardRefusal();
    throw error;
  }
}

/**
 * `POST admin/api/job/{id}/delete` → `{"data":{"acknowledged":true}}` (reference.md §4.2). A 404 means the
 * board no longer has the posting — what the delete asks for, also after a crash between sending it and
 * recording it — so it counts as done. Sent once: the outbox's next sync repeats it, harmlessly.
 */
async function deletePosting(context: ConnectorContext, payload: Record<string, unknown>): Promise<{ remoteId: string | null }> {
  const jobRemoteId = typeof payload.jobRemoteId === 'string' ? payload.jobRemoteId : '';
  if (!/^\d+$/.test(jobRemoteId)) throw malformed({ provider: 'jobspace', endpoint: 'job delete' }, 'jobRemoteId', 'is not a job id');
  refuseOnLegacyBoard(context);
  const endpoint = `admin/api/job/${jobRemoteId}/delete`;
  try {
    await context.http.call(endpoint, { method: 'POST', url: endpoint }, async (response) => parseJsonBody(await response.body.text(), { provider: 'jobspace', endpoint }), { once: true });
  } catch (error) {
    if (!(error instanceof DossierError) || error.code !== 'provider.not_found') throw withProviderWords(error, 'The Job Space refused to delete the posting', boardMessage);
    // Gone from the board, or a board without the delete route: only the posting itself can tell.
    if (await postingListed(context, jobRemoteId)) throw legacyBoardRefusal();
  }
  return { remoteId: jobRemoteId };
}

async function postingListed(context: ConnectorContext, jobRemoteId: string): Promise<boolean> {
  const endpoint = `api/job/${jobRemoteId}`;
  try {
    await context.http.json(endpoint, { method: 'GET', url: endpoint });
    return true;
  } catch (error) {
    if (error instanceof DossierError && error.code === 'provider.not_found') return false;
    throw error;
  }
}

/** The board's error body `{"data":{"message", "errors"?}}` (reference.md §4.5) in one line. */
function boardMessage(body: unknown): string | null {
  const data = (body as { data?: { message?: unknown; errors?: unknown } } | null)?.data;
  if (typeof data?.message !== 'string') return null;
  const errors = data.errors && typeof data.errors === 'object' ? Object.values(data.errors as Record<string, unknown>).flat().filter((entry) => typeof entry === 'string') : [];
  return [data.message, ...errors].join(' ');
}

/**
 * The posting options, or null when the board does not offer them: `admin/api/job/options` came
 * with the 2017-09 docs, and a 2017-05 board answers 404 (docs/providers/jobspace.md).
 */
async function postingOptions(context: ConnectorContext): Promise<unknown> {
  try {
    return await context.http.json(optionsEndpoint, { method: 'GET', url: optionsEndpoint });
  } catch (error) {
    if (error instanceof DossierError && error.code === 'provider.not_found') return null;
    throw error;
  }
}

/** The reference is unique per organisation: a job with it means an earlier create got through. */
async function findByReference(context: ConnectorContext, reference: string): Promise<string | null> {
  const where = { provider: 'jobspace', endpoint: 'api/job', timeZone: context.timeZone };
  const items = await walkPages(
    context.http,
    'api/job',
    (page) => ({ method: 'GET', url: 'api/job', query: { 'page[number]': String(page), 'page[size]': String(pageSize) } }),
    (reply) => readJobPage(reply, where),
  );
  const match = items.items.find((item) => (item as { reference?: unknown }).reference === reference) as { id?: unknown } | undefined;
  return match?.id === undefined ? null : String(match.id);
}
