import type { ApplicantFilter, ApplicantSort, Interview, Job, Packet, RatingScheme, ReviewStatus, SavedView } from '../../../shared/domain.ts';
import type { Storage } from '../storage/storage.ts';
import { addTag, listTags, removeTag, setNote, setRating, setStatus, type Annotation } from './annotations.ts';
import { listApplicants, type ApplicantPage } from './applicants.ts';
import { listInterviews, removeInterview, saveInterview, type InterviewDraft, type InterviewRange } from './interviews.ts';
import { applicantPacket } from './packet.ts';
import { ratingScheme, theme, type Theme } from './settings.ts';
import { listViews, removeView, saveView } from './views.ts';

export interface ApplicantQuery {
  readonly filter: ApplicantFilter;
  readonly sort?: ApplicantSort | undefined;
  readonly offset: number;
  readonly limit: number;
}

/**
 * The reviewer's work on the cache: the applicant table and packets, ratings, statuses, notes
 * and tags, saved views, interviews and the reviewer's settings. Nothing here is sent anywhere;
 * a re-sync never touches it.
 */
export class ReviewService {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  jobs(accountId?: number): Job[] {
    return this.#storage.jobs.list(accountId);
  }

  applicants(query: ApplicantQuery): ApplicantPage {
    return listApplicants(this.#storage.db, query);
  }

  packet(applicationId: number): Packet {
    return applicantPacket(this.#storage.db, applicationId);
  }

  views(): SavedView[] {
    return listViews(this.#storage.db);
  }

  saveView(view: { id?: number | undefined; name: string; filter: ApplicantFilter; sort: ApplicantSort | null }): SavedView {
    return saveView(this.#storage.db, view);
  }

  removeView(id: number): boolean {
    return removeView(this.#storage.db, id);
  }

  setRating(applicationId: number, rating: number | null): Annotation {
    return setRating(this.#storage.db, applicationId, rating);
  }

  setStatus(applicationIds: readonly number[], status: ReviewStatus): Annotation[] {
    return setStatus(this.#storage.db, applicationIds, status);
  }

  setNote(applicationId: number, note: string): Annotation {
    return setNote(this.#storage.db, applicationId, note);
  }

  addTag(applicationIds: readonly number[], tag: string): Annotation[] {
    return addTag(this.#storage.db, applicationIds, tag);
  }

  removeTag(applicationIds: readonly number[], tag: string): Annotation[] {
    return removeTag(this.#storage.db, applicationIds, tag);
  }

  tags(): { name: string; count: number }[] {
    return listTags(this.#storage.db);
  }

  /** Reads the rating scheme, or replaces it when `next` is given. */
  ratingScheme(next?: RatingScheme): RatingScheme {
    return ratingScheme(this.#storage.db, next);
  }

  /** Reads the colour theme, or replaces it when `next` is given. */
  theme(next?: Theme): Theme {
    return theme(this.#storage.db, next);
  }

  interviews(range: InterviewRange = {}): Interview[] {
    return listInterviews(this.#storage.db, range);
  }

  saveInterview(draft: InterviewDraft): Interview {
    return saveInterview(this.#storage.db, draft);
  }

  removeInterview(id: number): boolean {
    return removeInterview(this.#storage.db, id);
  }
}
