import { create } from 'zustand';
import { createAccountsSlice, type AccountsSlice } from './accounts.ts';
import { createCatalogSlice, type CatalogSlice } from './catalog.ts';
import { createChromeSlice, type ChromeSlice } from './chrome.ts';
import { createColumnsSlice, type ColumnsSlice } from './columns.ts';
import { createCommitteesSlice, type CommitteesSlice } from './committees.ts';
import { createNoticesSlice, type NoticesSlice } from './notices.ts';
import { createPacketSlice, type PacketSlice } from './packet.ts';
import { createReviewSlice, type ReviewSlice } from './review.ts';
import { createRowsSlice, type RowsSlice } from './rows.ts';
import { createScorecardsSlice, type ScorecardsSlice } from './scorecards.ts';
import { createSearchSlice, type SearchSlice } from './search.ts';
import { createSelectionSlice, type SelectionSlice } from './selection.ts';
import { createSessionSlice, type SessionSlice } from './session.ts';
import { createTableSlice, type TableSlice } from './table.ts';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace.ts';

export type { Problem, ProblemFix, ProviderInfo } from './accounts.ts';
export { problemFor, retryLaterMinutes } from './accounts.ts';
export type { Screen } from './chrome.ts';
export type { ColumnKey } from './columns.ts';
export type { PacketBody } from './packet.ts';
export type { SearchFocus } from './search.ts';

export type AppState = NoticesSlice &
  SessionSlice &
  ChromeSlice &
  AccountsSlice &
  CatalogSlice &
  RowsSlice &
  PacketSlice &
  SelectionSlice &
  ColumnsSlice &
  TableSlice &
  ReviewSlice &
  SearchSlice &
  ScorecardsSlice &
  CommitteesSlice &
  WorkspaceSlice;

export const useApp = create<AppState>()((set, get) => ({
  ...createNoticesSlice(set, get),
  ...createSessionSlice(set, get),
  ...createChromeSlice(set, get),
  ...createAccountsSlice(set, get),
  ...createCatalogSlice(set, get),
  ...createRowsSlice(set, get),
  ...createPacketSlice(set, get),
  ...createSelectionSlice(set, get),
  ...createColumnsSlice(set, get),
  ...createTableSlice(set, get),
  ...createReviewSlice(set, get),
  ...createSearchSlice(set, get),
  ...createScorecardsSlice(set, get),
  ...createCommitteesSlice(set, get),
  ...createWorkspaceSlice(set, get),
}));
