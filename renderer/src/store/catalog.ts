import type { Job, SavedView } from '../../../shared/domain.ts';
import type { NoticesSlice } from './notices.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/** The table's reload (table.ts, which itself reads this slice): a move to another job needs its rows. */
interface ReloadsRows {
  refreshRows: () => Promise<void>;
}

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

/** Where the reviewer was (a job's id, or "all"), so a reload reopens there. */
const lastJobKey = 'dossier.lastJob';

function rememberedJob(): number | null | undefined {
  try {
    const stored = window.localStorage.getItem(lastJobKey);
    if (stored === null) return undefined;
    return stored === 'all' ? null : Number(stored);
  } catch {
    // Storage unavailable (a locked-down profile): the busiest job is shown instead.
    return undefined;
  }
}

function rememberJob(jobId: number | null): void {
  try {
    window.localStorage.setItem(lastJobKey, jobId === null ? 'all' : String(jobId));
  } catch {
    // Not remembered; the next launch opens on the busiest job.
  }
}

const applicantsIn = (jobs: Job[], jobId: number | null): number =>
  jobId === null ? jobs.reduce((sum, job) => sum + job.applicationCount, 0) : (jobs.find((job) => job.id === jobId)?.applicationCount ?? 0);

/** The job with the most applicants (the first of equals, in the list's order); null (every job) when none has any. */
function busiestJob(jobs: Job[]): number | null {
  const busiest = jobs.reduce<Job | null>((best, job) => (job.applicationCount > (best?.applicationCount ?? 0) ? job : best), null);
  return busiest?.id ?? null;
}

/** Every job at once (null) when several jobs have applicants, the one job that has them otherwise. */
function fullestView(jobs: Job[]): number | null {
  const populated = jobs.filter((job) => job.applicationCount > 0);
  return populated.length === 1 ? (populated[0]?.id ?? null) : null;
}

/**
 * The job to show after the jobs changed; never a posting nobody applied to while another has
 * applicants. At launch: where the reviewer was if it still has applicants, else the busiest job
 * (a job is the unit of a review session). Later, a job the reviewer chose stays while it exists;
 * a view the app picked while it showed nobody moves on when a sync brings the first applicants,
 * to every job at once, so all that just arrived is in view; one that showed applicants stays put.
 */
function jobToShow(jobs: Job[], previous: Job[], current: number | null, ready: boolean, chosen: boolean): { jobId: number | null; chosen: boolean } {
  if (!ready) {
    const remembered = rememberedJob();
    if (remembered !== undefined && (remembered === null || jobs.some((job) => job.id === remembered)) && applicantsIn(jobs, remembered) > 0) {
      return { jobId: remembered, chosen: true };
    }
    return { jobId: busiestJob(jobs), chosen: false };
  }
  const exists = current === null || jobs.some((job) => job.id === current);
  if (!exists || (!chosen && applicantsIn(previous, current) === 0)) return { jobId: fullestView(jobs), chosen: false };
  return { jobId: current, chosen };
}

export const createCatalogSlice: Slice<CatalogSlice, SessionSlice & NoticesSlice & ReloadsRows> = (set, get) => {
  const client = () => get().transport.client;
  /** Whether the reviewer picked the job shown (or came back to it after a reload), rather than the app. */
  let chosen = false;
  return {
    jobs: [],
    jobId: null,
    views: [],
    viewId: null,
    tags: [],
    refreshJobs: async () => {
      const jobs = await get().attempt(() => client().call('jobs.list', {}));
      if (!jobs) return;
      const { jobId, ready, jobs: previous } = get();
      const next = jobToShow(jobs, previous, jobId, ready, chosen);
      chosen = next.chosen;
      set({ jobs, jobId: next.jobId });
      // The first screen's rows are asked for by the start; later a move to another job needs its rows.
      if (ready && next.jobId !== jobId) await get().refreshRows();
    },
    refreshViews: async () => {
      const views = await get().attempt(() => client().call('views.list', {}));
      if (views) set({ views });
    },
    refreshTags: async () => {
      const tags = await get().attempt(() => client().call('tags.list', {}));
      if (tags) set({ tags });
    },
    setJobId: (jobId) => {
      chosen = true;
      rememberJob(jobId);
      set({ jobId });
    },
    setViewId: (viewId) => set({ viewId }),
    removeView: async (id) => {
      await get().attempt(() => client().call('views.remove', { id }));
      if (get().viewId === id) set({ viewId: null });
      await get().refreshViews();
    },
  };
};
