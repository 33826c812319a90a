import type { ReviewStatus } from '../../../shared/domain.ts';
import type { CatalogSlice } from './catalog.ts';
import type { NoticesSlice } from './notices.ts';
import type { PacketSlice } from './packet.ts';
import type { RowsSlice } from './rows.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/**
 * The reviewer's annotations. Each lands where its record is held: rating, status and tags on the
 * row in `rowsById`, the note on the packet.
 */
/** A status change that can be taken back: the status each application had before it. */
export interface StatusUndo {
  id: number;
  /** What happened, as the toast says it ("Rejected 3 applicants"). */
  summary: string;
  previous: { applicationId: number; status: ReviewStatus }[];
}

export interface ReviewSlice {
  rate: (applicationId: number, rating: number | null) => Promise<void>;
  /** One call and one transaction for any number of applications; undoable with `undoStatus`. */
  setStatus: (applicationIds: number[], status: ReviewStatus) => Promise<void>;
  /** Shortlists the applications, or un-shortlists them when every one of them is shortlisted already. */
  toggleShortlist: (applicationIds: number[]) => Promise<void>;
  /** The status changes that can still be undone, the latest last. */
  statusUndos: StatusUndo[];
  /** Gives back each application of the latest status change exactly the status it had before. */
  undoStatus: () => Promise<void>;
  addTag: (applicationIds: number[], tag: string) => Promise<void>;
  removeTag: (applicationIds: number[], tag: string) => Promise<void>;
  /** Resolves to whether the note was saved. */
  saveNote: (applicationId: number, note: string) => Promise<boolean>;
}

/** Enough to walk back a committee meeting's worth of changes; older ones are let go. */
const undosKept = 50;

const statusVerbs: Record<ReviewStatus, string> = {
  new: 'Marked as new',
  reviewing: 'Marked as reviewing',
  shortlisted: 'Shortlisted',
  interview: 'Moved to interview',
  offer: 'Moved to offer',
  rejected: 'Rejected',
};

function applicants(count: number): string {
  return count === 1 ? 'one applicant' : `${count.toLocaleString()} applicants`;
}

export const createReviewSlice: Slice<ReviewSlice, RowsSlice & PacketSlice & CatalogSlice & SessionSlice & NoticesSlice> = (set, get) => {
  const client = () => get().transport.client;
  let lastUndo = 0;
  /** The status change in flight: an undo pressed right after a change waits for it, and then undoes it. */
  let statusChange: Promise<void> = Promise.resolve();
  const changeStatus = async (applicationIds: number[], status: ReviewStatus) => {
    const changes = applicationIds.map((applicationId) => ({ applicationId, status }));
    const result = await get().attempt(() => client().call('annotations.changeStatuses', { changes }));
    if (!result) return;
    get().applyReviews(result.annotations);
    const undo = { id: ++lastUndo, summary: `${statusVerbs[status]} ${applicants(applicationIds.length)}.`, previous: result.previous };
    set({ statusUndos: [...get().statusUndos.slice(1 - undosKept), undo] });
  };
  return {
    statusUndos: [],
    rate: async (applicationId, rating) => {
      const result = await get().attempt(() => client().call('annotations.setRating', { applicationId, rating }));
      if (result) get().applyReviews([result]);
    },
    setStatus: async (applicationIds, status) => {
      if (applicationIds.length === 0) return;
      statusChange = statusChange.then(() => changeStatus(applicationIds, status));
      await statusChange;
    },
    toggleShortlist: async (applicationIds) => {
      const { rowsById } = get();
      const allShortlisted = applicationIds.every((id) => rowsById[id]?.status === 'shortlisted');
      await get().setStatus(applicationIds, allShortlisted ? 'reviewing' : 'shortlisted');
    },
    undoStatus: async () => {
      await statusChange;
      const undo = get().statusUndos.at(-1);
      if (!undo) {
        get().notify('Nothing to undo: no status was changed in this session.');
        return;
      }
      const result = await get().attempt(() => client().call('annotations.changeStatuses', { changes: undo.previous }));
      if (!result) return;
      get().applyReviews(result.annotations);
      set({ statusUndos: get().statusUndos.filter((candidate) => candidate.id !== undo.id) });
      get().notify(`Undid “${undo.summary.replace(/\.$/, '')}”: each has its previous status again.`);
    },
    addTag: async (applicationIds, tag) => {
      const result = await get().attempt(() => client().call('annotations.addTag', { applicationIds, tag }));
      if (!result) return;
      get().applyReviews(result);
      void get().refreshTags();
    },
    removeTag: async (applicationIds, tag) => {
      const result = await get().attempt(() => client().call('annotations.removeTag', { applicationIds, tag }));
      if (!result) return;
      get().applyReviews(result);
      void get().refreshTags();
    },
    saveNote: async (applicationId, note) => {
      const result = await get().attempt(() => client().call('annotations.setNote', { applicationId, note }));
      if (result) get().applyNotes([result]);
      return result !== undefined;
    },
  };
};
