import { useCallback, useEffect, useRef, useState } from 'react';
import type { Committee, CommitteeMember } from '../../../shared/api/committee.ts';
import { errorMessage } from '../common/transport.ts';
import { useApp } from '../store/index.ts';

/**
 * What a committee's part of the screen shows, fetched again each time the committee changes (its
 * revision moves) or the request does. The last answer stays on screen while the next one is on
 * its way, so a live update never blanks the table or the panel; only the latest request's answer is taken.
 */
export function useCommitteeData<T>(committeeIds: readonly string[], load: () => Promise<T>, requestKey: string): { data: T | null; problem: string | null; reload: () => void } {
  const revision = useApp((state) => committeeIds.map((id) => state.committeeRevisions[id] ?? 0).join(','));
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    const request = ++latest.current;
    loadRef.current().then(
      (answer) => {
        if (request !== latest.current) return;
        setData(answer);
        setProblem(null);
      },
      (error: unknown) => request === latest.current && setProblem(errorMessage(error)),
    );
  }, [revision, requestKey, reloads]);
  const reload = useCallback(() => setReloads((count) => count + 1), []);
  return { data, problem, reload };
}

/** Up to two letters a member is known by in a narrow column header ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [words[0]?.slice(0, 2)];
  return letters.map((word) => word?.[0] ?? '').join('').toUpperCase() || '?';
}

/** A score with one decimal, a whole rating as it is; a dash for none. */
export function formatValue(value: number | null): string {
  if (value === null) return '–';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function memberLabel(member: Pick<CommitteeMember, 'name' | 'isMe' | 'role'>): string {
  return `${member.name}${member.isMe ? ' (you)' : ''}${member.role === 'chair' ? ' · chair' : ''}`;
}

const connectionTexts: Record<Committee['connection'], (committee: Committee) => { short: string; long: string }> = {
  online: () => ({ short: 'Online', long: 'Connected: your changes reach the committee as you make them.' }),
  connecting: () => ({ short: 'Connecting…', long: 'Reaching the committee server…' }),
  offline: (committee) => ({
    short: committee.pendingChanges > 0 ? `Offline · ${committee.pendingChanges.toLocaleString()} waiting` : 'Offline',
    long: 'Offline — changes are kept and sent when you are back online.',
  }),
  revoked: () => ({ short: 'Removed', long: 'You were removed from this committee: you keep what you had, but nothing new arrives.' }),
};

/** How this machine stands with the committee's server: the dot and a word, the whole sentence as its description. */
export function ConnectionBadge({ committee, long = false }: { committee: Committee; long?: boolean }) {
  const text = connectionTexts[committee.connection](committee);
  return (
    <span className={`connection ${committee.connection}`} title={text.long} role="status" aria-label={`${text.short}. ${text.long}`}>
      <span className="dot" aria-hidden="true" />
      {long ? text.long : text.short}
      {long && committee.connection === 'offline' && committee.pendingChanges > 0 ? ` ${committee.pendingChanges.toLocaleString()} waiting to send.` : null}
    </span>
  );
}
