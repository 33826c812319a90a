import { z } from 'zod';
import { instant, joinText, optionalId, remoteId, text } from '../kit/fields.ts';
import type { PageReading } from '../kit/paging.ts';
import type { JobRecord, LookupRecord } from '../kit/records.ts';
import { malformed, parseAs, type Where } from '../kit/validate.ts';

/**
 * The Job Space (docs/providers/reference.md §4): jobs only (no applicant API exists), related entities wrapped
 * as `{data: …}`, dates as `{utc, converted, formatted}` objects, numbers sometimes as strings.
 */

/** A date is `{utc, …}` (use `utc`), a plain string in older replies, or null. */
const BoardDate = z
  .union([z.looseObject({ utc: z.string().nullable().optional() }), z.string(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? null : typeof value === 'string' ? value : (value.utc ?? null)));

const Wrapped = <Shape extends z.ZodType>(inner: Shape) => z.looseObject({ data: inner.nullable().optional() }).nullable().optional();

const Job = z.looseObject({
  id: remoteId,
  job_title: text,
  name: text,
  reference: text,
  location: z.looseObject({ display: text }).nullable().optional(),
  location_display: text,
  open_date: BoardDate,
  close_date: BoardDate,
  updated_at: BoardDate,
  deleted_at: BoardDate,
  evergreen: z.union([z.boolean(), z.number(), z.string()]).nullable().optional(),
  organisation: Wrapped(z.looseObject({ name: text })),
  category: Wrapped(z.looseObject({ handle: text })),
  type: Wrapped(z.looseObject({ handle: text })),
});

const JobPage = z.looseObject({
  data: z.array(z.unknown()),
  meta: z.looseObject({
    pagination: z.looseObject({
      current_page: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
      total_pages: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
      total: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    }),
  }),
});

export function readJobPage(reply: unknown, where: Where): PageReading<unknown> {
  const page = parseAs(JobPage, reply, where);
  return { items: page.data, lastByProvider: page.meta.pagination.current_page >= page.meta.pagination.total_pages, statedTotal: page.meta.pagination.total ?? null };
}

export function mapJobs(items: readonly unknown[], where: Where): JobRecord[] {
  return items.map((raw, index) => {
    const job = parseAs(Job, raw, where, `data[${index}]`);
    const date = (field: string, value: string | null) => instant(value, where.timeZone, () => malformed(where, `data[${index}].${field}`, 'is not a date'));
    return {
      remoteId: job.id,
      remoteVersion: job.updated_at,
      raw,
      title: job.job_title ?? job.name ?? `Job ${job.id}`,
      department: job.organisation?.data?.name ?? null,
      location: job.location?.display ?? job.location_display,
      status: job.deleted_at ? 'deleted' : joinText([job.type?.data?.handle, job.category?.data?.handle], ' · '),
      postedAt: date('open_date', job.open_date),
      closesAt: date('close_date', job.close_date),
    };
  });
}

const Entry = z.looseObject({ id: optionalId, iso: text, handle: text, name: text });
const Options = z.looseObject({
  data: z.looseObject({
    country: z.array(Entry).optional().default([]),
    job_type: z.array(Entry).optional().default([]),
    job_category: z.array(Entry).optional().default([]),
  }),
});

/** The posting form's choices: countries by ISO code, types and categories by handle (what create/update take). */
export function mapOptions(reply: unknown, where: Where): LookupRecord[] {
  const options = parseAs(Options, reply, where).data;
  const rows: LookupRecord[] = [];
  const add = (kind: LookupRecord['kind'], entries: readonly z.output<typeof Entry>[], key: (entry: z.output<typeof Entry>) => string | null) => {
    for (const entry of entries) {
      const id = key(entry);
      if (id) rows.push({ kind, remoteId: id, label: entry.name ?? entry.handle ?? id, raw: entry });
    }
  };
  add('country', options.country, (entry) => entry.iso);
  add('job_type', options.job_type, (entry) => entry.handle);
  add('job_category', options.job_category, (entry) => entry.handle);
  return rows;
}

/** The created or updated job's id from `{data: {id, …}}`. */
export function createdJobId(reply: unknown, where: Where): string {
  return parseAs(z.looseObject({ data: z.looseObject({ id: remoteId }) }), reply, where).data.id;
}

/** The fields as queued in the outbox, checked again when sent (the queue survives upgrades). */
export const postingFieldsSchema = z.object({
  reference: z.string(),
  name: z.string(),
  summary: z.string(),
  description: z.string(),
  job_type: z.string(),
  job_category: z.string(),
  country: z.string(),
  locality: z.string(),
  open_date: z.string(),
  close_date: z.string(),
  salary_text: z.string(),
});
