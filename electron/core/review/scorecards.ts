import type { Rubric, Scorecard } from '../../../shared/api/review.ts';
import { DossierError } from '../base/errors.ts';
import type { CriterionDraft, JobKey, ScaleRow } from '../storage/scorecards.ts';
import type { Storage } from '../storage/storage.ts';

/** The scale a job's rubric starts with, as committees usually score: 1 (weak) to 5 (outstanding). */
export const defaultScale: ScaleRow = { min: 1, max: 5 };

export interface RubricDraft {
  readonly jobId: number;
  readonly scale: ScaleRow;
  readonly criteria: readonly CriterionDraft[];
}

function jobKey(storage: Storage, jobId: number): JobKey & { jobId: number } {
  const key = storage.scorecards.jobKey(jobId);
  if (!key) throw new DossierError('input.invalid', 'That job is not in the local copy. Reload the job list and try again.', { field: 'jobId' });
  return key;
}

function rubricOf(storage: Storage, job: JobKey & { jobId: number }): Rubric {
  return { jobId: job.jobId, scale: storage.scorecards.scale(job) ?? defaultScale, criteria: storage.scorecards.criteria(job) };
}

export function rubric(storage: Storage, jobId: number): Rubric {
  return rubricOf(storage, jobKey(storage, jobId));
}

/**
 * Replaces a job's rubric in one transaction. A narrower scale that would leave given scores
 * outside it is refused (nothing is changed), and so is an id of a criterion of another job.
 */
export function saveRubric(storage: Storage, draft: RubricDraft): Rubric {
  const job = jobKey(storage, draft.jobId);
  return storage.transaction(() => {
    const known = new Set(storage.scorecards.criteria(job).map((criterion) => criterion.id));
    const foreign = draft.criteria.filter((criterion) => criterion.id !== undefined && !known.has(criterion.id));
    if (foreign.length > 0) {
      throw new DossierError('input.invalid', 'A criterion in this rubric belongs to another job, or was removed meanwhile. Reopen the rubric and save again.', { field: 'criteria' });
    }
    const outside = storage.scorecards.scoresOutside(job, draft.scale);
    if (outside > 0) {
      throw new DossierError(
        'input.invalid',
        `${outside === 1 ? 'One score lies' : `${outside} scores lie`} outside ${draft.scale.min}–${draft.scale.max}. Keep a scale that includes them, or change those scores first.`,
        { field: 'scale', outside },
      );
    }
    storage.scorecards.replaceRubric(job, draft.scale, draft.criteria);
    return rubricOf(storage, job);
  });
}

function scoredApplication(storage: Storage, applicationId: number) {
  const application = storage.scorecards.scoredApplication(applicationId);
  if (!application) throw new DossierError('input.invalid', 'That application is not in the local cache. Reload the list and try again.', { field: 'applicationId' });
  return application;
}

export function scorecard(storage: Storage, applicationId: number): Scorecard {
  const application = scoredApplication(storage, applicationId);
  const job = application.jobId === null || application.jobRemoteId === null ? null : { ...application, jobRemoteId: application.jobRemoteId, jobId: application.jobId };
  return {
    applicationId,
    rubric: job === null ? null : rubricOf(storage, job),
    scores: storage.scorecards.scores(application),
    // The same expression the table shows and sorts by.
    committeeScore: storage.applications.row(applicationId)?.committeeScore ?? null,
  };
}

/** Scores one criterion of the application's job's rubric on its scale, or clears it. */
export function setScore(storage: Storage, applicationId: number, criterionId: number, score: number | null): Scorecard {
  const card = scorecard(storage, applicationId);
  const criterion = card.rubric?.criteria.find((candidate) => candidate.id === criterionId);
  if (!card.rubric || !criterion) {
    throw new DossierError('input.invalid', 'That criterion is not on this applicant’s job’s rubric (it may have been removed). Reopen the scorecard and try again.', { field: 'criterionId' });
  }
  const { min, max } = card.rubric.scale;
  if (score !== null && (score < min || score > max)) {
    throw new DossierError('input.invalid', `Score “${criterion.name}” from ${min} to ${max}.`, { field: 'score' });
  }
  storage.scorecards.setScore(scoredApplication(storage, applicationId), criterionId, score);
  return scorecard(storage, applicationId);
}
