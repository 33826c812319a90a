import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type ReviewNames =
  | 'annotations.setRating' | 'annotations.setStatus' | 'annotations.changeStatuses' | 'annotations.setNote' | 'annotations.addTag' | 'annotations.removeTag'
  | 'tags.list' | 'settings.ratingScheme' | 'scorecards.rubric' | 'scorecards.saveRubric' | 'scorecards.get' | 'scorecards.setScore' | 'interviews.list' | 'interviews.save' | 'interviews.remove';

export function reviewHandlers({ review }: CoreServices): HandlerGroup<ReviewNames> {
  return {
    'annotations.setRating': (input) => review.setRating(input.applicationId, input.rating),
    'annotations.setStatus': (input) => review.setStatus(input.applicationIds, input.status),
    'annotations.changeStatuses': (input) => review.changeStatuses(input.changes),
    'annotations.setNote': (input) => review.setNote(input.applicationId, input.note),
    'annotations.addTag': (input) => review.addTag(input.applicationIds, input.tag),
    'annotations.removeTag': (input) => review.removeTag(input.applicationIds, input.tag),
    'tags.list': () => review.tags(),
    'settings.ratingScheme': (input) => review.ratingScheme(input.scheme),
    'scorecards.rubric': (input) => review.rubric(input.jobId),
    'scorecards.saveRubric': (input) => review.saveRubric(input),
    'scorecards.get': (input) => review.scorecard(input.applicationId),
    'scorecards.setScore': (input) => review.setScore(input.applicationId, input.criterionId, input.score),
    'interviews.list': (input) => review.interviews(input),
    'interviews.save': (input) => review.saveInterview(input),
    'interviews.remove': (input) => ({ removed: review.removeInterview(input.id) }),
  };
}
