import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { PostingInput } from '../../../shared/api/postings.ts';
import type { ApplyInput, ApplyQuestion, ApplyTargets } from '../../../shared/api/writes.ts';
import type { OutboxItem, ProviderId } from '../../../shared/domain.ts';
import { DossierError, toErrorValue } from '../base/errors.ts';
import type { CoreEvents } from '../base/events.ts';
import type { AccountService } from '../accounts/service.ts';
import { providers } from '../providers/catalogue.ts';
import type { Connector, ConnectorContext } from '../providers/kit/connector.ts';
import { careerplugInboundApp, careerplugPrescreenQuestions, jobspaceLegacyBoardRefusal, type PrescreenQuestion } from '../providers/write-builders.ts';
import type { JobsTable } from '../storage/jobs.ts';
import type { OutboxKind, OutboxTable } from '../storage/outbox.ts';
import type { ApplicationSource, WriteSourcesQuery } from '../storage/write-sources.ts';

export type Posting = z.output<typeof PostingInput>;
export type Application = z.output<typeof ApplyInput>;

/** Why a provider that lists applications cannot take one from Dossier, where its documentation says so. */
const applyRefusedBecause: Partial<Record<ProviderId, string>> = {
  jymob:
    'JyMob applies only the signed-in user, with one of their own resumes (POST job_applications takes a resume_id of the caller), ' +
    'so an employer account cannot apply someone else to a job. The applicant can apply on JyMob.',
};

/** Failures worth retrying on the next sync without asking; anything else waits for the user's retry. */
const transientCodes = new Set(['provider.throttled', 'provider.unavailable', 'network.unreachable', 'auth.expired', 'auth.needs_login', 'sync.cancelled', 'internal']);
const maxAutomaticAttempts = 5;

/** A key that is the same for the same write, so enqueuing twice (a double click, a retry) queues it once. */
export function idempotencyKey(accountId: number, kind: OutboxKind, identity: unknown): string {
  return `${kind}:${accountId}:${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32)}`;
}

/** The Job Space's create/update fields (2017-09+ form: handles, not ids). */
export function postingFields(posting: Posting): Record<string, string> {
  return {
    reference: posting.reference,
    name: posting.title,
    summary: posting.summary,
    description: posting.description,
    job_type: posting.jobType,
    job_category: posting.jobCategory,
    country: posting.country,
    locality: posting.locality,
    open_date: posting.openDate,
    close_date: posting.closeDate,
    salary_text: posting.salaryText,
  };
}

export interface OutboxServiceDeps {
  readonly table: OutboxTable;
  readonly jobs: JobsTable;
  readonly sources: WriteSourcesQuery;
  readonly accounts: AccountService;
  readonly events: CoreEvents;
}

/**
 * Writes to providers (new and updated postings, applications), queued durably and sent by the
 * next sync of their account; every change of an item is announced as `outbox.changed`.
 */
export class OutboxService {
  readonly #deps: OutboxServiceDeps;

  constructor(deps: OutboxServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Queues a write durably (it survives restarts and is sent on the next sync). Queuing the same
   * write again returns the existing item instead of a second one.
   */
  enqueue(write: { accountId: number; kind: OutboxKind; payload: Record<string, unknown>; summary: string; key: string }): OutboxItem {
    const item = this.#deps.table.enqueue(write);
    this.#deps.events.emit('outbox.changed', item);
    return item;
  }

  list(accountId?: number): OutboxItem[] {
    return this.#deps.table.list(accountId);
  }

  /** Puts a failed item back in the queue (the user's "retry"); a sent item cannot be sent twice. */
  retry(id: number): OutboxItem {
    const { table } = this.#deps;
    const existing = table.get(id);
    if (!existing) throw new DossierError('input.invalid', `There is no queued change with id ${id}.`, { id });
    if (existing.state === 'sent') throw new DossierError('input.invalid', 'This change was already sent; there is nothing to retry.', { id });
    table.requeue(id);
    return this.#announce(id);
  }

  /**
   * Queues a new job posting or an update of a cached one in the outbox; it is sent on the next
   * sync (or now, when the account is online), and its failure stays visible until retried.
   */
  savePosting(posting: Posting): OutboxItem {
    const account = this.#deps.accounts.get(posting.accountId);
    const kind = posting.jobId === undefined ? 'job.create' : 'job.update';
    const provider = providers[account.provider];
    if (!provider.capabilities.writes.includes(kind)) {
      throw new DossierError('provider.unsupported', `${provider.label} does not let Dossier ${kind === 'job.create' ? 'create' : 'update'} job postings.`, { provider: account.provider });
    }
    this.#refuseOnBoardWithoutAdminApi(account.id);
    const fields = postingFields(posting);
    if (posting.jobId === undefined) {
      return this.enqueue({
        accountId: account.id,
        kind,
        payload: { fields },
        summary: `Create posting "${posting.title}" (${posting.reference})`,
        // The reference is unique per organisation on The Job Space: the same reference is the same posting.
        key: idempotencyKey(account.id, kind, posting.reference),
      });
    }
    const jobRemoteId = this.#deps.jobs.remoteIdOf(posting.jobId, account.id);
    if (jobRemoteId === undefined) throw new DossierError('input.invalid', 'That job is not in this account. Sync the account and pick the job again.', { field: 'jobId' });
    return this.enqueue({
      accountId: account.id,
      kind,
      payload: { jobRemoteId, fields },
      summary: `Update posting "${posting.title}" (${posting.reference})`,
      key: idempotencyKey(account.id, kind, { job: jobRemoteId, fields }),
    });
  }

  /**
   * The jobs the person of an application can be applied to (the account's listed jobs they have not
   * applied to), each with the questions the provider asks; or, where the provider's documentation
   * rules it out, why (`reason`; null for providers that simply have no such write).
   */
  applyTargets(applicationId: number): ApplyTargets {
    const { source, provider } = this.#applicationOf(applicationId);
    if (!providers[provider].capabilities.writes.includes('application.create')) {
      return { offered: false, reason: applyRefusedBecause[provider] ?? null, jobs: [] };
    }
    const applied = new Set(this.#deps.sources.jobsAppliedTo(source.accountId, source.applicantId, source.email));
    const given = answersGiven(source.answersJson);
    const jobs = this.#deps.sources
      .jobs(source.accountId)
      .filter((job) => !job.removed && !applied.has(job.jobId))
      .map((job) => ({
        jobId: job.jobId,
        title: job.title,
        status: job.status,
        questions: careerplugPrescreenQuestions(JSON.parse(job.rawJson)).map((question): ApplyQuestion => ({ id: String(question.id), name: question.name, choices: [...question.choices], suggested: given.get(question.name) ?? '' })),
      }));
    return { offered: true, reason: null, jobs };
  }

  /**
   * Queues an application of the person behind `applicationId` to another job of the same account
   * (CareerPlug `POST /apps`), answering that job's questions. Sent on the next sync; until then it
   * can be withdrawn. The same person and job queue once.
   */
  applyToJob(input: Application): OutboxItem {
    const { source, provider } = this.#applicationOf(input.applicationId);
    const label = providers[provider].label;
    if (!providers[provider].capabilities.writes.includes('application.create')) {
      throw new DossierError('provider.unsupported', applyRefusedBecause[provider] ?? `${label} does not let Dossier apply applicants to jobs.`, { provider });
    }
    const job = this.#deps.sources.job(input.jobId);
    if (!job || job.accountId !== source.accountId) throw new DossierError('input.invalid', 'That job is not in the same account as the applicant. Pick one of the account’s jobs.', { field: 'jobId' });
    if (job.removed) throw new DossierError('input.invalid', `${label} no longer lists "${job.title}". Sync the account and pick another job.`, { field: 'jobId' });
    if (this.#deps.sources.jobsAppliedTo(source.accountId, source.applicantId, source.email).includes(job.jobId)) {
      throw new DossierError('input.invalid', `${source.name || 'This applicant'} has already applied to "${job.title}".`, { field: 'jobId' });
    }
    const person = (JSON.parse(source.rawJson) as { app?: Record<string, unknown> }).app ?? {};
    for (const field of ['email', 'firstname', 'lastname']) {
      if (typeof person[field] !== 'string' || person[field] === '') throw new DossierError('input.invalid', `${label} needs the applicant's ${field === 'email' ? 'e-mail address' : field === 'firstname' ? 'first name' : 'last name'}, and this application has none.`, { field });
    }
    const answers = answersFor(careerplugPrescreenQuestions(JSON.parse(job.rawJson)), input.answers);
    const email = String(person.email).toLowerCase();
    return this.enqueue({
      accountId: source.accountId,
      kind: 'application.create',
      payload: { ...careerplugInboundApp(person, job.remoteId, answers), jobId: job.jobId, applicationId: source.applicationId },
      summary: `Apply ${source.name || email} to "${job.title}"`,
      // The same person (by e-mail, as CareerPlug matches) on the same job is the same application.
      key: idempotencyKey(source.accountId, 'application.create', { job: job.remoteId, email }),
    });
  }

  /** A write queued for a board known to lack the admin API would only fail when sent: refuse it now. */
  #refuseOnBoardWithoutAdminApi(accountId: number): void {
    if (this.#deps.sources.offer(accountId, 'posting_options') === 'not_offered') throw jobspaceLegacyBoardRefusal();
  }

  /** Queues the deletion of a posting; the posting leaves the local list with the sync that sends it. */
  deletePosting(jobId: number): OutboxItem {
    const job = this.#deps.sources.job(jobId);
    if (!job) throw new DossierError('input.invalid', `There is no posting with id ${jobId}. Sync the account and pick the posting again.`, { field: 'jobId' });
    const account = this.#deps.accounts.get(job.accountId);
    const provider = providers[account.provider];
    if (!provider.capabilities.writes.includes('job.delete')) {
      throw new DossierError('provider.unsupported', `${provider.label} does not let Dossier delete postings.`, { provider: account.provider });
    }
    this.#refuseOnBoardWithoutAdminApi(account.id);
    if (job.removed) throw new DossierError('input.invalid', `"${job.title}" is already gone from ${provider.label}; there is nothing to delete.`, { field: 'jobId' });
    return this.enqueue({
      accountId: account.id,
      kind: 'job.delete',
      payload: { jobRemoteId: job.remoteId, jobId: job.jobId },
      summary: `Delete posting "${job.title}"`,
      key: idempotencyKey(account.id, 'job.delete', job.remoteId),
    });
  }

  /** Takes back a queued change that is not on its way yet (pending, or failed); returns its id. */
  withdraw(id: number): number {
    const { table } = this.#deps;
    const existing = table.get(id);
    if (!existing) throw new DossierError('input.invalid', `There is no queued change with id ${id}; it may have been withdrawn already.`, { id });
    if (!table.withdraw(id)) {
      throw new DossierError('input.invalid', existing.state === 'sent' ? 'This change was already sent; it cannot be withdrawn.' : 'This change is being sent right now; it can no longer be withdrawn.', { id, state: existing.state });
    }
    return id;
  }

  #applicationOf(applicationId: number): { source: ApplicationSource; provider: ProviderId } {
    const source = this.#deps.sources.application(applicationId);
    if (!source) throw new DossierError('input.invalid', `There is no application with id ${applicationId}. Sync the account and open the applicant again.`, { field: 'applicationId' });
    return { source, provider: this.#deps.accounts.get(source.accountId).provider };
  }

  /**
   * Sends an account's queued writes in order. Each item is marked `sending` durably before the
   * request; an item found in `sending` (a crash mid-send) is sent with `resumed`, so the connector
   * looks for the earlier send first and never applies the write twice. Returns how many were sent.
   */
  async send(connector: Connector, context: ConnectorContext): Promise<number> {
    const send = connector.send;
    if (!send) return 0;
    const { table } = this.#deps;
    const due = table.due(context.accountId, maxAutomaticAttempts);
    let sent = 0;
    for (const write of due) {
      const { item } = write;
      if (item.state === 'failed' && !transientCodes.has(item.lastError?.split(':', 1)[0] ?? '')) continue;
      const resumed = item.state !== 'pending' || item.attempts > 0;
      // Withdrawn since the list was read: not sent.
      if (!table.markSending(item.id)) continue;
      this.#announce(item.id);
      context.progress('outbox', sent, due.length, item.summary);
      try {
        const result = await send.call(connector, context, { ...write, resumed });
        table.markSent(item.id, result.remoteId);
        sent += 1;
      } catch (error) {
        const value = toErrorValue(error);
        table.markFailed(item.id, `${value.code}: ${value.message}`);
        this.#announce(item.id);
        if (value.code === 'sync.cancelled' || value.code.startsWith('auth.')) throw error;
        continue;
      }
      this.#announce(item.id);
    }
    return sent;
  }

  #announce(id: number): OutboxItem {
    const item = this.#deps.table.get(id) as OutboxItem;
    this.#deps.events.emit('outbox.changed', item);
    return item;
  }
}

/** The applicant's answers on an application, by question. */
function answersGiven(answersJson: string): Map<string, string> {
  const answers = JSON.parse(answersJson) as { question?: unknown; answer?: unknown }[];
  return new Map(answers.flatMap((entry) => (typeof entry.question === 'string' && typeof entry.answer === 'string' && entry.answer !== '' ? [[entry.question, entry.answer] as const] : [])));
}

/** One answer per question of the job, in its order; a missing or unknown one is named. */
function answersFor(questions: readonly PrescreenQuestion[], given: Application['answers']): { id: number | string; value: string }[] {
  const byId = new Map(given.map((answer) => [answer.questionId, answer.value]));
  const unknown = given.find((answer) => !questions.some((question) => String(question.id) === answer.questionId));
  if (unknown) throw new DossierError('input.invalid', `That job has no question ${unknown.questionId}. Open the job again to see its questions.`, { field: 'answers' });
  return questions.map((question) => {
    const value = byId.get(String(question.id));
    if (value === undefined) throw new DossierError('input.invalid', `Answer "${question.name}": the job asks it of everyone who applies.`, { field: 'answers', question: String(question.id) });
    if (question.choices.length > 0 && !question.choices.includes(value)) {
      throw new DossierError('input.invalid', `"${value}" is not one of the answers "${question.name}" offers (${question.choices.join(', ')}).`, { field: 'answers', question: String(question.id) });
    }
    return { id: question.id, value };
  });
}
