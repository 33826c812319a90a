import { z } from 'zod';
import { toUtcIso } from './dates.ts';

/** Schema pieces every mapping shares: ids sent as numbers or digit strings, loose text, dates. */
export const remoteId = z.union([z.number().int().nonnegative(), z.string().trim().min(1).max(200)]).transform(String);
export const optionalId = z.union([z.number().int(), z.string().max(200), z.null()]).optional().transform((value) =>
  value === null || value === undefined || value === '' || value === 0 || value === '0' ? null : String(value),
);
export const text = z.union([z.string(), z.number(), z.null()]).optional().transform((value) => {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
});
/** A number that some providers send as a string ("30000.00"). */
export const looseNumber = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/), z.null()]).optional().transform((value) =>
  value === null || value === undefined ? null : Number(value),
);
/** A date string (or epoch number) the mapper will convert in the account's zone; empty means none. */
export const dateText = z.union([z.string().max(64), z.number(), z.null()]).optional();

/** Converts a provider date, refusing a present-but-unreadable value so nothing is silently misfiled. */
export function instant(value: string | number | null | undefined, timeZone: string, onBad: () => Error): string | null {
  if (value === null || value === undefined || value === '') return null;
  const iso = toUtcIso(value, timeZone);
  if (iso === null) throw onBad();
  return iso;
}

/** A list that may be absent or null (PHP), read as empty. */
export function listOrEmpty<Item extends z.ZodType>(item: Item) {
  return z.array(item).nullable().optional().transform((items) => items ?? []);
}

/** Joins the present parts of a name or place. */
export function joinText(parts: readonly (string | null | undefined)[], separator = ' '): string | null {
  const present = parts.map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  return present.length === 0 ? null : present.join(separator);
}

/**
 * Joins the parts of a place with ", ", each comma-separated piece once (compared ignoring case):
 * providers repeat the city in the address, or fill both with "Online" for a video slot, and
 * "Zoom meeting room, Online, Online" reads as a mistake.
 */
export function joinPlace(parts: readonly (string | null | undefined)[]): string | null {
  const seen = new Set<string>();
  const pieces = parts.flatMap((part) => part?.split(',') ?? []).map((piece) => piece.trim()).filter((piece) => {
    const key = piece.toLowerCase();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return pieces.length === 0 ? null : pieces.join(', ');
}
