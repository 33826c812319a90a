import type { PacketSlice } from './packet.ts';
import type { RowsSlice } from './rows.ts';
import type { Slice } from './slice.ts';

/**
 * The applicants marked for a bulk action, apart from the open one (the cursor): a click opens an
 * applicant, ctrl/cmd-click, shift-click, space and shift+j/k mark them. A bulk action applies to
 * the marked applicants, or to the open one when none is marked.
 */
export interface SelectionSlice {
  /** In the table's order. */
  markedIds: number[];
  /** Where a shift-click range starts: the last applicant marked or opened by a click. */
  markAnchor: number | null;
  toggleMark: (applicationId: number) => void;
  /** Marks every listed applicant from the anchor to `applicationId`, replacing the marks. */
  markRange: (applicationId: number) => void;
  /** Marks the open applicant, moves by `step` and marks the next one too (shift+j/k). */
  extendMarks: (step: number) => void;
  clearMarks: () => void;
  /** A plain click: no marks, and a later shift-click ranges from `applicationId`. */
  restartMarksAt: (applicationId: number) => void;
  markAll: () => void;
  /** Lets go of marks on applicants the list no longer shows. */
  keepListedMarks: () => void;
  /** What a bulk action changes. */
  targetIds: () => number[];
}

export const createSelectionSlice: Slice<SelectionSlice, RowsSlice & PacketSlice> = (set, get) => {
  /** The marks in list order: a range or an export reads them as the table shows them. */
  const inListOrder = (ids: Set<number>) => get().listIds.filter((id) => ids.has(id));
  return {
    markedIds: [],
    markAnchor: null,
    toggleMark: (applicationId) => {
      const marked = new Set(get().markedIds);
      if (marked.has(applicationId)) marked.delete(applicationId);
      else marked.add(applicationId);
      set({ markedIds: inListOrder(marked), markAnchor: applicationId });
    },
    markRange: (applicationId) => {
      const { listIds, markAnchor, selectedId } = get();
      const from = listIds.indexOf(markAnchor ?? selectedId ?? applicationId);
      const to = listIds.indexOf(applicationId);
      if (to === -1) return;
      const start = from === -1 ? to : Math.min(from, to);
      set({ markedIds: listIds.slice(start, Math.max(from, to) + 1) });
    },
    extendMarks: (step) => {
      const { selectedId, move } = get();
      if (selectedId === null) return move(step);
      const marked = new Set(get().markedIds).add(selectedId);
      move(step);
      const next = get().selectedId;
      if (next !== null) marked.add(next);
      set({ markedIds: inListOrder(marked), markAnchor: next });
    },
    clearMarks: () => set({ markedIds: [], markAnchor: null }),
    restartMarksAt: (applicationId) => set({ markedIds: [], markAnchor: applicationId }),
    markAll: () => set({ markedIds: get().listIds }),
    keepListedMarks: () => {
      const { markedIds } = get();
      if (markedIds.length > 0) set({ markedIds: inListOrder(new Set(markedIds)) });
    },
    targetIds: () => {
      const { markedIds, selectedId } = get();
      if (markedIds.length > 0) return markedIds;
      return selectedId === null ? [] : [selectedId];
    },
  };
};
