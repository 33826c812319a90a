import type { Job, SavedView } from '../../../shared/domain.ts';
import type { NoticesSlice } from './notices.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/** The jobs, saved views and tags to choose from, and which job and view the table shows. */
export interface CatalogSlice {
  jobs: Job[];
  /** The job the table shows; null for every job at once. */
  jobId: number | null;
  views: SavedView[];
  /** The saved view the table shows, until a filter, the sort or the search changes. */
  viewId: number | null;
  tags: { name: string; count: number }[];
  refreshJobs: () => Promise<void>;
  refreshViews: () => Promise<void>;
  refreshTags: () => Promise<void>;
  setJobId: (jobId: number | null) => void;
  setViewId: (viewId: number | null) => void;
  removeView: (id: number) => Promise<void>;
}

export const createCatalogSlice: Slice<CatalogSlice, SessionSlice & NoticesSlice> = (set, get) => {
  const client = () => get().transport.client;
  return {
    jobs: [],
    jobId: null,
    views: [],
    viewId: null,
    tags: [],
    refreshJobs: async () => {
      const jobs = await get().attempt(() => client().call('jobs.list', {}));
      if (!jobs) return;
      const { jobId, ready } = get();
      // Before the first screen no job is chosen yet: start on the first one. Later, "every job" is a choice to keep.
      const keep = jobId === null ? ready : jobs.some((job) => job.id === jobId);
      set({ jobs, jobId: keep ? jobId : (jobs[0]?.id ?? null) });
    },
    refreshViews: async () => {
      const views = await get().attempt(() => client().call('views.list', {}));
      if (views) set({ views });
    },
    refreshTags: async () => {
      const tags = await get().attempt(() => client().call('tags.list', {}));
      if (tags) set({ tags });
    },
    setJobId: (jobId) => set({ jobId }),
    setViewId: (viewId) => set({ viewId }),
    removeView: async (id) => {
      await get().attempt(() => client().call('views.remove', { id }));
      if (get().viewId === id) set({ viewId: null });
      await get().refreshViews();
    },
  };
};
