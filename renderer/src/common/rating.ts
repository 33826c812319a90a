import type { RatingScheme } from '../../../shared/domain.ts';

/** Every value of the scheme, lowest first. */
export function ratingValues(scheme: RatingScheme): number[] {
  return Array.from({ length: Math.max(0, scheme.max - scheme.min + 1) }, (_, index) => scheme.min + index);
}

export function ratingLabel(scheme: RatingScheme, rating: number | null): string {
  if (rating === null) return 'Not rated';
  const label = scheme.labels[String(rating)];
  return label ? `${rating} – ${label}` : `${rating} of ${scheme.max}`;
}
