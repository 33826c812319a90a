import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/core.ts';
import type { SecretSource } from '../host/secret-input.ts';
import type { Vault } from '../core/secrets/vault.ts';
import type { Logger } from '../core/base/log.ts';
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
  /** Where the vault passphrase may come from: DOSSIER_PASSPHRASE, else typed at the terminal. */
  readonly secrets?: SecretSource;
  readonly rendererDir?: string;
  /** Tests pass their own; otherwise the encrypted file vault (DOSSIER_PASSPHRASE). */
  readonly vault?: Vault;
  /** Tests capture what would open in the system browser; otherwise the desktop opener. */
  readonly openExternal?: (url: string) => Promise<void>;
  readonly logger?: Logger;
  readonly token?: string;
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
  const vault = options.vault ?? (await browserHostVault(dataPaths(options.dataDir).vault, secrets));
  const core = createCore({
    dataDir: options.dataDir,
    vault,
    openExternal: options.openExternal ?? ((url) => openWithDesktop(url)),
    host: 'browser',
    documentUrl: browserDocumentUrl,
    sandboxes: sandboxLauncher,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  if (!existsSync(rendererDir)) core.log.warn('web.renderer_missing', { rendererDir });
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
