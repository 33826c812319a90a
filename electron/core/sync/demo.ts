import type { Account, ProviderId } from '../../../shared/domain.ts';
import { addAccount, findAccountByName, setAccountState, updateAccount } from '../accounts/store.ts';
import type { CoreDeps } from '../api/deps.ts';
import { signIn } from '../auth/login.ts';
import { openSession } from '../auth/session.ts';
import { DossierError } from '../errors.ts';
import { providers } from '../providers/registry.ts';
import { emulators, type EmulatorFactory, type Scale, type StartedEmulator } from '../sandbox/registry.ts';
import { SyncEngine, type AccountSyncResult } from './engine.ts';

export interface DemoSandboxOptions {
  readonly scale: Scale;
  readonly seed: number;
  /** False skips accounts whose sign-in needs a person at a browser (InfoJobs), saying how to sign in later. */
  readonly browser: boolean;
  readonly report: (line: string) => void;
}

export interface DemoOptions extends DemoSandboxOptions {
  readonly documents: boolean;
}

export interface DemoAccount {
  readonly provider: ProviderId;
  readonly accountId: number;
  readonly name: string;
  readonly baseUrl: string;
  readonly signedIn: boolean;
}

/** The emulators of a demo, running on 127.0.0.1 with an account connected to each. */
export interface DemoSandboxes {
  readonly accounts: readonly DemoAccount[];
  close(): Promise<void>;
}

export interface RunningDemo extends DemoSandboxes {
  readonly results: readonly AccountSyncResult[];
}

/**
 * `dossier demo`: starts the demo's sandboxes (see `startDemoSandboxes`) and syncs every account
 * that could sign in. The emulators keep running until `close`, so the app can keep syncing.
 */
export async function startDemo(deps: CoreDeps, options: DemoOptions): Promise<RunningDemo> {
  const sandboxes = await startDemoSandboxes(deps, options);
  try {
    const engine = new SyncEngine({ context: deps.context, events: deps.events, openSession: (accountId) => openSession(deps, accountId) });
    const results = await engine.run({ accountIds: signedInIds(sandboxes), documents: options.documents });
    return { ...sandboxes, results };
  } catch (error) {
    await sandboxes.close();
    throw error;
  }
}

export function signedInIds(sandboxes: DemoSandboxes): number[] {
  return sandboxes.accounts.filter((account) => account.signedIn).map((account) => account.accountId);
}

/**
 * Starts every provider emulator on 127.0.0.1 (on the port its demo account already points at
 * when that port is free, so the account keeps its address), adds or re-points one account per
 * provider, and signs each in through the real path: client credentials minted at the emulator's
 * token endpoint, JyMob's personal token pasted, InfoJobs' authorization code through the browser.
 */
export async function startDemoSandboxes(deps: CoreDeps, options: DemoSandboxOptions): Promise<DemoSandboxes> {
  const started: StartedEmulator[] = [];
  const accounts: DemoAccount[] = [];
  try {
    for (const [provider, load] of Object.entries(emulators) as [ProviderId, NonNullable<(typeof emulators)[ProviderId]>][]) {
      const existing = findDemoAccount(deps, provider);
      const emulator = await startEmulator(await load(), options, existing === undefined ? undefined : portOf(existing.baseUrl));
      started.push(emulator);
      accounts.push(await connect(deps, provider, existing, emulator, options));
    }
    return { accounts, close: () => closeAll(started) };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

const runningSandboxes = new WeakMap<CoreDeps, Promise<DemoSandboxes>>();

/** The demo of a composed core: started on first use, then shared until `closeDemoSandboxes` (one per core). */
export function demoSandboxesFor(deps: CoreDeps, options: DemoSandboxOptions): Promise<DemoSandboxes> {
  let sandboxes = runningSandboxes.get(deps);
  if (sandboxes === undefined) {
    const starting = startDemoSandboxes(deps, options);
    // A failed start is not kept, so the next request tries again.
    starting.catch(() => {
      if (runningSandboxes.get(deps) === starting) runningSandboxes.delete(deps);
    });
    runningSandboxes.set(deps, starting);
    sandboxes = starting;
  }
  return sandboxes;
}

export async function closeDemoSandboxes(deps: CoreDeps): Promise<void> {
  const sandboxes = runningSandboxes.get(deps);
  runningSandboxes.delete(deps);
  const started = await sandboxes?.catch(() => undefined);
  await started?.close();
}

function demoAccountName(provider: ProviderId): string {
  return `${providers[provider].label} (sandbox)`;
}

function findDemoAccount(deps: CoreDeps, provider: ProviderId): Account | undefined {
  try {
    return findAccountByName(deps.context.db, demoAccountName(provider));
  } catch (error) {
    if (error instanceof DossierError && error.code === 'account.not_found') return undefined;
    throw error;
  }
}

function portOf(url: string): number | undefined {
  const { hostname, port } = new URL(url);
  return hostname === '127.0.0.1' && port !== '' ? Number(port) : undefined;
}

/** Starts on the wanted port, or on a new one when that port is taken (the account is then re-pointed). */
async function startEmulator(factory: EmulatorFactory, options: DemoSandboxOptions, port: number | undefined): Promise<StartedEmulator> {
  if (port !== undefined) {
    try {
      return await factory.start({ scale: options.scale, seed: options.seed, port });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    }
  }
  return factory.start({ scale: options.scale, seed: options.seed });
}

async function closeAll(started: readonly StartedEmulator[]): Promise<void> {
  await Promise.allSettled(started.map((emulator) => emulator.close()));
}

async function connect(
  deps: CoreDeps, provider: ProviderId, existing: Account | undefined, emulator: StartedEmulator, options: DemoSandboxOptions,
): Promise<DemoAccount> {
  const definition = providers[provider];
  const { ready } = emulator;
  const grants = definition.capabilities.grants;
  const grant = grants.includes('client_credentials') ? 'client_credentials' : grants.includes('token') ? 'token' : 'authorization_code';
  const name = demoAccountName(provider);
  const settings = {
    baseUrl: ready.baseUrl,
    tokenUrl: ready.tokenUrl,
    ...(ready.authorizeUrl ? { authorizeUrl: ready.authorizeUrl } : {}),
    clientId: ready.clientId,
    clientSecret: ready.clientSecret,
    grant,
  } as const;
  // A freshly started emulator knows none of the tokens it issued before: re-pointing drops them.
  const accountId = existing === undefined
    ? (await addAccount(deps, { provider, name, ...settings })).id
    : (await updateAccount(deps, { id: existing.id, ...settings })).id;
  let signedIn = true;
  if (grant === 'client_credentials') {
    await signIn(deps, accountId);
  } else if (grant === 'token') {
    const { accessToken } = (await controlOf(ready.baseUrl, 'personal-token')) as { accessToken: string };
    await signIn(deps, accountId, { token: accessToken });
  } else if (grant === 'authorization_code') {
    if (options.browser) {
      options.report(`${name}: sign in on the page that opens in your browser (the page shows the sandbox user; the password is "sandbox").`);
      await signIn(deps, accountId);
    } else {
      signedIn = false;
      setAccountState(deps, accountId, 'signed_out', `${definition.label} asks for your consent in the browser: sign in to this account to add it to the demo (the sandbox password is "sandbox").`);
      options.report(`${name}: needs a sign-in at a browser; run "dossier login '${name}'" while the demo runs, then "dossier sync".`);
    }
  }
  options.report(`${name}: ${ready.baseUrl}`);
  return { provider, accountId, name, baseUrl: ready.baseUrl, signedIn };
}

async function controlOf(baseUrl: string, name: string): Promise<unknown> {
  const response = await fetch(`${new URL(baseUrl).origin}/__sandbox/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return response.json();
}
