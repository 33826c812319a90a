import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/core.ts';
import type { RetryTiming } from '../core/sync/engine.ts';
import type { SecretSource } from '../host/secret-input.ts';
import type { Vault } from '../core/secrets/vault.ts';
import { fileLogger, type Logger } from '../core/base/log.ts';
import { dataPaths } from '../core/base/paths.ts';
import { browserDocumentUrl } from '../host/documents.ts';
import { sandboxLauncher } from '../host/sandboxes.ts';
import { openWithDesktop } from '../host/open.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';
import { browserHostVault } from './vault.ts';

export const defaultRendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface LaunchOptions {
  readonly dataDir: string;
  readonly port?: number;
  /** Where the vault's settings and passphrase may come from (DOSSIER_VAULT, DOSSIER_PASSPHRASE, the terminal). */
  readonly secrets?: SecretSource;
  readonly rendererDir?: string;
  /** Tests pass their own; otherwise the data folder's vault (the system keyring, else the passphrase file). */
  readonly vault?: Vault;
  /** Tests capture what would open in the system browser; otherwise the desktop opener. */
  readonly openExternal?: (url: string) => Promise<void>;
  readonly logger?: Logger;
  readonly token?: string;
  /** How long a sync waits out a failing provider; tests shorten it. */
  readonly retry?: RetryTiming;
}

export interface LaunchedHost {
  readonly core: Core;
  readonly host: BrowserHost;
  close(): Promise<void>;
}

/** The core of one data directory behind the browser host: what `dossier serve` and `npm start` run. */
export async function launchBrowserHost(options: LaunchOptions): Promise<LaunchedHost> {
  const rendererDir = options.rendererDir ?? defaultRendererDir;
  const secrets = options.secrets ?? { stdin: process.stdin, stderr: process.stderr, env: process.env };
  const logger = options.logger ?? fileLogger(dataPaths(options.dataDir).logFile);
  const vault = options.vault ?? browserHostVault(options.dataDir, secrets, logger);
  const core = createCore({
    dataDir: options.dataDir,
    vault,
    openExternal: options.openExternal ?? ((url) => openWithDesktop(url, dataPaths(options.dataDir).temp)),
    host: 'browser',
    documentUrl: browserDocumentUrl,
    sandboxes: sandboxLauncher,
    logger,
    retry: options.retry,
  });
  if (!existsSync(rendererDir)) core.log.warn('web.renderer_missing', { rendererDir });
  // The UI shows committees live: they reconnect in the background; a failure is logged per committee, never fatal to the host.
  void core.services.committees.start();
  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      core,
      rendererDir,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.token === undefined ? {} : { token: options.token }),
    });
  } catch (error) {
    await core.close();
    throw error;
  }
  return {
    core,
    host,
    close: async () => {
      await host.close();
      await core.close();
    },
  };
}
