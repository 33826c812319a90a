import { wallClockToInstant } from '../../../../shared/time.ts';

/**
 * Provider date strings → UTC ISO-8601 instants. Forms seen in docs/providers/reference.md:
 *   `2018-10-07 09:10:25` (EconJobMarket, no zone: read in the account's zone)
 *   `2011-05-31T09:09:20.000+0000` (InfoJobs, offset without a colon)
 *   `2017-09-14T00:00:00+00:00`, `2024-05-01T14:03:00Z` (ISO)
 *   `2019-01-04 00:00:00 UTC` (CareerPlug feeds)
 *   `2018-06-26`, `2017-12-30` (dates only: midnight in the account's zone)
 *   Unix epoch seconds (EconJobMarket's legacy appdate)
 * Returns null for anything else; the mapper decides whether that is an error.
 */
const localPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const zonedPattern = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i;

export function toUtcIso(value: unknown, timeZone: string): string | null {
  if (typeof value === 'number') return epochToIso(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.startsWith('0000-00-00')) return null;
  if (/^\d{9,11}$/.test(text)) return epochToIso(Number(text));
  const zoned = zonedPattern.exec(text);
  if (zoned) return zonedToIso(zoned);
  const local = localPattern.exec(text);
  if (local) return localToIso(local, timeZone);
  return null;
}

function epochToIso(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000).toISOString();
}

function parts(match: RegExpExecArray): [number, number, number, number, number, number, number] {
  const [, year, month, day, hour, minute, second, fraction] = match;
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  return [Number(year), Number(month), Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), millis];
}

function validDate(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zonedToIso(match: RegExpExecArray): string | null {
  const [year, month, day, hour, minute, second, millis] = parts(match);
  if (!validDate(year, month, day, hour, minute, second)) return null;
  const zone = (match[8] ?? 'Z').toUpperCase();
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'UTC' && zone !== 'GMT') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000).toISOString();
}

function localToIso(match: RegExpExecArray, timeZone: string): string | null {
  const [year, month, day, hour, minute, second, millis] = parts(match);
  if (!validDate(year, month, day, hour, minute, second)) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return new Date(wallClockToInstant(asUtc, timeZone)).toISOString();
}
