import { errorMessage } from '../common/transport.ts';
import type { Slice } from './slice.ts';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** A notice about the same thing as an earlier one (the accounts that failed to sync) takes its place. */
  topic?: string;
}

/** The toasts: what went wrong, or what just happened out of sight. */
export interface NoticesSlice {
  notices: Notice[];
  notify: (message: string, kind?: Notice['kind'], topic?: string) => void;
  dismissNotice: (id: number) => void;
  /** Runs a call and turns a failure into a visible notice; resolves to undefined when it failed. */
  attempt: <T>(work: () => Promise<T>) => Promise<T | undefined>;
}

export const createNoticesSlice: Slice<NoticesSlice> = (set, get) => {
  let lastId = 0;
  return {
    notices: [],
    notify: (message, kind = 'info', topic) => {
      if (get().notices.some((notice) => notice.message === message)) return;
      const notice = { id: ++lastId, kind, message, ...(topic === undefined ? {} : { topic }) };
      const others = get().notices.filter((earlier) => topic === undefined || earlier.topic !== topic);
      set({ notices: [...others.slice(-3), notice] });
      window.setTimeout(() => get().dismissNotice(notice.id), kind === 'error' ? 9000 : 4000);
    },
    dismissNotice: (id) => set({ notices: get().notices.filter((notice) => notice.id !== id) }),
    attempt: async (work) => {
      try {
        return await work();
      } catch (error) {
        get().notify(errorMessage(error), 'error');
        return undefined;
      }
    },
  };
};
