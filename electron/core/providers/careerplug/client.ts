import type { Connector, ConnectorContext, OutboxSend, PullResult } from '../kit/connector.ts';
import { defaultPolicy } from '../kit/http.ts';
import { unfinishedWalks, walkPages } from '../kit/paging.ts';
import { withProviderWords } from '../kit/refusals.ts';
import { malformed } from '../kit/validate.ts';
import { asList, mapApps, mapJobs } from './mapping.ts';

/**
 * CareerPlug: page walks (`page`, `per_page`, bare arrays, no total: an empty page is the last). Apps use the
 * only server-side filter any provider has, `date_field=last_acted_on_at&start_date=YYYY-MM-DD`:
 * day granularity, so the cursor steps back a day and repeats are deduplicated by id.
 */
const perPage = 100;
/**
 * Named after the applicant key it was taken under: applicants became one per person (decision 0014), so a
 * profile synced before that has no cursor of this name, and its first sync walks every app — the full walk
 * re-keys each applicant and marks the per-app applicants removed.
 */
const appsCursor = 'apps.last_acted_on.by_person';
/**
 * The date filter sees changes, never removals, so a full walk runs at least this often (and after any
 * walk that did not finish) to learn which apps are gone upstream.
 */
const fullPassCursor = 'apps.full_pass';
const fullPassEveryMs = 7 * 86_400_000;

export const careerplugConnector: Connector = {
  policy: defaultPolicy('careerplug', 4, 8),

  async pull(context: ConnectorContext): Promise<PullResult> {
    const startedAt = new Date();
    const where = (endpoint: string) => ({ provider: 'careerplug', endpoint, timeZone: context.timeZone });
    context.progress('jobs', 0, null, null);
    const jobs = await walkPages(
      context.http,
      'jobs',
      (page) => ({ method: 'GET', url: 'jobs', query: { page: String(page), per_page: String(perPage) } }),
      (reply) => ({ items: asList(reply, where('jobs')) }),
      (_page, count) => context.progress('jobs', count, null, null),
    );
    const lastFullPass = context.cursor(fullPassCursor);
    const fullPassDue = lastFullPass === null || startedAt.getTime() - Date.parse(lastFullPass) >= fullPassEveryMs;
    const since = fullPassDue ? null : context.cursor(appsCursor);
    const filter: Record<string, string> = since ? { date_field: 'last_acted_on_at', start_date: since } : {};
    context.progress('applications', 0, null, since ? `changed since ${since}` : null);
    const apps = await walkPages(
      context.http,
      'apps',
      (page) => ({ method: 'GET', url: 'apps', query: { ...filter, page: String(page), per_page: String(perPage) } }),
      (reply) => ({ items: asList(reply, where('apps')) }),
      (_page, count) => context.progress('applications', count, null, null),
    );
    const mapped = mapApps(apps.items, where('apps'));
    // A full walk sees every app, so absence means removal; a filtered walk only sees changes.
    const complete = since === null && apps.finished;
    return {
      snapshot: {
        jobs: { rows: mapJobs(jobs.items, where('jobs')), complete: jobs.finished },
        applicants: { rows: mapped.applicants, complete },
        applications: { rows: mapped.applications, complete },
      },
      // An unfinished walk keeps the old cursors, so the next sync asks again for what this one did not see.
      unfinished: unfinishedWalks({ jobs, apps }),
      cursors: !apps.finished ? {} : since === null ? { [appsCursor]: dayBefore(startedAt), [fullPassCursor]: startedAt.toISOString() } : { [appsCursor]: dayBefore(startedAt) },
    };
  },

  async send(context: ConnectorContext, outbox: OutboxSend): Promise<{ remoteId: string | null }> {
    if (outbox.item.kind !== 'application.create') throw malformed({ provider: 'careerplug', endpoint: 'apps' }, 'kind', `${outbox.item.kind} is not something CareerPlug accepts`);
    const { job_id, app, prescreen_answers } = outbox.payload as { job_id: number | string; app: { email?: string }; prescreen_answers: unknown };
    if (outbox.resumed) {
      const earlier = await findApplied(context, job_id, app.email ?? '');
      if (earlier) return { remoteId: earlier };
    }
    try {
      const created = await context.http.call(
        'apps',
        { method: 'POST', url: 'apps', json: { job_id, app, prescreen_answers } },
        async (response) => (await response.body.json()) as { id?: unknown },
        { once: true },
      );
      return { remoteId: created.id === undefined || created.id === null ? null : String(created.id) };
    } catch (error) {
      // Grape's refusals are `{"error": "…"}` (reference.md §2.5).
      throw withProviderWords(error, 'CareerPlug refused the application', (body) => (typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : null));
    }
  },
};

/**
 * The InboundApp of `POST /apps` (reference.md §2.4) applying a person CareerPlug already holds (an App's
 * `app` object) to another job: CareerPlug returns no resume, so none is sent.
 */
export function inboundApp(person: Record<string, unknown>, jobRemoteId: string, answers: readonly { id: number | string; value: string }[]): Record<string, unknown> {
  const fields = ['email', 'firstname', 'lastname', 'phone', 'address', 'city', 'state', 'postal_code', 'country', 'recent_title', 'recent_employer'];
  const app = Object.fromEntries(fields.filter((field) => typeof person[field] === 'string' && person[field] !== '').map((field) => [field, person[field]]));
  return { job_id: /^\d+$/.test(jobRemoteId) ? Number(jobRemoteId) : jobRemoteId, app, prescreen_answers: answers.map((answer) => ({ id: answer.id, value: answer.value })) };
}

/** A prescreen question of a job, as the apply form asks it. */
export interface PrescreenQuestion {
  readonly id: number | string;
  readonly name: string;
  /** The answers the job offers, when it lists them; empty = free text. */
  readonly choices: readonly string[];
}

/**
 * A job's `prescreen_questions`: documented only as "object" (reference.md §2.4); read as a list of
 * `{id, name, answers?}`, and nothing (no questions) when it has another shape.
 */
export function prescreenQuestions(job: unknown): PrescreenQuestion[] {
  const raw = (job as { prescreen_questions?: unknown } | null)?.prescreen_questions;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown) => {
    const question = entry as { id?: unknown; name?: unknown; answers?: unknown };
    if ((typeof question.id !== 'number' && typeof question.id !== 'string') || typeof question.name !== 'string') return [];
    const choices = Array.isArray(question.answers) ? question.answers.filter((choice): choice is string => typeof choice === 'string') : [];
    return [{ id: question.id, name: question.name, choices }];
  });
}

/** An app for this job and e-mail already there means an earlier send got through before a crash. */
async function findApplied(context: ConnectorContext, jobId: number | string, email: string): Promise<string | null> {
  const apps = await walkPages(
    context.http,
    'apps',
    (page) => ({ method: 'GET', url: 'apps', query: { job_id: String(jobId), page: String(page), per_page: String(perPage) } }),
    (reply) => {
      return { items: asList(reply, { provider: 'careerplug', endpoint: 'apps' }) as { id?: unknown; app?: { email?: unknown } }[] };
    },
  );
  const match = apps.items.find((app) => typeof app.app?.email === 'string' && app.app.email.toLowerCase() === email.toLowerCase());
  return match?.id === undefined ? null : String(match.id);
}

/** The UTC day before an instant, so a provider filtering by its own local day misses nothing. */
export function dayBefore(instant: Date): string {
  return new Date(instant.getTime() - 86_400_000).toISOString().slice(0, 10);
}
