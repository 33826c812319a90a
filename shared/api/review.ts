import { z } from 'zod';
import { Id, Interview, InterviewStatus, Instant, RatingScheme, ReviewStatus, TimeZone } from '../domain.ts';
import { endpoint } from './define.ts';

const Tag = z.string().trim().min(1, 'a tag needs at least one character').max(60);

export const InterviewInput = z.object({
  id: Id.optional(),
  applicationId: Id.nullable(),
  title: z.string().trim().min(1).max(200),
  startsAt: Instant,
  endsAt: Instant,
  timeZone: TimeZone,
  place: z.string().max(500).nullable().default(null),
  videoUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  interviewers: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  status: InterviewStatus.default('proposed'),
  notes: z.string().max(100_000).default(''),
  evaluation: z.string().max(100_000).default(''),
}).refine((value) => Date.parse(value.endsAt) > Date.parse(value.startsAt), { message: 'an interview must end after it starts', path: ['endsAt'] });

const Annotated = z.object({ applicationId: Id, rating: z.number().int().nullable(), status: ReviewStatus, tags: z.array(z.string()), note: z.string() });

export const reviewApi = {
  'annotations.setRating': endpoint({ input: z.object({ applicationId: Id, rating: z.number().int().min(-100).max(100).nullable() }), result: Annotated, errors: ['input.invalid'] }),
  'annotations.setStatus': endpoint({ input: z.object({ applicationIds: z.array(Id).min(1).max(20000), status: ReviewStatus }), result: z.array(Annotated), errors: ['input.invalid'] }),
  'annotations.setNote': endpoint({ input: z.object({ applicationId: Id, note: z.string().max(100_000) }), result: Annotated, errors: ['input.invalid'] }),
  'annotations.addTag': endpoint({ input: z.object({ applicationIds: z.array(Id).min(1).max(20000), tag: Tag }), result: z.array(Annotated), errors: ['input.invalid'] }),
  'annotations.removeTag': endpoint({ input: z.object({ applicationIds: z.array(Id).min(1).max(20000), tag: Tag }), result: z.array(Annotated), errors: ['input.invalid'] }),
  'tags.list': endpoint({ input: z.object({}), result: z.array(z.object({ name: z.string(), count: z.number().int() })), errors: [] }),
  'settings.ratingScheme': endpoint({ input: z.object({ scheme: RatingScheme.optional() }), result: RatingScheme, errors: ['input.invalid'] }),
  'interviews.list': endpoint({ input: z.object({ from: Instant.optional(), to: Instant.optional(), applicationId: Id.optional() }), result: z.array(Interview), errors: [] }),
  'interviews.save': endpoint({ input: InterviewInput, result: Interview, errors: ['input.invalid'] }),
  'interviews.remove': endpoint({ input: z.object({ id: Id }), result: z.object({ removed: z.boolean() }), errors: [] }),
};
