import { z } from 'zod';
import { ApplicantFilter, ApplicantRow, ApplicantSort, DocumentKind, Id, Job, Packet, SavedView, SearchHit } from '../domain.ts';
import { endpoint } from './define.ts';

/** A search hit with what a list of results shows beside the snippet: whose it is, for which job, and where the words were found. */
export const SearchResult = SearchHit.extend({
  applicantName: z.string().nullable(),
  jobId: Id.nullable(),
  jobTitle: z.string().nullable(),
  /** The document's kind when the words were found in a document (or a letter's file); null for the applicant's or application's details. */
  documentKind: DocumentKind.nullable(),
  /** Where the words were found, as the reviewer names it: "CV", "Letter from Vikram Sharma", "Applicant details". */
  source: z.string(),
});
export type SearchResult = z.infer<typeof SearchResult>;

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
    result: z.array(SearchResult),
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
