import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  syncAll(): void;
  cancelSync(): void;
  openDataFolder(): void;
  openLogFile(): void;
}

/** The application menu and its keyboard shortcuts; the page handles its own (j/k, /, 1–5). */
export function buildAppMenu(actions: MenuActions, options: { platform: NodeJS.Platform; developer: boolean }): Menu {
  const mac = options.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Sync All Accounts', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.syncAll() },
        { label: 'Cancel Sync', accelerator: 'CmdOrCtrl+Shift+.', click: () => actions.cancelSync() },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { label: 'Show Log File', click: () => actions.openLogFile() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(options.developer ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Show Log File', click: () => actions.openLogFile() }] },
  ];
  return Menu.buildFromTemplate(template);
}
