import type { Committee } from '../../../shared/api/committee.ts';
import type { ChromeSlice } from './chrome.ts';
import type { NoticesSlice } from './notices.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/** The committees this machine belongs to, the one the Committee screen has open, and when each last changed. */
export interface CommitteesSlice {
  committees: Committee[];
  /** The committee the Committee screen shows; null lists them all. */
  committeeId: string | null;
  /**
   * Counts each committee's changes as the core reports them: what shows a committee (its table,
   * the packet's panel) asks again when its count moves, and keeps its own scroll and focus.
   */
  committeeRevisions: Readonly<Record<string, number>>;
  refreshCommittees: () => Promise<void>;
  /** Shows one committee (null: the list of them) on the Committee screen. */
  openCommittee: (committeeId: string | null) => void;
  /** Puts a committee the core just answered with (created, joined) in the list and opens it. */
  putCommittee: (committee: Committee) => void;
  /** A `committee.changed` event: many arrive while a member syncs, so they are taken at most a few times a second. */
  committeeChanged: (committeeId: string) => void;
}

const changeCoalesceMs = 200;

export const createCommitteesSlice: Slice<CommitteesSlice, ChromeSlice & SessionSlice & NoticesSlice> = (set, get) => {
  const waiting = new Set<string>();
  let timer: number | null = null;
  const takeChanges = () => {
    timer = null;
    const revisions = { ...get().committeeRevisions };
    for (const committeeId of waiting) revisions[committeeId] = (revisions[committeeId] ?? 0) + 1;
    waiting.clear();
    set({ committeeRevisions: revisions });
    void get().refreshCommittees();
  };
  return {
    committees: [],
    committeeId: null,
    committeeRevisions: {},
    refreshCommittees: async () => {
      // Quietly: a refresh follows events, and a failure here is not something the reviewer asked for.
      const committees = await get().transport.client.call('committee.list', {}).catch(() => undefined);
      if (committees) set({ committees });
    },
    openCommittee: (committeeId) => {
      set({ committeeId });
      get().setScreen('committee');
    },
    putCommittee: (committee) => {
      set({ committees: [...get().committees.filter((known) => known.id !== committee.id), committee] });
      get().openCommittee(committee.id);
    },
    committeeChanged: (committeeId) => {
      waiting.add(committeeId);
      timer ??= window.setTimeout(takeChanges, changeCoalesceMs);
    },
  };
};
