import type { Interview } from '../../../shared/domain.ts';

type Appointment = Pick<Interview, 'id' | 'startsAt' | 'endsAt' | 'status'>;

/** Interviews that overlap in time (cancelled ones never clash). */
export function findClashes(interviews: readonly Appointment[]): Set<number> {
  const active = interviews.filter((interview) => interview.status !== 'cancelled').sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const clashes = new Set<number>();
  for (let i = 0; i < active.length; i++) {
    const first = active[i];
    if (!first) continue;
    for (let j = i + 1; j < active.length; j++) {
      const second = active[j];
      if (!second || Date.parse(second.startsAt) >= Date.parse(first.endsAt)) break;
      clashes.add(first.id);
      clashes.add(second.id);
    }
  }
  return clashes;
}

/**
 * The interviews a planned one would overlap, earliest first: what the form warns about while
 * the time is being chosen. `planned.id` is null for a new interview; an edited one never clashes
 * with its own saved copy. A cancelled plan clashes with nothing.
 */
export function clashesWith<Item extends Appointment>(interviews: readonly Item[], planned: { id: number | null; startsAt: number; endsAt: number; status: Interview['status'] }): Item[] {
  if (planned.status === 'cancelled' || !(planned.endsAt > planned.startsAt)) return [];
  return interviews
    .filter((other) => other.id !== planned.id && other.status !== 'cancelled' && Date.parse(other.startsAt) < planned.endsAt && Date.parse(other.endsAt) > planned.startsAt)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}
