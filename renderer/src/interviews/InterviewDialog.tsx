import { useEffect, useMemo, useState } from 'react';
import { interviewStatuses, type Interview, type InterviewStatus } from '../../../shared/domain.ts';
import { formatDateTime, formatTimeInZone, instantToZoned, localTimeZone, timeZones, zonedToInstant } from '../common/format.ts';
import { errorMessage } from '../common/transport.ts';
import { Dialog } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';
import { clashesWith } from './clashes.ts';

function defaultStart(): string {
  const date = new Date(Date.now() + 86_400_000);
  date.setHours(10, 0, 0, 0);
  return instantToZoned(date.toISOString(), localTimeZone);
}

/** Create or edit an interview; times are typed in the interview's own zone and stored as UTC. */
export function InterviewDialog({ interview, applicationId, onClose, onSaved }: { interview: Interview | null; applicationId: number | null; onClose: () => void; onSaved?: () => void }) {
  const client = useApp((state) => state.transport.client);
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
  const select = useApp((state) => state.select);
  const setScreen = useApp((state) => state.setScreen);
  const listIds = useApp((state) => state.listIds);
  const rowsById = useApp((state) => state.rowsById);
  // The applicant field offers the table's current list.
  const listed = useMemo(() => listIds.flatMap((id) => rowsById[id] ?? []), [listIds, rowsById]);
  const zone = interview?.timeZone ?? localTimeZone;
  const initialStart = interview ? instantToZoned(interview.startsAt, zone) : defaultStart();
  const [form, setForm] = useState({
    title: interview?.title ?? 'Interview',
    applicationId: interview?.applicationId ?? applicationId,
    start: initialStart,
    minutes: interview ? Math.round((Date.parse(interview.endsAt) - Date.parse(interview.startsAt)) / 60_000) : 30,
    timeZone: zone,
    place: interview?.place ?? '',
    videoUrl: interview?.videoUrl ?? '',
    interviewers: interview?.interviewers.join(', ') ?? '',
    status: interview?.status ?? ('proposed' as InterviewStatus),
    notes: interview?.notes ?? '',
    evaluation: interview?.evaluation ?? '',
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [applicantText, setApplicantText] = useState(() => (form.applicationId === null ? undefined : rowsById[form.applicationId]?.name) ?? interview?.applicantName ?? '');
  const update = <Key extends keyof typeof form>(key: Key, value: (typeof form)[Key]) => setForm((current) => ({ ...current, [key]: value }));
  const zones = timeZones();
  const matches = useMemo(() => {
    const needle = applicantText.trim().toLowerCase();
    return needle ? listed.filter((row) => row.name.toLowerCase().includes(needle)).slice(0, 50) : [];
  }, [listed, applicantText]);

  const clashing = useClashes(interview?.id ?? null, form);

  const save = async () => {
    setProblem(null);
    try {
      const startsAt = zonedToInstant(form.start, form.timeZone);
      const endsAt = new Date(Date.parse(startsAt) + form.minutes * 60_000).toISOString();
      await client.call('interviews.save', {
        ...(interview ? { id: interview.id } : {}),
        applicationId: form.applicationId,
        title: form.title,
        startsAt,
        endsAt,
        timeZone: form.timeZone,
        place: form.place.trim() || null,
        videoUrl: form.videoUrl.trim() || null,
        interviewers: form.interviewers.split(',').map((name) => name.trim()).filter(Boolean),
        status: form.status,
        notes: form.notes,
        evaluation: form.evaluation,
      });
      notify(interview ? 'Interview updated.' : 'Interview added.');
      onSaved?.();
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const remove = async () => {
    if (!interview) return;
    await attempt(() => client.call('interviews.remove', { id: interview.id }));
    onSaved?.();
    onClose();
  };

  const readOnly = interview?.source === 'provider';
  return (
    <Dialog
      title={interview ? 'Edit interview' : 'New interview'}
      onClose={onClose}
      footer={
        <>
          {interview && !readOnly ? <button className="danger" onClick={() => void remove()}>Delete</button> : null}
          <span className="grow" />
          {form.applicationId !== null ? (
            <button
              className="ghost"
              onClick={() => {
                select(form.applicationId);
                setScreen('applicants');
              }}
            >
              Open packet
            </button>
          ) : null}
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={() => void save()}>Save interview</button>
        </>
      }
    >
      {readOnly ? <p className="help">This slot comes from EconJobMarket. Your notes, status and evaluation stay on this computer.</p> : null}
      <div className="form-grid">
        <label className="field wide">
          <span>Title</span>
          <input type="text" value={form.title} onChange={(event) => update('title', event.target.value)} />
        </label>
        <label className="field wide">
          <span>Applicant</span>
          <input
            type="text"
            list="interview-applicants"
            value={applicantText}
            placeholder="Type a name from the current list"
            onChange={(event) => {
              setApplicantText(event.target.value);
              const match = listed.find((row) => row.name === event.target.value);
              update('applicationId', match ? match.applicationId : event.target.value ? form.applicationId : null);
            }}
          />
          <datalist id="interview-applicants">
            {matches.map((row) => (
              <option key={row.applicationId} value={row.name}>{row.institution ?? ''}</option>
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>Starts</span>
          <input type="datetime-local" value={form.start} aria-describedby="interview-clash" onChange={(event) => update('start', event.target.value)} />
        </label>
        <label className="field">
          <span>Length (minutes)</span>
          <input type="number" min={5} max={600} step={5} value={form.minutes} onChange={(event) => update('minutes', Number(event.target.value))} />
        </label>
        <p id="interview-clash" className="wide clash-warning" role="status">
          {clashing.length > 0
            ? `Overlaps ${clashing.map((other) => `${other.applicantName ?? other.title} (${formatDateTime(other.startsAt)} – ${formatTimeInZone(other.endsAt, localTimeZone, false)})`).join(', ')}.`
            : null}
        </p>
        <label className="field">
          <span>Time zone</span>
          <select value={form.timeZone} onChange={(event) => update('timeZone', event.target.value)}>
            {zones.map((name) => (
              <option key={name} value={name}>{name.replaceAll('_', ' ')}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={form.status} onChange={(event) => update('status', event.target.value as InterviewStatus)}>
            {interviewStatuses.map((status) => (
              <option key={status} value={status}>{status[0]?.toUpperCase() + status.slice(1)}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Place</span>
          <input type="text" value={form.place} placeholder="Hotel, room" onChange={(event) => update('place', event.target.value)} />
        </label>
        <label className="field">
          <span>Video link</span>
          <input type="url" value={form.videoUrl} placeholder="https://…" onChange={(event) => update('videoUrl', event.target.value)} />
        </label>
        <label className="field wide">
          <span>Interviewers</span>
          <input type="text" value={form.interviewers} placeholder="Names, separated by commas" onChange={(event) => update('interviewers', event.target.value)} />
        </label>
        <label className="field wide">
          <span>Notes</span>
          <textarea rows={3} value={form.notes} onChange={(event) => update('notes', event.target.value)} />
        </label>
        <label className="field wide">
          <span>Evaluation</span>
          <textarea rows={3} value={form.evaluation} onChange={(event) => update('evaluation', event.target.value)} />
        </label>
      </div>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </Dialog>
  );
}

/**
 * The saved interviews the form's time would overlap, recomputed as the start, length, zone or
 * status change, so a clash is seen while choosing the time rather than after saving.
 */
function useClashes(id: number | null, form: { start: string; minutes: number; timeZone: string; status: InterviewStatus }): Interview[] {
  const client = useApp((state) => state.transport.client);
  const [others, setOthers] = useState<Interview[]>([]);
  useEffect(() => {
    let live = true;
    // Without the list the form still saves; the agenda marks clashes afterwards.
    client.call('interviews.list', {}).then((list) => live && setOthers(list), () => undefined);
    return () => {
      live = false;
    };
  }, [client]);
  return useMemo(() => {
    const startsAt = instantOf(form.start, form.timeZone);
    if (startsAt === null) return [];
    return clashesWith(others, { id, startsAt, endsAt: startsAt + form.minutes * 60_000, status: form.status });
  }, [others, id, form.start, form.minutes, form.timeZone, form.status]);
}

/** The instant a half-typed datetime-local value means, or null while it means none. */
function instantOf(wallClock: string, timeZone: string): number | null {
  try {
    return Date.parse(zonedToInstant(wallClock, timeZone));
  } catch {
    return null;
  }
}
