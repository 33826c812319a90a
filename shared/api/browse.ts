import { z } from 'zod';
import { ApplicantFilter, ApplicantRow, ApplicantSort, Id, Job, Packet, SavedView, SearchHit } from '../domain.ts';
import { endpoint } from './define.ts';

export const browseApi = {
  'jobs.list': endpoint({ input: z.object({ accountId: Id.optional() }), result: z.array(Job), errors: [] }),
  'applicants.list': endpoint({
    input: z.object({
      filter: ApplicantFilter.default({}),
      sort: ApplicantSort.optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().positive().max(20000).default(20000),
    }),
    result: z.object({ total: z.number().int().nonnegative(), rows: z.array(ApplicantRow) }),
    errors: ['input.invalid'],
  }),
  'applicants.packet': endpoint({ input: z.object({ applicationId: Id }), result: Packet, errors: ['input.invalid'] }),
  'search.query': endpoint({
    input: z.object({ query: z.string().trim().min(1, 'type something to search for').max(500), limit: z.number().int().positive().max(500).default(50) }),
    result: z.array(SearchHit),
    errors: ['input.invalid'],
  }),
  'views.list': endpoint({ input: z.object({}), result: z.array(SavedView), errors: [] }),
  'views.save': endpoint({
    input: z.object({ id: Id.optional(), name: z.string().trim().min(1).max(80), filter: ApplicantFilter, sort: ApplicantSort.nullable().default(null) }),
    result: SavedView,
    errors: ['input.invalid'],
  }),
  'views.remove': endpoint({ input: z.object({ id: Id }), result: z.object({ removed: z.boolean() }), errors: [] }),
};
