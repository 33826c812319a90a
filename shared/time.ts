const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's wall clock is ahead of UTC at this instant, in milliseconds. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const values = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(values.year), Number(values.month) - 1, Number(values.day), Number(values.hour), Number(values.minute), Number(values.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which a zone's wall clock shows `wallClock` (given as if it were UTC milliseconds).
 * A second pass settles times next to a daylight-saving change.
 */
export function wallClockToInstant(wallClock: number, timeZone: string): number {
  const first = wallClock - zoneOffsetMs(wallClock, timeZone);
  return wallClock - zoneOffsetMs(first, timeZone);
}
