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
export interface ReviewSlice {
  rate: (applicationId: number, rating: number | null) => Promise<void>;
  setStatus: (applicationIds: number[], status: ReviewStatus) => Promise<void>;
  toggleShortlist: (applicationId: number) => Promise<void>;
  addTag: (applicationIds: number[], tag: string) => Promise<void>;
  removeTag: (applicationIds: number[], tag: string) => Promise<void>;
  /** Resolves to whether the note was saved. */
  saveNote: (applicationId: number, note: string) => Promise<boolean>;
}

export const createReviewSlice: Slice<ReviewSlice, RowsSlice & PacketSlice & CatalogSlice & SessionSlice & NoticesSlice> = (_set, get) => {
  const client = () => get().transport.client;
  return {
    rate: async (applicationId, rating) => {
      const result = await get().attempt(() => client().call('annotations.setRating', { applicationId, rating }));
      if (result) get().applyReviews([result]);
    },
    setStatus: async (applicationIds, status) => {
      const result = await get().attempt(() => client().call('annotations.setStatus', { applicationIds, status }));
      if (result) get().applyReviews(result);
    },
    toggleShortlist: async (applicationId) => {
      const row = get().rowsById[applicationId];
      await get().setStatus([applicationId], row?.status === 'shortlisted' ? 'reviewing' : 'shortlisted');
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
