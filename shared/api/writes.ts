import { z } from 'zod';
import { Id, OutboxItem } from '../domain.ts';
import { endpoint } from './define.ts';

/** A question the provider asks of everyone applying to a job (CareerPlug's prescreen questions). */
export const ApplyQuestion = z.object({
  id: z.string(),
  name: z.string(),
  /** The answers the job offers; empty = free text. */
  choices: z.array(z.string()),
  /** The applicant's answer to the same question on the application shown, if any. */
  suggested: z.string(),
});
export type ApplyQuestion = z.infer<typeof ApplyQuestion>;

export const ApplyTarget = z.object({ jobId: Id, title: z.string(), status: z.string().nullable(), questions: z.array(ApplyQuestion) });
export type ApplyTarget = z.infer<typeof ApplyTarget>;

/** Whether the open application's person can be applied to another job of the account, and to which. */
export const ApplyTargets = z.object({
  offered: z.boolean(),
  /** Why not, when the provider's documentation rules it out (shown beside the action); null when the provider simply has no such write. */
  reason: z.string().nullable(),
  jobs: z.array(ApplyTarget),
});
export type ApplyTargets = z.infer<typeof ApplyTargets>;

export const ApplyInput = z.object({
  applicationId: Id,
  jobId: Id,
  answers: z.array(z.object({ questionId: z.string().min(1), value: z.string().trim().min(1, 'every question needs an answer').max(2000) })).max(100).default([]),
});

export const writesApi = {
  'applications.applyTargets': endpoint({ input: z.object({ applicationId: Id }), result: ApplyTargets, errors: ['input.invalid'] }),
  'applications.applyToJob': endpoint({ input: ApplyInput, result: OutboxItem, errors: ['input.invalid', 'provider.unsupported'] }),
  'postings.delete': endpoint({ input: z.object({ jobId: Id }), result: OutboxItem, errors: ['input.invalid', 'provider.unsupported'] }),
  'outbox.withdraw': endpoint({ input: z.object({ id: Id }), result: z.object({ withdrawn: Id }), errors: ['input.invalid'] }),
};
