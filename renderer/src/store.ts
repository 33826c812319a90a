import { create } from 'zustand';
import type { ApiResult } from '../../shared/contract.ts';
import type { AccountSyncStatus } from '../../shared/api/sync.ts';
import type {
  Account,
  ApplicantFilter,
  ApplicantRow,
  ApplicantSort,
  Job,
  OutboxItem,
  Packet,
  RatingScheme,
  ReviewStatus,
  SavedView,
  SyncProgress,
} from '../../shared/domain.ts';
import { errorCode, errorMessage, type Transport } from './transport.ts';

export type Screen = 'applicants' | 'interviews' | 'postings' | 'settings' | 'onboarding';
export type Theme = 'system' | 'light' | 'dark';
export type ProviderInfo = ApiResult<'accounts.providers'>[number];
export type AppInfo = ApiResult<'app.info'>;
type Annotated = ApiResult<'annotations.setRating'>;

/** The filters the toolbar edits; the job and the search text are kept apart because they change on their own. */
export type TableFilter = Omit<ApplicantFilter, 'jobId' | 'accountId' | 'text'>;

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

export interface AppState {
  transport: Transport;
  ready: boolean;
  screen: Screen;
  info: AppInfo | null;
  connected: boolean;
  theme: Theme;
  accounts: Account[];
  providers: ProviderInfo[];
  syncStatus: Record<number, AccountSyncStatus>;
  progress: Record<number, SyncProgress>;
  outbox: OutboxItem[];
  jobs: Job[];
  jobId: number | null;
  rows: ApplicantRow[];
  total: number;
  /** The list for the current job, filters and sort without the search text. */
  baseRows: ApplicantRow[];
  baseTotal: number;
  rowsLoading: boolean;
  filter: TableFilter;
  sort: ApplicantSort | null;
  query: string;
  snippets: Map<number, string>;
  views: SavedView[];
  viewId: number | null;
  tags: { name: string; count: number }[];
  scheme: RatingScheme;
  selectedId: number | null;
  packet: Packet | null;
  notices: Notice[];
  shortcutsOpen: boolean;
  /** Accounts whose sign-in is waiting on the browser. */
  signingIn: number[];
  /** The packet pane beside the table; closed, the table shows every column. */
  packetOpen: boolean;
  exportOpen: boolean;
}

const defaultScheme: RatingScheme = { min: 1, max: 5, labels: {} };
let noticeSeq = 0;
let rowsSeq = 0;
let packetSeq = 0;
const packetCache = new Map<number, Packet>();
const packetCacheSize = 20;

function rememberPacket(packet: Packet): void {
  packetCache.delete(packet.row.applicationId);
  packetCache.set(packet.row.applicationId, packet);
  if (packetCache.size > packetCacheSize) {
    const oldest = packetCache.keys().next().value;
    if (oldest !== undefined) packetCache.delete(oldest);
  }
}

export const useApp = create<AppState>(() => ({
  transport: null as unknown as Transport,
  ready: false,
  screen: 'applicants',
  info: null,
  connected: true,
  theme: 'system',
  accounts: [],
  providers: [],
  syncStatus: {},
  progress: {},
  outbox: [],
  jobs: [],
  jobId: null,
  rows: [],
  total: 0,
  baseRows: [],
  baseTotal: 0,
  rowsLoading: false,
  filter: {},
  sort: null,
  query: '',
  snippets: new Map(),
  views: [],
  viewId: null,
  tags: [],
  scheme: defaultScheme,
  selectedId: null,
  packet: null,
  notices: [],
  shortcutsOpen: false,
  signingIn: [],
  packetOpen: true,
  exportOpen: false,
}));

const get = useApp.getState;
const set = useApp.setState;
const client = () => get().transport.client;

export function notify(message: string, kind: Notice['kind'] = 'info'): void {
  if (get().notices.some((notice) => notice.message === message)) return;
  const notice = { id: ++noticeSeq, kind, message };
  set({ notices: [...get().notices.slice(-3), notice] });
  window.setTimeout(() => dismissNotice(notice.id), kind === 'error' ? 9000 : 4000);
}

export function dismissNotice(id: number): void {
  set({ notices: get().notices.filter((notice) => notice.id !== id) });
}

/** Runs a call and turns a failure into a visible notice; returns undefined when it failed. */
export async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    notify(errorMessage(error), 'error');
    return undefined;
  }
}

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

/** Sets the chosen theme and the colour scheme it resolves to, following the system while on "system". */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.dataset.scheme = theme === 'dark' || (theme === 'system' && systemDark.matches) ? 'dark' : 'light';
}

systemDark.addEventListener('change', () => applyTheme((document.documentElement.dataset.theme as Theme | undefined) ?? 'system'));

export async function start(transport: Transport): Promise<void> {
  set({ transport });
  const { client: api } = transport;
  api.on('sync.progress', (progress) => {
    const previous = get().progress[progress.accountId];
    set({ progress: { ...get().progress, [progress.accountId]: progress } });
    // Each finished phase has written its rows: show them while the rest (documents, index) continues.
    if (previous && previous.phase !== progress.phase) {
      void refreshJobs();
      void refreshRows();
    }
  });
  api.on('sync.finished', (finished) => {
    set({ progress: Object.fromEntries(Object.entries(get().progress).filter(([id]) => Number(id) !== finished.accountId)) });
    if (finished.error) notify(finished.error.message, 'error');
    void refreshAccounts();
    void refreshJobs();
    void refreshRows();
  });
  api.on('account.state', (account) => {
    const accounts = get().accounts;
    const known = accounts.some((candidate) => candidate.id === account.id);
    set({ accounts: known ? accounts.map((candidate) => (candidate.id === account.id ? account : candidate)) : [...accounts, account] });
  });
  api.on('outbox.changed', (item) => {
    const outbox = get().outbox;
    const known = outbox.some((candidate) => candidate.id === item.id);
    set({ outbox: known ? outbox.map((candidate) => (candidate.id === item.id ? item : candidate)) : [item, ...outbox] });
  });
  // The core decides what "online" means (it can reach a provider); the browser's hint prompts a re-check.
  const recheck = () => void attempt(() => api.call('app.info', {})).then((info) => info && set({ info }));
  window.addEventListener('online', recheck);
  window.addEventListener('offline', recheck);
  transport.onConnection((connected) => {
    // Back after a gap (the host restarted or the machine slept): events may have been missed.
    if (connected && !get().connected) void refreshAccounts();
    set({ connected });
  });

  const settings = Promise.all([
    attempt(() => api.call('app.info', {})),
    attempt(() => api.call('settings.theme', {})),
    attempt(() => api.call('settings.ratingScheme', {})),
  ]).then(([info, theme, scheme]) => {
    if (theme) applyTheme(theme.theme);
    set({ info: info ?? null, theme: theme?.theme ?? 'system', scheme: scheme ?? defaultScheme });
  });
  // Everything at once: the table only needs the jobs, so its rows are asked for as soon as they are known.
  const jobs = refreshJobs();
  const rows = jobs.then(() => refreshRows());
  const extras = Promise.all([refreshViews(), refreshTags(), refreshOutbox(), loadProviders()]);
  await Promise.all([settings, jobs, refreshAccounts()]);
  set({ ready: true, screen: get().accounts.length === 0 && get().jobs.length === 0 ? 'onboarding' : 'applicants' });
  await Promise.all([rows, extras]);
}

async function loadProviders(): Promise<void> {
  const providers = await attempt(() => client().call('accounts.providers', {}));
  if (providers) set({ providers });
}

export async function refreshAccounts(): Promise<void> {
  const [accounts, status] = await Promise.all([
    attempt(() => client().call('accounts.list', {})),
    attempt(() => client().call('sync.status', {})),
  ]);
  if (accounts) set({ accounts });
  if (status) set({ syncStatus: Object.fromEntries(status.map((entry) => [entry.accountId, entry])) });
}

export async function refreshJobs(): Promise<void> {
  const jobs = await attempt(() => client().call('jobs.list', {}));
  if (!jobs) return;
  const { jobId, ready } = get();
  const keep = jobId === null ? ready : jobs.some((job) => job.id === jobId);
  set({ jobs, jobId: keep ? jobId : (jobs[0]?.id ?? null) });
}

export async function refreshViews(): Promise<void> {
  const views = await attempt(() => client().call('views.list', {}));
  if (views) set({ views });
}

export async function refreshTags(): Promise<void> {
  const tags = await attempt(() => client().call('tags.list', {}));
  if (tags) set({ tags });
}

export async function refreshOutbox(): Promise<void> {
  const outbox = await attempt(() => client().call('outbox.list', {}));
  if (outbox) set({ outbox });
}

export function currentFilter(state: Pick<AppState, 'filter' | 'jobId' | 'query'> = get()): ApplicantFilter {
  const text = state.query.trim();
  return { ...state.filter, ...(state.jobId !== null ? { jobId: state.jobId } : {}), ...(text ? { text } : {}) };
}

const haystacks = new WeakMap<ApplicantRow, string>();

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The rows already on screen whose name, institution, degree, fields or job contain every typed
 * word: shown at once while the full-text index (answers, letters, papers) is asked.
 */
function localMatches(rows: ApplicantRow[], query: string): ApplicantRow[] {
  const words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    let haystack = haystacks.get(row);
    if (haystack === undefined) {
      haystack = fold([row.name, row.institution, row.degree, row.jobTitle, ...row.fields].join(' '));
      haystacks.set(row, haystack);
    }
    return words.every((word) => haystack.includes(word));
  });
}

/** Snippets wait until typing pauses, and skip one- and two-letter words, whose prefix matches are slow and say little. */
const snippetDelayMs = 150;
const firstPage = 200;

async function loadSnippets(seq: number, query: string): Promise<void> {
  const words = query.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (seq !== rowsSeq || words.length === 0 || words.some((word) => word.length < 3)) return;
  const hits = await client().call('search.query', { query, limit: 500 }).catch(() => []);
  if (seq !== rowsSeq) return;
  const snippets = new Map<number, string>();
  for (const hit of hits) {
    if (hit.applicationId !== null && !snippets.has(hit.applicationId)) snippets.set(hit.applicationId, hit.snippet);
  }
  set({ snippets });
}

function showRows(rows: ApplicantRow[], total: number, snippets: Map<number, string>, loading: boolean): void {
  set({ rows, total, snippets, rowsLoading: loading });
  const { selectedId } = get();
  const missing = selectedId === null || !rows.some((row) => row.applicationId === selectedId);
  // While the rest is still loading, an open applicant further down the list stays open.
  if (missing && (!loading || selectedId === null)) select(rows[0]?.applicationId ?? null);
}

/**
 * Reloads the table. The list without the search text (the base) is fetched only when the job,
 * filters or sort change; typing filters the base at once and then shows the index's answer.
 * A newer request always wins over a slower older one.
 */
export async function refreshRows(reloadBase = true): Promise<void> {
  const seq = ++rowsSeq;
  const state = get();
  const query = state.query.trim();
  if (!reloadBase) {
    if (!query) return showRows(state.baseRows, state.baseTotal, new Map(), false);
    const local = localMatches(state.baseRows, query);
    set({ rows: local, total: local.length, snippets: new Map(), rowsLoading: true });
  } else {
    set({ rowsLoading: true });
  }
  try {
    const sort = state.sort ? { sort: state.sort } : {};
    if (reloadBase) {
      const filter = currentFilter({ ...state, query: '' });
      // A first screenful comes back several times faster than ten thousand rows: draw it, then fetch the rest.
      let base = await client().call('applicants.list', { filter, ...sort, limit: firstPage });
      if (seq !== rowsSeq) return;
      if (base.total > base.rows.length) {
        if (!query) showRows(base.rows, base.total, new Map(), true);
        base = await client().call('applicants.list', { filter, ...sort });
        if (seq !== rowsSeq) return;
      }
      set({ baseRows: base.rows, baseTotal: base.total });
      if (!query) return showRows(base.rows, base.total, new Map(), false);
      const local = localMatches(base.rows, query);
      set({ rows: local, total: local.length });
    }
    const list = await client().call('applicants.list', { filter: currentFilter(state), ...sort });
    if (seq !== rowsSeq) return;
    showRows(list.rows, list.total, new Map(), false);
    window.setTimeout(() => void loadSnippets(seq, query), snippetDelayMs);
  } catch (error) {
    if (seq !== rowsSeq) return;
    set({ rowsLoading: false });
    notify(errorMessage(error), 'error');
  }
}

export function setScreen(screen: Screen): void {
  set({ screen, shortcutsOpen: false });
}

export function selectJob(jobId: number | null): void {
  set({ jobId, screen: 'applicants', selectedId: null, packet: null });
  void refreshRows();
}

export function setFilter(patch: Partial<TableFilter>): void {
  const filter = Object.fromEntries(
    Object.entries({ ...get().filter, ...patch }).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)),
  ) as TableFilter;
  set({ filter, viewId: null });
  void refreshRows();
}

export function clearFilters(): void {
  set({ filter: {}, viewId: null, query: '' });
  void refreshRows();
}

export function setSort(key: ApplicantSort['key']): void {
  const current = get().sort;
  const sort: ApplicantSort | null =
    current?.key !== key ? { key, direction: 'asc' } : current.direction === 'asc' ? { key, direction: 'desc' } : null;
  set({ sort, viewId: null });
  void refreshRows();
}

export function setQuery(query: string): void {
  set({ query });
  void refreshRows(false);
}

export function applyView(view: SavedView): void {
  const { jobId, text, accountId: _accountId, ...filter } = view.filter;
  set({ viewId: view.id, filter, sort: view.sort, query: text ?? '', jobId: jobId ?? null, screen: 'applicants' });
  void refreshRows();
}

export async function saveView(name: string): Promise<void> {
  const view = await attempt(() => client().call('views.save', { name, filter: currentFilter(), sort: get().sort }));
  if (!view) return;
  await refreshViews();
  set({ viewId: view.id });
  notify(`Saved view “${view.name}”.`);
}

export async function removeView(id: number): Promise<void> {
  await attempt(() => client().call('views.remove', { id }));
  if (get().viewId === id) set({ viewId: null });
  await refreshViews();
}

async function fetchPacket(applicationId: number): Promise<Packet | undefined> {
  const cached = packetCache.get(applicationId);
  if (cached) return cached;
  const packet = await client().call('applicants.packet', { applicationId });
  rememberPacket(packet);
  return packet;
}

export function select(applicationId: number | null, options: { refresh?: boolean } = {}): void {
  const seq = ++packetSeq;
  if (options.refresh && applicationId !== null) packetCache.delete(applicationId);
  const cached = applicationId === null ? undefined : packetCache.get(applicationId);
  set({ selectedId: applicationId, packet: cached ?? null });
  if (applicationId === null || cached) {
    prefetchNeighbours();
    return;
  }
  fetchPacket(applicationId).then(
    (packet) => {
      if (seq === packetSeq && packet) set({ packet });
      prefetchNeighbours();
    },
    (error: unknown) => {
      if (seq === packetSeq) notify(errorMessage(error), 'error');
    },
  );
}

/** Loads the packets on either side so moving through the list never waits on the network. */
function prefetchNeighbours(): void {
  const { rows, selectedId } = get();
  const index = rows.findIndex((row) => row.applicationId === selectedId);
  for (const neighbour of [rows[index + 1], rows[index - 1]]) {
    if (neighbour && !packetCache.has(neighbour.applicationId)) void fetchPacket(neighbour.applicationId).catch(() => undefined);
  }
}

export function move(step: number): void {
  const { rows, selectedId } = get();
  if (rows.length === 0) return;
  const index = rows.findIndex((row) => row.applicationId === selectedId);
  const next = rows[Math.min(rows.length - 1, Math.max(0, index === -1 ? 0 : index + step))];
  if (next && next.applicationId !== selectedId) select(next.applicationId);
}

/** Puts the reviewer's new data into the table row and the open packet at once. */
function applyAnnotations(updates: Annotated[]): void {
  const byId = new Map(updates.map((update) => [update.applicationId, update]));
  const patchRow = (row: ApplicantRow): ApplicantRow => {
    const update = byId.get(row.applicationId);
    return update ? { ...row, rating: update.rating, status: update.status, tags: update.tags } : row;
  };
  const { rows, baseRows, packet } = get();
  for (const update of updates) {
    const cached = packetCache.get(update.applicationId);
    if (cached) rememberPacket({ ...cached, row: patchRow(cached.row), note: update.note });
  }
  const openUpdate = packet ? byId.get(packet.row.applicationId) : undefined;
  set({
    rows: rows.map(patchRow),
    baseRows: baseRows.map(patchRow),
    packet: packet && openUpdate ? { ...packet, row: patchRow(packet.row), note: openUpdate.note } : packet,
  });
}

export async function rate(applicationId: number, rating: number | null): Promise<void> {
  const result = await attempt(() => client().call('annotations.setRating', { applicationId, rating }));
  if (result) applyAnnotations([result]);
}

export async function setStatus(applicationIds: number[], status: ReviewStatus): Promise<void> {
  const result = await attempt(() => client().call('annotations.setStatus', { applicationIds, status }));
  if (result) applyAnnotations(result);
}

export async function toggleShortlist(applicationId: number): Promise<void> {
  const row = get().rows.find((candidate) => candidate.applicationId === applicationId);
  await setStatus([applicationId], row?.status === 'shortlisted' ? 'reviewing' : 'shortlisted');
}

export async function addTag(applicationIds: number[], tag: string): Promise<void> {
  const result = await attempt(() => client().call('annotations.addTag', { applicationIds, tag }));
  if (!result) return;
  applyAnnotations(result);
  void refreshTags();
}

export async function removeTag(applicationIds: number[], tag: string): Promise<void> {
  const result = await attempt(() => client().call('annotations.removeTag', { applicationIds, tag }));
  if (!result) return;
  applyAnnotations(result);
  void refreshTags();
}

export async function saveNote(applicationId: number, note: string): Promise<boolean> {
  const result = await attempt(() => client().call('annotations.setNote', { applicationId, note }));
  if (result) applyAnnotations([result]);
  return result !== undefined;
}

export async function setTheme(theme: Theme): Promise<void> {
  applyTheme(theme);
  set({ theme });
  await attempt(() => client().call('settings.theme', { theme }));
}

export async function setScheme(scheme: RatingScheme): Promise<boolean> {
  const saved = await attempt(() => client().call('settings.ratingScheme', { scheme }));
  if (saved) set({ scheme: saved });
  return saved !== undefined;
}

export async function startSync(accountIds?: number[]): Promise<void> {
  try {
    await client().call('sync.start', accountIds ? { accountIds } : {});
  } catch (error) {
    if (errorCode(error) !== 'sync.busy') notify(errorMessage(error), 'error');
  }
  await refreshAccounts();
}

export function afterAccountsChanged(): Promise<void> {
  return Promise.all([refreshAccounts(), refreshJobs()]).then(() => refreshRows());
}

export function toggleShortcuts(open?: boolean): void {
  set({ shortcutsOpen: open ?? !get().shortcutsOpen });
}

/** Signs in through the system browser; the account shows a waiting state until it returns or is cancelled. */
export async function signIn(accountId: number, token?: string): Promise<boolean> {
  set({ signingIn: [...get().signingIn, accountId] });
  try {
    await client().call('auth.login', token ? { id: accountId, token } : { id: accountId });
    await refreshAccounts();
    return true;
  } catch (error) {
    if (errorCode(error) !== 'auth.cancelled') notify(errorMessage(error), 'error');
    return false;
  } finally {
    set({ signingIn: get().signingIn.filter((id) => id !== accountId) });
  }
}

export async function cancelSignIn(accountId: number): Promise<void> {
  await attempt(() => client().call('auth.cancel', { id: accountId }));
}

export function togglePacket(): void {
  set({ packetOpen: !get().packetOpen });
}

export function setExportOpen(exportOpen: boolean): void {
  set({ exportOpen });
}
