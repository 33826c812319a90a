import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderId } from '../../shared/domain.ts';
import type { EventName, EventPayload } from '../../shared/contract.ts';
import { addAccount } from '../../electron/core/accounts/store.ts';
import type { CoreDeps } from '../../electron/core/api/deps.ts';
import { FileVault } from '../../electron/core/auth/file-vault.ts';
import { openSession } from '../../electron/core/auth/session.ts';
import { openCore } from '../../electron/core/context.ts';
import { CoreEvents } from '../../electron/core/events.ts';
import { silentLogger } from '../../electron/core/log.ts';
import type { ReadyLine } from '../../electron/core/sandbox/registry.ts';
import { SyncEngine } from '../../electron/core/sync/engine.ts';

/** A cheap scrypt cost so each test vault opens in milliseconds; the format and cipher are the real ones. */
const testScryptCost = { N: 2 ** 10, r: 8, p: 1 };

export interface SyncCore {
  readonly deps: CoreDeps;
  readonly dataDir: string;
  readonly engine: SyncEngine;
  readonly events: { name: EventName; payload: unknown }[];
  on<Name extends EventName>(name: Name): EventPayload<Name>[];
  close(): void;
}

/** A real profile (SQLite file, encrypted vault, store) in a temp folder, with a sync engine on the real session path. */
export async function syncCore(dataDir = mkdtempSync(join(tmpdir(), 'dossier-sync-')), keep = false): Promise<SyncCore> {
  const context = openCore(dataDir, { logger: silentLogger });
  const vault = await FileVault.open(context.paths.vault, 'sync test passphrase', { cost: testScryptCost });
  const events = new CoreEvents();
  const seen: { name: EventName; payload: unknown }[] = [];
  events.onAny((name, payload) => seen.push({ name, payload }));
  const deps: CoreDeps = { context, events, vault, openExternal: async () => undefined, host: 'cli', documentUrl: (id) => `dossier://document/${id}` };
  const engine = new SyncEngine({ context, events, openSession: (accountId) => openSession(deps, accountId) });
  return {
    deps,
    dataDir,
    engine,
    events: seen,
    on: <Name extends EventName>(name: Name) => seen.filter((event) => event.name === name).map((event) => event.payload as EventPayload<Name>),
    close() {
      context.close();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Adds an account pointing at a running emulator, as `dossier accounts add` would. */
export async function addSandboxAccount(core: SyncCore, provider: ProviderId, ready: ReadyLine, name: string = provider, timeZone = 'America/Los_Angeles'): Promise<number> {
  const account = await addAccount(core.deps, {
    provider,
    name,
    baseUrl: ready.baseUrl,
    tokenUrl: ready.tokenUrl,
    ...(ready.authorizeUrl ? { authorizeUrl: ready.authorizeUrl } : {}),
    clientId: ready.clientId,
    clientSecret: ready.clientSecret,
    grant: 'client_credentials',
    timeZone,
  });
  return account.id;
}

export async function setFaults(baseUrl: string, faults: Record<string, unknown>): Promise<void> {
  await control(baseUrl, 'faults', faults);
}

export async function control(baseUrl: string, name: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const origin = new URL(baseUrl).origin;
  const response = await fetch(`${origin}/__sandbox/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}
