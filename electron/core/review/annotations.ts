import type { ReviewStatus } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { Annotation, StatusesChanged } from '../storage/annotations.ts';
import type { Storage } from '../storage/storage.ts';
import { applicationKeys } from './applications.ts';
import { ratingScheme } from './settings.ts';

/** Every annotation names its applications by local id; an unknown one refuses the whole call (see applicationKeys). */
type AnnotationTables = Pick<Storage, 'applications' | 'annotations'>;

export function setRating(storage: AnnotationTables & Pick<Storage, 'settings'>, applicationId: number, rating: number | null): Annotation {
  const scheme = ratingScheme(storage.settings);
  if (rating !== null && (rating < scheme.min || rating > scheme.max)) {
    throw new DossierError('input.invalid', `Ratings run from ${scheme.min} to ${scheme.max}. Pick a value in that range, or change the scheme in Settings.`, { field: 'rating', rating });
  }
  return storage.annotations.setRating(applicationKeys(storage.applications, [applicationId]), rating)[0] as Annotation;
}

export function setNote(storage: AnnotationTables, applicationId: number, note: string): Annotation {
  return storage.annotations.setNote(applicationKeys(storage.applications, [applicationId]), note)[0] as Annotation;
}

export function setStatus(storage: AnnotationTables, applicationIds: readonly number[], status: ReviewStatus): Annotation[] {
  return storage.annotations.setStatus(applicationKeys(storage.applications, applicationIds), status);
}

/** Each application's own status in one transaction; the answer holds the statuses before, for an undo. */
export function changeStatuses(storage: AnnotationTables, changes: readonly { applicationId: number; status: ReviewStatus }[]): StatusesChanged {
  const keys = applicationKeys(storage.applications, changes.map((change) => change.applicationId));
  return storage.annotations.changeStatuses(changes.map((change, index) => ({ key: keys[index] as (typeof keys)[number], status: change.status })));
}

export function addTag(storage: AnnotationTables, applicationIds: readonly number[], tag: string): Annotation[] {
  return storage.annotations.addTag(applicationKeys(storage.applications, applicationIds), tag);
}

export function removeTag(storage: AnnotationTables, applicationIds: readonly number[], tag: string): Annotation[] {
  return storage.annotations.removeTag(applicationKeys(storage.applications, applicationIds), tag);
}
