import { chromium, type Browser } from 'playwright-core';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import { createCore } from '../../electron/core/app.ts';
import type { Vault } from '../../electron/core/auth/vault.ts';
import { startBrowserHost } from '../../electron/web/server.ts';

/** The Chromium flags DESIGN.md §1 prescribes for Debian's build on these machines. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface RunningHost {
  readonly url: string;
  /** The same contract the page uses, called over the host's HTTP API (so the test checks what was stored). */
  call<Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>>;
  close(): Promise<void>;
}

/** An in-memory vault: the UI tests seed signed-in data and never hold secrets. */
function memoryVault(): Vault {
  const secrets = new Map<string, string>();
  return {
    get: async (key) => secrets.get(key),
    set: async (key, value) => void secrets.set(key, value),
    delete: async (key) => void secrets.delete(key),
    deletePrefix: async (prefix) => {
      for (const key of [...secrets.keys()]) if (key.startsWith(prefix)) secrets.delete(key);
    },
  };
}

/** The real core and browser host on a data directory, serving the built renderer (dist/renderer). */
export async function startHost(dataDir: string): Promise<RunningHost> {
  const core = createCore({ dataDir, vault: memoryVault(), openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}` });
  const host = await startBrowserHost({ core, rendererDir: new URL('../../dist/renderer', import.meta.url).pathname });
  return {
    url: host.url,
    call: async (name, input) => {
      const response = await fetch(`http://127.0.0.1:${host.port}/api/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
        body: JSON.stringify(input),
      });
      const outcome = (await response.json()) as { ok: boolean; result: never; error?: { message: string } };
      if (!outcome.ok) throw new Error(`${name}: ${outcome.error?.message ?? response.status}`);
      return outcome.result;
    },
    close: async () => {
      await host.close();
      await core.close();
    },
  };
}
