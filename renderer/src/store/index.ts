import { create } from 'zustand';
import { createAccountsSlice, type AccountsSlice } from './accounts.ts';
import { createCatalogSlice, type CatalogSlice } from './catalog.ts';
import { createChromeSlice, type ChromeSlice } from './chrome.ts';
import { createNoticesSlice, type NoticesSlice } from './notices.ts';
import { createPacketSlice, type PacketSlice } from './packet.ts';
import { createReviewSlice, type ReviewSlice } from './review.ts';
import { createRowsSlice, type RowsSlice } from './rows.ts';
import { createSessionSlice, type SessionSlice } from './session.ts';
import { createTableSlice, type TableSlice } from './table.ts';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace.ts';

export type { ProviderInfo } from './accounts.ts';
export type { Screen } from './chrome.ts';
export type { PacketBody } from './packet.ts';

export type AppState = NoticesSlice &
  SessionSlice &
  ChromeSlice &
  AccountsSlice &
  CatalogSlice &
  RowsSlice &
  PacketSlice &
  TableSlice &
  ReviewSlice &
  WorkspaceSlice;

export const useApp = create<AppState>()((set, get) => ({
  ...createNoticesSlice(set, get),
  ...createSessionSlice(set, get),
  ...createChromeSlice(set, get),
  ...createAccountsSlice(set, get),
  ...createCatalogSlice(set, get),
  ...createRowsSlice(set, get),
  ...createPacketSlice(set, get),
  ...createTableSlice(set, get),
  ...createReviewSlice(set, get),
  ...createWorkspaceSlice(set, get),
}));
