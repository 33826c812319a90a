import { z } from 'zod';
import { Id, OutboxItem } from '../domain.ts';
import { endpoint } from './define.ts';

export const Lookup = z.object({ kind: z.enum(['country', 'job_type', 'job_category']), remoteId: z.string(), label: z.string() });

export const PostingInput = z.object({
  accountId: Id,
  jobId: Id.optional(),
  title: z.string().trim().min(1, 'a posting needs a title').max(191),
  reference: z.string().trim().min(5, 'the reference must be 5 to 191 characters').max(191),
  summary: z.string().max(300).default(''),
  description: z.string().min(1, 'a posting needs a description').max(65_000),
  jobType: z.string().min(1),
  jobCategory: z.string().min(1),
  country: z.string().min(1),
  locality: z.string().max(200).default(''),
  openDate: z.iso.date(),
  closeDate: z.iso.date(),
  salaryText: z.string().max(200).default(''),
});

export const postingsApi = {
  'lookups.list': endpoint({ input: z.object({ accountId: Id }), result: z.array(Lookup), errors: [] }),
  'postings.save': endpoint({ input: PostingInput, result: OutboxItem, errors: ['input.invalid', 'provider.unsupported'] }),
};
