import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type ReviewNames =
  | 'annotations.setRating' | 'annotations.setStatus' | 'annotations.setNote' | 'annotations.addTag' | 'annotations.removeTag'
  | 'tags.list' | 'settings.ratingScheme' | 'interviews.list' | 'interviews.save' | 'interviews.remove';

export function reviewHandlers({ review }: CoreServices): HandlerGroup<ReviewNames> {
  return {
    'annotations.setRating': (input) => review.setRating(input.applicationId, input.rating),
    'annotations.setStatus': (input) => review.setStatus(input.applicationIds, input.status),
    'annotations.setNote': (input) => review.setNote(input.applicationId, input.note),
    'annotations.addTag': (input) => review.addTag(input.applicationIds, input.tag),
    'annotations.removeTag': (input) => review.removeTag(input.applicationIds, input.tag),
    'tags.list': () => review.tags(),
    'settings.ratingScheme': (input) => review.ratingScheme(input.scheme),
    'interviews.list': (input) => review.interviews(input),
    'interviews.save': (input) => review.saveInterview(input),
    'interviews.remove': (input) => ({ removed: review.removeInterview(input.id) }),
  };
}
