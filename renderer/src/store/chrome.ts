import type { Slice } from './slice.ts';

export type Screen = 'applicants' | 'interviews' | 'postings' | 'committee' | 'settings' | 'onboarding';

/** What the window shows around the data: the screen, the packet pane, the open dialogs. */
export interface ChromeSlice {
  screen: Screen;
  shortcutsOpen: boolean;
  /** The packet pane beside the table; closed, the table shows every column. */
  packetOpen: boolean;
  exportOpen: boolean;
  /** The account whose settings the Settings screen has open for editing. */
  editingAccountId: number | null;
  setScreen: (screen: Screen) => void;
  toggleShortcuts: (open?: boolean) => void;
  togglePacket: () => void;
  setExportOpen: (open: boolean) => void;
  /** Opens Settings on the account's settings (a problem's "Edit account"); null closes the editor. */
  editAccount: (accountId: number | null) => void;
}

export const createChromeSlice: Slice<ChromeSlice> = (set, get) => ({
  screen: 'applicants',
  shortcutsOpen: false,
  packetOpen: true,
  exportOpen: false,
  editingAccountId: null,
  setScreen: (screen) => set({ screen, shortcutsOpen: false }),
  toggleShortcuts: (open) => set({ shortcutsOpen: open ?? !get().shortcutsOpen }),
  togglePacket: () => set({ packetOpen: !get().packetOpen }),
  setExportOpen: (exportOpen) => set({ exportOpen }),
  editAccount: (editingAccountId) => set(editingAccountId === null ? { editingAccountId } : { editingAccountId, screen: 'settings', shortcutsOpen: false }),
});
