import type { Rubric, Scorecard } from '../../../shared/api/review.ts';
import type { ApplicantFilter, ApplicantSort, Interview, Job, Packet, RatingScheme, ReviewStatus, SavedView } from '../../../shared/domain.ts';
import type { Annotation, StatusesChanged } from '../storage/annotations.ts';
import type { ApplicantPage, ApplicantQuery } from '../storage/applications-query.ts';
import type { Storage } from '../storage/storage.ts';
import { addTag, changeStatuses, removeTag, setNote, setRating, setStatus } from './annotations.ts';
import { listInterviews, saveInterview, type InterviewDraft, type InterviewRange } from './interviews.ts';
import { applicantPacket } from './packet.ts';
import { rubric, saveRubric, scorecard, setScore, type RubricDraft } from './scorecards.ts';
import { ratingScheme, theme, type Theme } from './settings.ts';
import { saveView } from './views.ts';

/**
 * What changed in the reviewer's own work on some applications, for whoever shares it (a
 * committee publishes ratings and scores and marks opened packets read); the review layer itself
 * sends nothing anywhere.
 */
export type ReviewChange =
  | { readonly kind: 'rating' | 'scores' | 'opened'; readonly applicationId: number }
  /** A rubric saved can rename or remove criteria, which changes every scorecard of the job. */
  | { readonly kind: 'rubric'; readonly jobId: number };

/**
 * The reviewer's work on the cache: the applicant table and packets, ratings, statuses, notes
 * and tags, saved views, interviews and the reviewer's settings. Nothing here is sent anywhere;
 * a re-sync never touches it.
 */
export class ReviewService {
  readonly #storage: Storage;
  readonly #listeners = new Set<(change: ReviewChange) => void>();

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** Calls `listener` after each rating, score, rubric saved or packet opened; returns the unsubscribe. */
  onChange(listener: (change: ReviewChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed<T>(change: ReviewChange, result: T): T {
    for (const listener of this.#listeners) listener(change);
    return result;
  }

  jobs(accountId?: number): Job[] {
    return this.#storage.jobs.list(accountId);
  }

  applicants(query: ApplicantQuery): ApplicantPage {
    return this.#storage.applications.page(query);
  }

  packet(applicationId: number): Packet {
    return this.#changed({ kind: 'opened', applicationId }, applicantPacket(this.#storage, applicationId));
  }

  views(): SavedView[] {
    return this.#storage.savedViews.list();
  }

  saveView(view: { id?: number | undefined; name: string; filter: ApplicantFilter; sort: ApplicantSort | null }): SavedView {
    return saveView(this.#storage, view);
  }

  removeView(id: number): boolean {
    return this.#storage.savedViews.remove(id);
  }

  setRating(applicationId: number, rating: number | null): Annotation {
    return this.#changed({ kind: 'rating', applicationId }, setRating(this.#storage, applicationId, rating));
  }

  setStatus(applicationIds: readonly number[], status: ReviewStatus): Annotation[] {
    return setStatus(this.#storage, applicationIds, status);
  }

  changeStatuses(changes: readonly { applicationId: number; status: ReviewStatus }[]): StatusesChanged {
    return changeStatuses(this.#storage, changes);
  }

  setNote(applicationId: number, note: string): Annotation {
    return setNote(this.#storage, applicationId, note);
  }

  addTag(applicationIds: readonly number[], tag: string): Annotation[] {
    return addTag(this.#storage, applicationIds, tag);
  }

  removeTag(applicationIds: readonly number[], tag: string): Annotation[] {
    return removeTag(this.#storage, applicationIds, tag);
  }

  tags(): { name: string; count: number }[] {
    return this.#storage.annotations.tags();
  }

  /** Reads the rating scheme, or replaces it when `next` is given. */
  ratingScheme(next?: RatingScheme): RatingScheme {
    return ratingScheme(this.#storage.settings, next);
  }

  /** Reads the colour theme, or replaces it when `next` is given. */
  theme(next?: Theme): Theme {
    return theme(this.#storage.settings, next);
  }

  rubric(jobId: number): Rubric {
    return rubric(this.#storage, jobId);
  }

  saveRubric(draft: RubricDraft): Rubric {
    return this.#changed({ kind: 'rubric', jobId: draft.jobId }, saveRubric(this.#storage, draft));
  }

  scorecard(applicationId: number): Scorecard {
    return scorecard(this.#storage, applicationId);
  }

  setScore(applicationId: number, criterionId: number, score: number | null): Scorecard {
    return this.#changed({ kind: 'scores', applicationId }, setScore(this.#storage, applicationId, criterionId, score));
  }

  interviews(range: InterviewRange = {}): Interview[] {
    return listInterviews(this.#storage, range);
  }

  saveInterview(draft: InterviewDraft): Interview {
    return saveInterview(this.#storage, draft);
  }

  removeInterview(id: number): boolean {
    return this.#storage.interviews.remove(id);
  }
}
