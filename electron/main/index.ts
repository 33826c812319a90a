import { app, BrowserWindow, ipcMain, Menu, Notification, screen, session, shell, utilityProcess } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract.ts';
import type { Account } from '../../shared/domain.ts';
import { DossierError } from '../core/base/errors.ts';
import { coreHeapFlags } from '../host/heap.ts';
import { hostVault } from '../host/host-vault.ts';
import { fileLogger } from '../core/base/log.ts';
import { dataPaths, defaultDataDir } from '../core/base/paths.ts';
import { createCoreClient, type CoreChild } from './core-client.ts';
import { hardenSession, hardenWebContents, type GuardPolicy } from './guards.ts';
import { handleRendererCall, ipcChannels } from './ipc.ts';
import { buildAppMenu } from './menu.ts';
import { registerAppScheme, serveAppScheme } from './protocol.ts';
import { decideCoreOpen, refusedOpen, safeExternalUrl } from '../host/open.ts';
import { appEntryUrl, createOriginAllowList, isAppUrl, type OriginAllowList } from './security.ts';
import { progressBarValue, progressHidden, syncFinishedNotice } from './sync-feedback.ts';
import { createMainWindow, windowStateOf } from './window.ts';
import { defaultWindowState, restoreWindowState, type WindowState } from './window-state.ts';

/**
 * The Electron main process: one window, the `app://` scheme, IPC mapped onto the contract, the OS
 * integrations (menu, progress bar, notifications, keychain). The core runs in a utility process.
 */

const dataDir = defaultDataDir();
const paths = dataPaths(dataDir);
const log = fileLogger(paths.logFile, { process: 'main' });
const developer = !app.isPackaged;

// One profile directory for the command line and the app; Chromium's own files in a subfolder.
app.setPath('userData', dataDir);
app.setPath('sessionData', join(dataDir, 'chromium'));
app.enableSandbox();
registerAppScheme();

interface Preferences {
  window: WindowState;
}

let mainWindow: BrowserWindow | undefined;
const accounts = new Map<number, Account>();
const syncing = new Map<number, EventPayload<'sync.progress'>>();
let providerOrigins: OriginAllowList = createOriginAllowList([]);

function rememberAccount(account: Account): void {
  accounts.set(account.id, account);
  providerOrigins = createOriginAllowList([...accounts.values()].flatMap((known) => [known.baseUrl, known.authorizeUrl ?? '']));
}

/** A provider link the page clicked, already checked against the provider allow-list by the guards (#15). */
async function openWebLink(url: string): Promise<void> {
  const safe = safeExternalUrl(url);
  if (safe !== undefined) await shell.openExternal(safe, { activate: true });
}

/** What the core asks to open: the authorize URL it built, or a document copy it wrote (#15). */
async function openFromCore(raw: string): Promise<void> {
  const decision = decideCoreOpen(raw, paths.temp);
  if (decision.kind === 'web') {
    await shell.openExternal(decision.url, { activate: true });
    return;
  }
  if (decision.kind === 'file') {
    const failure = await shell.openPath(decision.path);
    if (failure !== '') throw new DossierError('document.missing', `Your system could not open the document: ${failure}. Use "Save as" and open it yourself.`);
    return;
  }
  log.warn('open_external.refused', { url: raw.slice(0, 200) });
  throw refusedOpen();
}

function forkCore(): CoreChild {
  const child = utilityProcess.fork(join(import.meta.dirname, 'core-process.js'), [dataDir], { serviceName: 'Dossier Core', stdio: 'inherit', execArgv: [...coreHeapFlags] });
  return {
    port: {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
    },
    onExit: (listener) => child.once('exit', listener),
    kill: () => child.kill(),
  };
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function notify(title: string, body: string, urgent: boolean): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body, silent: !urgent, urgency: urgent ? 'critical' : 'normal' });
  notification.on('click', focusWindow);
  notification.show();
}

function onCoreEvent<Name extends EventName>(name: Name, payload: EventPayload<Name>): void {
  if (name === 'sync.progress') {
    const progress = payload as EventPayload<'sync.progress'>;
    syncing.set(progress.accountId, progress);
    mainWindow?.setProgressBar(progressBarValue(syncing.values()));
  } else if (name === 'sync.finished') {
    const finished = payload as EventPayload<'sync.finished'>;
    syncing.delete(finished.accountId);
    mainWindow?.setProgressBar(syncing.size === 0 ? progressHidden : progressBarValue(syncing.values()));
    const notice = syncFinishedNotice(finished, accounts.get(finished.accountId)?.name);
    if (notice) notify(notice.title, notice.body, notice.needsUser);
  } else if (name === 'account.state') {
    rememberAccount(payload as Account);
  }
  if (mainWindow && !mainWindow.isDestroyed() && isAppUrl(mainWindow.webContents.getURL())) {
    mainWindow.webContents.send(ipcChannels.event, name, payload);
  }
}

const core = createCoreClient({
  spawn: forkCore,
  // The same vault as the command line and the browser host of this data folder, so every host sees the same sign-ins.
  vault: hostVault({ dataDir, secrets: { stdin: process.stdin, stderr: process.stderr, env: process.env }, log }),
  openExternal: openFromCore,
  onEvent: onCoreEvent,
  onFailed: (error) => notify('Dossier could not open your data', error.message, true),
  log,
});

const guardPolicy: GuardPolicy = { providerOrigins: () => providerOrigins, openExternal: openWebLink, log };

function openWindow(store: Store<Preferences>): void {
  const state = restoreWindowState(store.get('window'), screen.getAllDisplays().map((display) => display.workArea));
  const window = createMainWindow({ preload: join(import.meta.dirname, 'preload.cjs'), state, developer });
  window.on('close', () => store.set('window', windowStateOf(window)));
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  mainWindow = window;
  void window.loadURL(appEntryUrl);
}

async function loadAccounts(): Promise<void> {
  const outcome = await core.call('accounts.list', {});
  if (outcome.ok) for (const account of outcome.result as Account[]) rememberAccount(account);
}

async function start(): Promise<void> {
  await app.whenReady();
  const store = new Store<Preferences>({ name: 'preferences', cwd: dataDir, defaults: { window: defaultWindowState } });
  hardenSession(session.defaultSession, log);
  serveAppScheme(session.defaultSession, join(import.meta.dirname, '..', 'renderer'), (documentId) => core.documentFile(documentId), log);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, guardPolicy));
  ipcMain.handle(ipcChannels.call, (event, name: unknown, input: unknown) => handleRendererCall(event.senderFrame, name, input, core.call, log));
  installMenu();
  openWindow(store);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(store);
  });
  await loadAccounts();
}

function installMenu(): void {
  const run = (name: 'sync.start' | 'sync.cancel'): void => {
    void core.call(name, {}).then((outcome) => {
      if (!outcome.ok) notify('Dossier', outcome.error.message, false);
    });
  };
  const menu = buildAppMenu(
    {
      syncAll: () => run('sync.start'),
      cancelSync: () => run('sync.cancel'),
      openDataFolder: () => void shell.openPath(dataDir),
      openLogFile: () => shell.showItemInFolder(paths.logFile),
    },
    { platform: process.platform, developer },
  );
  Menu.setApplicationMenu(menu);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let coreStopped = false;
  app.on('before-quit', (event) => {
    if (coreStopped) return;
    event.preventDefault();
    void core.shutdown().finally(() => {
      coreStopped = true;
      app.quit();
    });
  });
  start().catch((error: unknown) => {
    log.error('main.start_failed', { error });
    app.exit(1);
  });
}
