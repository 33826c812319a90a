import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportInterviews } from '../../electron/core/export/interviews.ts';
import { ExportFixture } from './fixtures.ts';

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  zone: string;
  location: string | null;
  url: string | null;
  status: string | null;
  attendees: string[];
  description: string;
}

/** Parses with ical.js (independent of ical-generator), resolving each TZID through the file's own VTIMEZONE. */
function parseCalendar(text: string): { zones: string[]; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents('vtimezone').map((component) => {
    const zone = new ICAL.Timezone(component);
    ICAL.TimezoneService.register(zone);
    return zone.tzid;
  });
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      zone: event.startDate.zone?.tzid ?? '',
      location: event.location,
      url: component.getFirstPropertyValue('url') as string | null,
      status: component.getFirstPropertyValue('status') as string | null,
      attendees: event.attendees.map((attendee) => String(attendee.getFirstValue())),
      description: event.description,
    };
  });
  return { zones, events };
}

describe('interviews calendar', () => {
  let fixture: ExportFixture;
  let accountId: number;
  let job: { id: number; remoteId: string };

  beforeEach(() => {
    fixture = new ExportFixture();
    accountId = fixture.account('EJM');
    job = fixture.job(accountId);
    const ada = fixture.application(accountId, job, { first: 'Ada', last: 'Lovelace', email: 'ada@example.org' });
    const bob = fixture.application(accountId, job, { first: 'Bob', last: 'Builder' });
    const other = fixture.application(accountId, fixture.job(accountId, 'Other job'), { first: 'Olga', last: 'Other' });
    // 9:00 in New York during daylight time (EDT, -4), and one across the DST change (EST, -5).
    fixture.interview(accountId, ada.remoteId, {
      title: 'First-round interview', startsAt: '2026-10-30T13:00:00.000Z', endsAt: '2026-10-30T13:30:00.000Z', timeZone: 'America/New_York',
      videoUrl: 'https://meet.example.org/abc', interviewers: ['Grace Hopper <grace@example.edu>', 'Alan Turing'], status: 'confirmed',
    });
    fixture.interview(accountId, ada.remoteId, {
      title: 'Fly-out', startsAt: '2026-11-09T14:00:00.000Z', endsAt: '2026-11-09T16:00:00.000Z', timeZone: 'America/New_York', place: 'Room 101; Econ building, 2nd floor', status: 'proposed',
    });
    const slotId = fixture.slot(accountId, bob.remoteId, { startsAt: '2027-01-04T08:00:00.000Z', endsAt: '2027-01-04T08:30:00.000Z', timeZone: 'Asia/Kolkata', place: 'Hotel suite 12', conferenceName: 'ASSA 2027' });
    fixture.slot(accountId, bob.remoteId, { startsAt: '2027-01-05T08:00:00.000Z', endsAt: '2027-01-05T08:30:00.000Z', timeZone: 'Not/AZone', conferenceName: 'ASSA 2027' });
    // A slot the reviewer turned into a local interview appears once.
    fixture.interview(accountId, bob.remoteId, { title: 'ASSA interview', startsAt: '2027-01-04T08:00:00.000Z', endsAt: '2027-01-04T08:30:00.000Z', timeZone: 'Asia/Kolkata', slotId, status: 'cancelled' });
    fixture.interview(accountId, other.remoteId, { title: 'Not selected', startsAt: '2026-12-01T10:00:00.000Z', endsAt: '2026-12-01T11:00:00.000Z', timeZone: 'Europe/Berlin' });
  });

  afterEach(() => fixture.close());

  it('writes each interview in its own time zone with place or video link and attendees, readable by ical.js', async () => {
    const out = join(fixture.dataDir, 'interviews.ics');
    const outcome = await exportInterviews(fixture.storage, { jobId: job.id }, out);
    expect(outcome.entries).toBe(4);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const { zones, events } = parseCalendar(text);
    expect(zones.sort()).toEqual(['America/New_York', 'Asia/Kolkata']);
    expect(events.map((event) => event.summary)).not.toContain('Not selected');

    const first = events.find((event) => event.summary.startsWith('First-round')) as ParsedEvent;
    expect(first).toMatchObject({ start: '2026-10-30T13:00:00.000Z', end: '2026-10-30T13:30:00.000Z', zone: 'America/New_York', url: 'https://meet.example.org/abc', status: 'CONFIRMED' });
    expect(first.summary).toBe('First-round interview — Ada Lovelace');
    expect(first.location).toBe('https://meet.example.org/abc');
    expect(first.attendees.map((address) => address.toLowerCase()).sort()).toEqual(['mailto:ada@example.org', 'mailto:grace@example.edu']);
    expect(first.description).toContain('Alan Turing');
    expect(text).toContain('DTSTART;TZID=America/New_York:20261030T090000');

    const flyOut = events.find((event) => event.summary.startsWith('Fly-out')) as ParsedEvent;
    expect(flyOut).toMatchObject({ start: '2026-11-09T14:00:00.000Z', zone: 'America/New_York', location: 'Room 101; Econ building, 2nd floor', status: 'TENTATIVE' });
    expect(text).toContain('DTSTART;TZID=America/New_York:20261109T090000');

    const assa = events.find((event) => event.summary.startsWith('ASSA interview')) as ParsedEvent;
    expect(assa).toMatchObject({ start: '2027-01-04T08:00:00.000Z', zone: 'Asia/Kolkata', status: 'CANCELLED' });
    expect(text).toContain('DTSTART;TZID=Asia/Kolkata:20270104T133000');

    const unknownZone = events.find((event) => event.start === '2027-01-05T08:00:00.000Z') as ParsedEvent;
    expect(unknownZone.summary).toBe('Interview — ASSA 2027 — Bob Builder');
    expect(unknownZone.zone).toBe('UTC');
    expect(new Set(events.map((event) => event.uid)).size).toBe(events.length);
  });

  it('includes every interview, linked or not, when the selection is the whole profile', async () => {
    fixture.interview(accountId, null, { title: 'Committee meeting', startsAt: '2026-12-02T10:00:00.000Z', endsAt: '2026-12-02T11:00:00.000Z', timeZone: 'Europe/Berlin' });
    const out = join(fixture.dataDir, 'all.ics');
    const outcome = await exportInterviews(fixture.storage, {}, out);
    expect(outcome.entries).toBe(6);
    const { zones, events } = parseCalendar(readFileSync(out, 'utf8'));
    expect(zones.sort()).toEqual(['America/New_York', 'Asia/Kolkata', 'Europe/Berlin']);
    expect(events.find((event) => event.summary === 'Committee meeting')?.start).toBe('2026-12-02T10:00:00.000Z');
  });
});
