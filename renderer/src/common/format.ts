import { markClose, markOpen } from '../../../shared/search-terms.ts';
import { wallClockToInstant, zoneOffsetMs } from '../../../shared/time.ts';

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDate(value: string | null): string {
  if (!value) return '—';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : dateFormat.format(time);
}

export function formatDateTime(value: string | null): string {
  if (!value) return '—';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : dateTimeFormat.format(time);
}

const relativeSteps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

export function formatRelative(value: string | null, now = Date.now()): string {
  if (!value) return 'never';
  let amount = (Date.parse(value) - now) / 1000;
  for (const [unit, size] of relativeSteps) {
    if (Math.abs(amount) < size) return relativeFormat.format(Math.round(amount), unit);
    amount /= size;
  }
  return formatDate(value);
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A snippet from the search index split into plain and highlighted parts (between markOpen and markClose). */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let match = false;
  let current = '';
  for (const char of snippet) {
    if (char === markOpen || char === markClose) {
      if (current) parts.push({ text: current, match });
      current = '';
      match = char === markOpen;
    } else {
      current += char;
    }
  }
  if (current) parts.push({ text: current, match });
  return parts;
}

/** Wall-clock time in a zone ("2026-12-01T10:30") → UTC ISO instant. */
export function zonedToInstant(wallClock: string, timeZone: string): string {
  return new Date(wallClockToInstant(Date.parse(`${wallClock}:00Z`), timeZone)).toISOString();
}

/** UTC ISO instant → wall-clock time in a zone, in the form a datetime-local input takes. */
export function instantToZoned(value: string, timeZone: string): string {
  const instant = Date.parse(value);
  const local = new Date(instant + zoneOffsetMs(instant, timeZone));
  return local.toISOString().slice(0, 16);
}

export function formatTimeInZone(value: string, timeZone: string, withZone = true): string {
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone, ...(withZone ? { timeZoneName: 'short' } : {}) }).format(Date.parse(value));
}

export function localDayKey(value: string | number): string {
  const date = new Date(value);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export const localTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

let zoneNames: string[] | null = null;

export function timeZones(): string[] {
  // The list holds canonical names only; the machine's own zone (often "UTC") must still be choosable.
  zoneNames ??= [...new Set([localTimeZone, 'UTC', ...Intl.supportedValuesOf('timeZone')])];
  return zoneNames;
}
