import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Interview } from '../../../shared/domain.ts';
import { formatTimeInZone, localDayKey, localTimeZone } from '../common/format.ts';
import { useApp } from '../store/index.ts';
import { findClashes } from './clashes.ts';
import { InterviewDialog } from './InterviewDialog.tsx';

function useInterviews() {
  const client = useApp((state) => state.transport.client);
  const attempt = useApp((state) => state.attempt);
  const [interviews, setInterviews] = useState<Interview[] | null>(null);
  const reload = useCallback(() => {
    void attempt(() => client.call('interviews.list', {})).then((list) => setInterviews(list ?? []));
  }, [client, attempt]);
  useEffect(reload, [reload]);
  return { interviews, reload };
}

export function InterviewsScreen() {
  const { interviews, reload } = useInterviews();
  const [view, setView] = useState<'agenda' | 'day'>('agenda');
  const [day, setDay] = useState(() => localDayKey(Date.now()));
  const [editing, setEditing] = useState<Interview | 'new' | null>(null);
  const clashes = useMemo(() => findClashes(interviews ?? []), [interviews]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Interviews</h1>
        <div className="segmented" role="group" aria-label="View">
          <button aria-pressed={view === 'agenda'} onClick={() => setView('agenda')}>Agenda</button>
          <button aria-pressed={view === 'day'} onClick={() => setView('day')}>Day</button>
        </div>
        <button className="primary" onClick={() => setEditing('new')}>New interview</button>
      </div>
      {clashes.size > 0 ? (
        <p className="clash-flag" role="alert">
          {clashes.size} interviews overlap — look for the red marks.
        </p>
      ) : null}
      {interviews === null ? <p className="muted">Loading interviews…</p> : null}
      {interviews && view === 'agenda' ? <Agenda interviews={interviews} clashes={clashes} onOpen={setEditing} /> : null}
      {interviews && view === 'day' ? <DayView interviews={interviews} clashes={clashes} day={day} onDay={setDay} onOpen={setEditing} /> : null}
      {editing ? (
        <InterviewDialog
          interview={editing === 'new' ? null : editing}
          applicationId={editing === 'new' ? null : editing.applicationId}
          onClose={() => setEditing(null)}
          onSaved={reload}
        />
      ) : null}
    </div>
  );
}

const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });

/** The day's title from its key ("2027-01-04"), read at local noon so no zone shift moves it a day. */
function titleOfDay(key: string): string {
  return dayTitle.format(new Date(`${key}T12:00:00`));
}

/**
 * Every day with interviews, in order, and always today: the agenda opens there (a season spans
 * months, and last year's slots come first), and “Today” goes back to it.
 */
function Agenda({ interviews, clashes, onOpen }: { interviews: Interview[]; clashes: Set<number>; onOpen: (interview: Interview) => void }) {
  // The day the agenda was opened on; a window left open past midnight keeps it until reopened.
  const [today] = useState(() => localDayKey(Date.now()));
  const todaySection = useRef<HTMLElement>(null);
  const days = Map.groupBy(
    [...interviews].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
    (interview) => localDayKey(interview.startsAt),
  );
  const keys = [...new Set([...days.keys(), today])].sort();
  // Braced: Chromium's scrollIntoView returns a promise, which React would take for an effect's cleanup.
  const showToday = useCallback(() => {
    todaySection.current?.scrollIntoView({ block: 'start' });
  }, []);
  useEffect(() => {
    showToday();
  }, [showToday]);
  return (
    <div>
      <div className="agenda-bar">
        <button onClick={showToday}>Today</button>
        <span className="muted">
          {interviews.length === 0 ? 'No interviews yet. Conference slots from EconJobMarket appear here after a sync; add your own with “New interview”.' : `${interviews.length} ${interviews.length === 1 ? 'interview' : 'interviews'}`}
        </span>
      </div>
      {keys.map((key) => {
        const list = days.get(key) ?? [];
        const isToday = key === today;
        return (
          <section key={key} ref={isToday ? todaySection : undefined} className={`agenda-day${isToday ? ' today' : ''}`} aria-label={isToday ? `Today, ${titleOfDay(key)}` : titleOfDay(key)}>
            <h2>
              {isToday ? <span className="today-mark">Today</span> : null}
              {titleOfDay(key)}
            </h2>
            {list.length === 0 ? <p className="muted">Nothing scheduled today.</p> : null}
            {list.map((interview) => (
              <InterviewCard key={interview.id} interview={interview} clash={clashes.has(interview.id)} onOpen={onOpen} />
            ))}
          </section>
        );
      })}
    </div>
  );
}

function InterviewCard({ interview, clash, onOpen }: { interview: Interview; clash: boolean; onOpen: (interview: Interview) => void }) {
  return (
    <button className={`interview-card${clash ? ' clash' : ''}`} onClick={() => onOpen(interview)} aria-label={`${interview.title}${clash ? ', overlaps another interview' : ''}`}>
      <span className="time">
        {formatTimeInZone(interview.startsAt, localTimeZone, false)} – {formatTimeInZone(interview.endsAt, localTimeZone)}
        {interview.timeZone !== localTimeZone ? (
          <div className="where">
            {formatTimeInZone(interview.startsAt, interview.timeZone, false)} in {interview.timeZone.split('/').at(-1)?.replaceAll('_', ' ')}
          </div>
        ) : null}
      </span>
      <span>
        <strong>{interview.applicantName ?? interview.title}</strong>
        {interview.applicantName ? <span className="muted"> · {interview.title}</span> : null}
        <div className="where">
          {[interview.place, interview.videoUrl ? 'Video call' : null, interview.interviewers.join(', ') || null, interview.source === 'provider' ? 'from EconJobMarket' : null]
            .filter(Boolean)
            .join(' · ')}
        </div>
        {clash ? <span className="clash-flag">Overlaps another interview</span> : null}
      </span>
      <span className={`istatus ${interview.status}`}>{interview.status}</span>
    </button>
  );
}

const hourHeight = 48;
const hourLabel = new Intl.DateTimeFormat(undefined, { hour: 'numeric' });

/** Side-by-side lanes so overlapping interviews stay readable: each goes in the first free lane. */
function lanes(list: Interview[]): { lane: Map<number, number>; count: number } {
  const ends: number[] = [];
  const lane = new Map<number, number>();
  for (const interview of [...list].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))) {
    const start = Date.parse(interview.startsAt);
    const free = ends.findIndex((end) => end <= start);
    const index = free === -1 ? ends.length : free;
    ends[index] = Date.parse(interview.endsAt);
    lane.set(interview.id, index);
  }
  return { lane, count: Math.max(1, ends.length) };
}

function DayView({ interviews, clashes, day, onDay, onOpen }: { interviews: Interview[]; clashes: Set<number>; day: string; onDay: (day: string) => void; onOpen: (interview: Interview) => void }) {
  const list = interviews.filter((interview) => localDayKey(interview.startsAt) === day);
  const dayStart = new Date(`${day}T00:00:00`).getTime();
  const hours = list.map((interview) => (Date.parse(interview.startsAt) - dayStart) / 3_600_000);
  const firstHour = Math.max(0, Math.min(8, ...hours.map(Math.floor)));
  const lastHour = Math.min(24, Math.max(19, ...list.map((interview) => Math.ceil((Date.parse(interview.endsAt) - dayStart) / 3_600_000))));
  const shift = (days: number) => onDay(localDayKey(dayStart + days * 86_400_000 + 3_600_000 * 12));
  const layout = lanes(list);
  return (
    <div>
      <div className="row-inline" style={{ marginBottom: 10 }}>
        <button onClick={() => shift(-1)} aria-label="Previous day">‹</button>
        <input type="date" aria-label="Day" value={day} onChange={(event) => event.target.value && onDay(event.target.value)} />
        <button onClick={() => shift(1)} aria-label="Next day">›</button>
        <button className="ghost" onClick={() => onDay(localDayKey(Date.now()))}>Today</button>
        <span className="muted">{list.length} {list.length === 1 ? 'interview' : 'interviews'}</span>
      </div>
      <div className="day-grid" style={{ height: (lastHour - firstHour) * hourHeight }}>
        {Array.from({ length: lastHour - firstHour }, (_, index) => (
          <div key={index} className="day-hour">
            <span>{hourLabel.format(dayStart + (firstHour + index) * 3_600_000)}</span>
          </div>
        ))}
        {list.map((interview) => {
          const start = (Date.parse(interview.startsAt) - dayStart) / 3_600_000;
          const length = (Date.parse(interview.endsAt) - Date.parse(interview.startsAt)) / 3_600_000;
          return (
            <button
              key={interview.id}
              className={`day-block${clashes.has(interview.id) ? ' clash' : ''}`}
              style={{
                top: (start - firstHour) * hourHeight,
                height: Math.max(22, length * hourHeight - 2),
                left: `calc(64px + (100% - 72px) * ${(layout.lane.get(interview.id) ?? 0) / layout.count})`,
                width: `calc((100% - 72px) / ${layout.count} - 4px)`,
              }}
              onClick={() => onOpen(interview)}
            >
              <strong>{formatTimeInZone(interview.startsAt, localTimeZone)}</strong> {interview.applicantName ?? interview.title}
              {clashes.has(interview.id) ? <span className="clash-flag"> · overlaps</span> : null}
            </button>
          );
        })}
      </div>
    </div>
  );
}
