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

/** A job's rubric: the scale every criterion is scored on and the weighted criteria, in order. */
export const Rubric = z.object({
  jobId: Id,
  scale: z.object({ min: z.number().int(), max: z.number().int() }),
  criteria: z.array(z.object({ id: Id, name: z.string(), weight: z.number(), scoreCount: z.number().int().nonnegative() })),
});
export type Rubric = z.infer<typeof Rubric>;

export const RubricInput = z.object({
  jobId: Id,
  scale: z.object({ min: z.number().int().min(0).max(100), max: z.number().int().min(1).max(100) })
    .refine((scale) => scale.max > scale.min, { message: 'the scale’s top must be above its bottom (e.g. 1 to 5)' }),
  criteria: z.array(z.object({
    id: Id.optional(),
    name: z.string().trim().min(1, 'name each criterion (e.g. Research)').max(80),
    weight: z.number().positive('a weight must be above zero').max(100),
  })).max(30)
    .refine((criteria) => new Set(criteria.map((criterion) => criterion.name.toLowerCase())).size === criteria.length, { message: 'name each criterion once' }),
});

/** One application's scores on its job's rubric, and the committee score (their weighted mean) they make. */
export const Scorecard = z.object({
  applicationId: Id,
  rubric: Rubric.nullable(),
  scores: z.array(z.object({ criterionId: Id, score: z.number().int() })),
  committeeScore: z.number().nullable(),
});
export type Scorecard = z.infer<typeof Scorecard>;

const Annotated = z.object({ applicationId: Id, rating: z.number().int().nullable(), status: ReviewStatus, tags: z.array(z.string()), note: z.string() });

export const reviewApi = {
  'annotations.setRating': endpoint({ input: z.object({ applicationId: Id, rating: z.number().int().min(-100).max(100).nullable() }), result: Annotated, errors: ['input.invalid'] }),
  'annotations.setStatus': endpoint({ input: z.object({ applicationIds: z.array(Id).min(1).max(20000), status: ReviewStatus }), result: z.array(Annotated), errors: ['input.invalid'] }),
  /** Each application its own status, in one transaction; `previous` is what an undo gives back. */
  'annotations.changeStatuses': endpoint({
    input: z.object({
      changes: z.array(z.object({ applicationId: Id, status: ReviewStatus })).min(1).max(20000)
        .refine((changes) => new Set(changes.map((change) => change.applicationId)).size === changes.length, { message: 'name each application once' }),
    }),
    result: z.object({ annotations: z.array(Annotated), previous: z.array(z.object({ applicationId: Id, status: ReviewStatus })) }),
    errors: ['input.invalid'],
  }),
  'annotations.setNote': endpoint({ input: z.object({ applicationId: Id, note: z.string().max(100_000) }), result: Annotated, errors: ['input.invalid'] }),
  'annotations.addTag': endpoint({ input: z.object({ applicationIds: z.array(Id).min(1).max(20000), tag: Tag }), result: z.array(Annotated), errors: ['input.invalid'] }),
  'annotations.removeTag': endpoint({ input: z.object({ applicationIds: z.array(Id).min(1).max(20000), tag: Tag }), result: z.array(Annotated), errors: ['input.invalid'] }),
  'tags.list': endpoint({ input: z.object({}), result: z.array(z.object({ name: z.string(), count: z.number().int() })), errors: [] }),
  'settings.ratingScheme': endpoint({ input: z.object({ scheme: RatingScheme.optional() }), result: RatingScheme, errors: ['input.invalid'] }),
  /** A job's rubric; a job without one answers the default scale and no criteria. */
  'scorecards.rubric': endpoint({ input: z.object({ jobId: Id }), result: Rubric, errors: ['input.invalid'] }),
  /** Replaces a job's rubric; a criterion left out is removed with its scores, one kept by id keeps them. */
  'scorecards.saveRubric': endpoint({ input: RubricInput, result: Rubric, errors: ['input.invalid'] }),
  'scorecards.get': endpoint({ input: z.object({ applicationId: Id }), result: Scorecard, errors: ['input.invalid'] }),
  /** Scores one criterion, or clears it (null). */
  'scorecards.setScore': endpoint({ input: z.object({ applicationId: Id, criterionId: Id, score: z.number().int().nullable() }), result: Scorecard, errors: ['input.invalid'] }),
  'interviews.list': endpoint({ input: z.object({ from: Instant.optional(), to: Instant.optional(), applicationId: Id.optional() }), result: z.array(Interview), errors: [] }),
  'interviews.save': endpoint({ input: InterviewInput, result: Interview, errors: ['input.invalid'] }),
  'interviews.remove': endpoint({ input: z.object({ id: Id }), result: z.object({ removed: z.boolean() }), errors: [] }),
};
