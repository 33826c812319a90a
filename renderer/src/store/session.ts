import type { ApiResult } from '../../../shared/contract.ts';
import type { RatingScheme } from '../../../shared/domain.ts';
import { applyTheme, type Theme } from '../common/theme.ts';
import type { Transport } from '../common/transport.ts';
import type { NoticesSlice } from './notices.ts';
import type { Slice } from './slice.ts';

export type AppInfo = ApiResult<'app.info'>;

/** The link to the core and what it says about this launch: whether it answers, is online, and the reviewer's settings. */
export interface SessionSlice {
  /** Set by `start` before the first call; no screen is drawn before `ready`, so none finds it unset. */
  transport: Transport;
  /** The first screen can be drawn: settings, jobs and accounts are known. */
  ready: boolean;
  /** Whether the local service answers (the browser host's event socket is open). */
  connected: boolean;
  info: AppInfo | null;
  theme: Theme;
  scheme: RatingScheme;
  setTransport: (transport: Transport) => void;
  markReady: () => void;
  setConnected: (connected: boolean) => void;
  loadSettings: () => Promise<void>;
  /** Asks the core again whether it can reach the providers. */
  refreshInfo: () => Promise<void>;
  setTheme: (theme: Theme) => Promise<void>;
  /** Resolves to whether the core kept the scheme. */
  setScheme: (scheme: RatingScheme) => Promise<boolean>;
}

const defaultScheme: RatingScheme = { min: 1, max: 5, labels: {} };

export const createSessionSlice: Slice<SessionSlice, NoticesSlice> = (set, get) => {
  const client = () => get().transport.client;
  return {
    transport: null as unknown as Transport,
    ready: false,
    connected: true,
    info: null,
    theme: 'system',
    scheme: defaultScheme,
    setTransport: (transport) => set({ transport }),
    markReady: () => set({ ready: true }),
    setConnected: (connected) => set({ connected }),
    loadSettings: async () => {
      const { attempt } = get();
      const [info, theme, scheme] = await Promise.all([
        attempt(() => client().call('app.info', {})),
        attempt(() => client().call('settings.theme', {})),
        attempt(() => client().call('settings.ratingScheme', {})),
      ]);
      if (theme) applyTheme(theme.theme);
      set({ info: info ?? null, theme: theme?.theme ?? 'system', scheme: scheme ?? defaultScheme });
    },
    refreshInfo: async () => {
      const info = await get().attempt(() => client().call('app.info', {}));
      if (info) set({ info });
    },
    setTheme: async (theme) => {
      applyTheme(theme);
      set({ theme });
      await get().attempt(() => client().call('settings.theme', { theme }));
    },
    setScheme: async (scheme) => {
      const saved = await get().attempt(() => client().call('settings.ratingScheme', { scheme }));
      if (saved) set({ scheme: saved });
      return saved !== undefined;
    },
  };
};
