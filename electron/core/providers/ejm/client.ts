import type { Readable } from 'node:stream';
import type { Connector, ConnectorContext, DocumentToFetch, FetchedDocument, PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { decodeJsonBlob, type DecodedJsonBlob } from './json-blob.ts';
import { malformed } from '../kit/validate.ts';
import type { StagedBlob } from '../../blobs/store.ts';
import { mapEjm } from './mapping.ts';

/**
 * EconJobMarket: no pagination, no filter, so every list is fetched whole (in parallel) and
 * diffed locally on changedate / updated_at / sha1_hash / blobid. Paths keep the trailing slash
 * the official client uses; ids are integers.
 */
const listEndpoints = ['applicants', 'applications', 'files', 'letters', 'conferences'] as const;

export const ejmConnector: Connector = {
  policy: defaultPolicy('ejm', 6, 16),

  async pull(context: ConnectorContext): Promise<PullResult> {
    let done = 0;
    context.progress('applications', 0, listEndpoints.length, null);
    const lists = await Promise.all(
      listEndpoints.map(async (name) => {
        const reply = await context.http.json(name, { method: 'GET', url: `${name}/` });
        done += 1;
        context.progress('applications', done, listEndpoints.length, name);
        return [name, reply] as const;
      }),
    );
    const byName = Object.fromEntries(lists) as Record<(typeof listEndpoints)[number], unknown>;
    const conferenceIds = conferenceIdsOf(byName.conferences);
    const slots = new Map<string, unknown>();
    context.progress('interviews', 0, conferenceIds.length, null);
    await Promise.all(
      conferenceIds.map(async (id) => {
        slots.set(id, await context.http.json(`conferences/${id}`, { method: 'GET', url: `conferences/${id}/` }));
        context.progress('interviews', slots.size, conferenceIds.length, `conference ${id}`);
      }),
    );
    return { snapshot: mapEjm({ ...byName, slots }, context.timeZone), cursors: {}, unfinished: [] };
  },

  async download(context: ConnectorContext, document: DocumentToFetch): Promise<{ staged: StagedBlob; fetched: FetchedDocument }> {
    const resource = document.kind === 'letter' ? 'letters' : 'files';
    const endpoint = `${resource}/${document.remoteId}`;
    return context.http.call(endpoint, { method: 'GET', url: `${resource}/${encodeURIComponent(document.remoteId)}/` }, async (response) => {
      let decoded: DecodedJsonBlob | undefined;
      const staged = await context.stage(async (sink) => {
        decoded = await decodeJsonBlob(response.body as unknown as Readable, 'filecontent', sink, { provider: 'ejm', endpoint });
        if (!decoded.hadContent) {
          const error = decoded.fields.error_description ?? decoded.fields.error;
          throw malformed({ provider: 'ejm', endpoint }, 'filecontent', error ? `is missing ("${String(error)}")` : 'is missing');
        }
      });
      const fields = decoded?.fields ?? {};
      const stated = fields.sha1_hash;
      const fetched: FetchedDocument = {
        fileName: typeof fields.filename === 'string' ? fields.filename : null,
        mimeType: typeof fields.filetype === 'string' ? fields.filetype : null,
        statedSha1: typeof stated === 'string' && stated !== '' ? stated.toLowerCase() : null,
      };
      return { staged, fetched };
    });
  },
};

function conferenceIdsOf(reply: unknown): string[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .map((conference: unknown) => (conference as { conference_id?: unknown } | null)?.conference_id)
    .filter((id): id is number | string => typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)))
    .map(String);
}
