import { addTag, listTags, removeTag, setNote, setRating, setStatus } from '../../review/annotations.ts';
import { listInterviews, removeInterview, saveInterview } from '../../review/interviews.ts';
import { ratingScheme } from '../../review/settings.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

type ReviewNames =
  | 'annotations.setRating' | 'annotations.setStatus' | 'annotations.setNote' | 'annotations.addTag' | 'annotations.removeTag'
  | 'tags.list' | 'settings.ratingScheme' | 'interviews.list' | 'interviews.save' | 'interviews.remove';

export function reviewHandlers(deps: CoreDeps): HandlerGroup<ReviewNames> {
  const { db } = deps.context;
  return {
    'annotations.setRating': (input) => setRating(db, input.applicationId, input.rating),
    'annotations.setStatus': (input) => setStatus(db, input.applicationIds, input.status),
    'annotations.setNote': (input) => setNote(db, input.applicationId, input.note),
    'annotations.addTag': (input) => addTag(db, input.applicationIds, input.tag),
    'annotations.removeTag': (input) => removeTag(db, input.applicationIds, input.tag),
    'tags.list': () => listTags(db),
    'settings.ratingScheme': (input) => ratingScheme(db, input.scheme),
    'interviews.list': (input) => listInterviews(db, input),
    'interviews.save': (input) => saveInterview(db, input),
    'interviews.remove': (input) => ({ removed: removeInterview(db, input.id) }),
  };
}
