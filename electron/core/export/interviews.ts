import { writeFile } from 'node:fs/promises';
import { TZDate } from '@date-fns/tz';
import { ICalAttendeeRole, ICalCalendar, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { InterviewStatus } from '../../../shared/domain.ts';
import type { SelectedApplication } from '../storage/applications-query.ts';
import type { CalendarInterview, InterviewsTable } from '../storage/interviews.ts';
import type { Storage } from '../storage/storage.ts';
import { throwIfCancelled, writeAtomically, type ExportOutcome, type ExportRun } from './output.ts';
import { applicantDisplayName, resolveSelection, type SelectionSources } from './selection.ts';

/** An interview from either source: the reviewer's own (`interviews`) or the provider's slot (`interview_slots`). */
interface InterviewRecord extends Omit<CalendarInterview, 'id'> {
  readonly uid: string;
}

function interviewRecords(interviews: InterviewsTable): InterviewRecord[] {
  // A slot the reviewer has turned into a local interview appears once, as the local one.
  return [
    ...interviews.allLocal().map(({ id, ...row }) => ({ ...row, uid: `interview-${id}-account-${row.accountId}@dossier` })),
    ...interviews.openSlots().map(({ id, conferenceName, groupName, ...row }) => ({
      ...row,
      uid: `slot-${id}-account-${row.accountId}@dossier`,
      title: ['Interview', conferenceName, groupName].filter(Boolean).join(' — '),
      videoUrl: null,
      interviewers: [],
      status: 'confirmed' as const,
    })),
  ];
}

let knownZones: ReadonlySet<string> | null = null;

/**
 * The VTIMEZONE for an IANA zone and the TZID it defines (the library files aliases under their
 * canonical name). Null for UTC and for zones it does not know: those events are written in UTC.
 */
function vtimezone(zone: string): { tzid: string; block: string } | null {
  if (/^(Etc\/)?(UTC|GMT|Zulu|UCT|Universal)$/i.test(zone)) return null;
  knownZones ??= new Set(tzlib_get_timezones() as string[]);
  if (!knownZones.has(zone)) return null;
  const [block] = tzlib_get_ical_block(zone) as string[];
  const tzid = /^TZID:(.+)$/m.exec(block ?? '')?.[1]?.trim();
  return block && tzid ? { tzid, block } : null;
}

const mailbox = /^\s*(?:"?([^"<]*?)"?\s*<)?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>?\s*$/;

/** "Ada Lovelace <ada@example.org>" or a bare address becomes an attendee; a bare name cannot be one in iCalendar. */
function attendeeOf(text: string): { name?: string; email: string } | null {
  const match = mailbox.exec(text);
  if (!match?.[2]) return null;
  return match[1] ? { name: match[1].trim(), email: match[2] } : { email: match[2] };
}

const statusMap: Record<InterviewStatus, ICalEventStatus> = {
  proposed: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  done: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
};

function applicationKey(accountId: number, remoteId: string): string {
  return `${accountId}\u0000${remoteId}`;
}

/** Whether a selection names no applications in particular, so interviews linked to none belong to it. */
function isWholeAccount(selection: ExportSelection): boolean {
  return selection.jobId === undefined && selection.viewId === undefined && !selection.shortlisted && selection.applicationIds === undefined;
}

/** Builds the calendar text for the selection's interviews; returns it with the number of events. */
export function interviewCalendar(sources: SelectionSources & Pick<Storage, 'interviews'>, selection: ExportSelection): { text: string; events: number } {
  const applications = new Map<string, SelectedApplication>(resolveSelection(sources, selection).map((application) => [applicationKey(application.accountId, application.remoteId), application]));
  const wholeAccount = isWholeAccount(selection);
  const calendar = new ICalCalendar({ name: 'Dossier interviews', prodId: { company: 'Dossier', product: 'Dossier', language: 'EN' } });
  // No calendar-wide zone: each event names its own, and the generator adds one VTIMEZONE per zone used.
  calendar.timezone({ name: null, generator: (zone) => vtimezone(zone)?.block ?? null });
  let events = 0;
  for (const interview of interviewRecords(sources.interviews)) {
    const application = interview.applicationRemoteId === null ? undefined : applications.get(applicationKey(interview.accountId, interview.applicationRemoteId));
    const belongs = application !== undefined || (wholeAccount && interview.applicationRemoteId === null && (selection.accountId === undefined || selection.accountId === interview.accountId));
    if (!belongs) continue;
    const zone = vtimezone(interview.timeZone);
    const at = (instant: string): Date => (zone ? new TZDate(Date.parse(instant), zone.tzid) : new Date(instant));
    const applicantName = application ? applicantDisplayName(application) : null;
    const description = [
      applicantName ? `Applicant: ${applicantName}` : null,
      application?.jobTitle ? `Job: ${application.jobTitle}` : null,
      interview.videoUrl ? `Video link: ${interview.videoUrl}` : null,
      interview.interviewers.length > 0 ? `Interviewers: ${interview.interviewers.join(', ')}` : null,
    ].filter((line): line is string => line !== null);
    const event = calendar.createEvent({
      id: interview.uid,
      summary: applicantName && !interview.title.includes(applicantName) ? `${interview.title} — ${applicantName}` : interview.title,
      start: at(interview.startsAt),
      end: at(interview.endsAt),
      timezone: zone?.tzid ?? null,
      location: interview.place ?? interview.videoUrl,
      url: interview.videoUrl,
      description: description.join('\n'),
      status: statusMap[interview.status],
      ...(interview.updatedAt && !Number.isNaN(Date.parse(interview.updatedAt)) ? { lastModified: new Date(interview.updatedAt) } : {}),
    });
    const attendees = [
      ...(application?.email ? [{ name: applicantName ?? undefined, email: application.email, role: ICalAttendeeRole.REQ }] : []),
      ...interview.interviewers.map(attendeeOf).filter((attendee) => attendee !== null).map((attendee) => ({ ...attendee, role: ICalAttendeeRole.REQ })),
    ];
    for (const attendee of attendees) event.createAttendee(attendee);
    events += 1;
  }
  return { text: calendar.toString(), events };
}

/** The selection's interviews as one .ics file, each event in its own time zone. */
export async function exportInterviews(
  sources: SelectionSources & Pick<Storage, 'interviews'>,
  selection: ExportSelection,
  out: string,
  run: ExportRun = {},
): Promise<ExportOutcome> {
  const { text, events } = interviewCalendar(sources, selection);
  throwIfCancelled(run.signal);
  return writeAtomically(out, run, async (temporary) => {
    await writeFile(temporary, text, { encoding: 'utf8', signal: run.signal });
    run.onProgress?.({ done: events, total: events, current: null });
    return events;
  });
}
