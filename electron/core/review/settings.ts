import { z } from 'zod';
import { RatingScheme } from '../../../shared/domain.ts';
import type { SettingsTable } from '../storage/settings.ts';
import { DossierError } from '../base/errors.ts';

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

/** Five stars, the scheme most committees start from; Settings can change it. */
export const defaultRatingScheme: RatingScheme = {
  min: 1,
  max: 5,
  labels: { '1': 'Weak', '2': 'Below the bar', '3': 'Possible', '4': 'Strong', '5': 'Outstanding' },
};

export function theme(settings: SettingsTable, next?: Theme): Theme {
  if (next !== undefined) settings.write('theme', next);
  return settings.read('theme', Theme, 'system');
}

function checkScheme(scheme: RatingScheme): void {
  if (scheme.max <= scheme.min || scheme.max - scheme.min > 100) {
    throw new DossierError('input.invalid', 'A rating scheme needs a maximum above its minimum and at most 100 steps, such as 1 to 5.', { field: 'scheme' });
  }
  const outside = Object.keys(scheme.labels).filter((key) => {
    const value = Number(key);
    return !Number.isInteger(value) || value < scheme.min || value > scheme.max;
  });
  if (outside.length > 0) {
    throw new DossierError('input.invalid', `Labels must name values from ${scheme.min} to ${scheme.max}; remove the label for ${outside.join(', ')}.`, { field: 'scheme.labels' });
  }
}

/**
 * Reads or replaces the rating scheme. Ratings already given outside a new range are kept as
 * they are (the reviewer's data is never rewritten); the table shows them as given.
 */
export function ratingScheme(settings: SettingsTable, next?: RatingScheme): RatingScheme {
  if (next !== undefined) {
    checkScheme(next);
    settings.write('rating_scheme', next);
  }
  return settings.read('rating_scheme', RatingScheme, defaultRatingScheme);
}
