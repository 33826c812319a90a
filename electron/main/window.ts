import { BrowserWindow, type WebPreferences } from 'electron';
import { secureWebPreferences } from './security.ts';
import { minimumSize, type WindowState } from './window-state.ts';

export interface MainWindowOptions {
  readonly preload: string;
  readonly state: WindowState;
  readonly developer: boolean;
}

/** The one window: isolated, sandboxed, no Node (the checklist's webPreferences items). */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const webPreferences: WebPreferences = secureWebPreferences(options.preload, { devTools: options.developer });
  const window = new BrowserWindow({
    ...options.state.bounds,
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
    show: false,
    title: 'Dossier',
    backgroundColor: '#f7f7f5',
    webPreferences,
  });
  if (options.state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  return window;
}

export function windowStateOf(window: BrowserWindow): WindowState {
  return { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
}
