import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const appName = 'Dossier';

/**
 * The platform's application-data folder, the same one Electron's `app.getPath('userData')`
 * returns, so the command line and the desktop app share one profile.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DOSSIER_DATA_DIR) return resolve(env.DOSSIER_DATA_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appName);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appName);
}

/** Where each kind of file lives inside a data directory. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    database: join(dataDir, 'dossier.db'),
    vault: join(dataDir, 'vault.json'),
    store: join(dataDir, 'store'),
    temp: join(dataDir, 'tmp'),
    logs: join(dataDir, 'logs'),
    logFile: join(dataDir, 'logs', 'dossier.log'),
    locks: join(dataDir, 'locks'),
  } as const;
}

export type DataPaths = ReturnType<typeof dataPaths>;
