import type { ProviderId } from '../../../shared/domain.ts';
import { addAccount, findAccountByName, updateAccount } from '../accounts/store.ts';
import type { CoreDeps } from '../api/deps.ts';
import { signIn } from '../auth/login.ts';
import { openSession } from '../auth/session.ts';
import { DossierError } from '../errors.ts';
import { providers } from '../providers/registry.ts';
import { emulators, type Scale, type StartedEmulator } from '../sandbox/registry.ts';
import { SyncEngine, type AccountSyncResult } from './engine.ts';

export interface DemoOptions {
  readonly scale: Scale;
  readonly seed: number;
  /** False skips accounts whose sign-in needs a person at a browser (InfoJobs), saying how to sign in later. */
  readonly browser: boolean;
  readonly documents: boolean;
  readonly report: (line: string) => void;
}

export interface DemoAccount {
  readonly provider: ProviderId;
  readonly accountId: number;
  readonly name: string;
  readonly baseUrl: string;
  readonly signedIn: boolean;
}

export interface RunningDemo {
  readonly accounts: readonly DemoAccount[];
  readonly results: readonly AccountSyncResult[];
  close(): Promise<void>;
}

/**
 * `dossier demo`: starts every provider emulator on 127.0.0.1, adds (or re-points) one account
 * per provider, signs each in through the real path (client credentials minted at the emulator's
 * token endpoint, JyMob's personal token pasted, InfoJobs' authorization code through the browser)
 * and syncs them. The emulators keep running until `close`, so the app can keep syncing.
 */
export async function startDemo(deps: CoreDeps, options: DemoOptions): Promise<RunningDemo> {
  const started: StartedEmulator[] = [];
  const accounts: DemoAccount[] = [];
  try {
    for (const [provider, load] of Object.entries(emulators) as [ProviderId, NonNullable<(typeof emulators)[ProviderId]>][]) {
      const emulator = await (await load()).start({ scale: options.scale, seed: options.seed });
      started.push(emulator);
      accounts.push(await connect(deps, provider, emulator, options));
    }
    const engine = new SyncEngine({ context: deps.context, events: deps.events, openSession: (accountId) => openSession(deps, accountId) });
    const results = await engine.run({ accountIds: accounts.filter((account) => account.signedIn).map((account) => account.accountId), documents: options.documents });
    return { accounts, results, close: () => closeAll(started) };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

async function closeAll(started: readonly StartedEmulator[]): Promise<void> {
  await Promise.allSettled(started.map((emulator) => emulator.close()));
}

async function connect(deps: CoreDeps, provider: ProviderId, emulator: StartedEmulator, options: DemoOptions): Promise<DemoAccount> {
  const definition = providers[provider];
  const { ready } = emulator;
  const grants = definition.capabilities.grants;
  const grant = grants.includes('client_credentials') ? 'client_credentials' : grants.includes('token') ? 'token' : 'authorization_code';
  const name = `${definition.label} (sandbox)`;
  const settings = {
    baseUrl: ready.baseUrl,
    tokenUrl: ready.tokenUrl,
    ...(ready.authorizeUrl ? { authorizeUrl: ready.authorizeUrl } : {}),
    clientId: ready.clientId,
    clientSecret: ready.clientSecret,
    grant,
  } as const;
  let accountId: number;
  try {
    // The emulators listen on new ports each run: re-point the account (its old tokens are dropped).
    accountId = (await updateAccount(deps, { id: findAccountByName(deps.context.db, name).id, ...settings })).id;
  } catch (error) {
    if (!(error instanceof DossierError) || error.code !== 'account.not_found') throw error;
    accountId = (await addAccount(deps, { provider, name, ...settings })).id;
  }
  let signedIn = true;
  if (grant === 'token') {
    const { accessToken } = (await controlOf(ready.baseUrl, 'personal-token')) as { accessToken: string };
    await signIn(deps, accountId, { token: accessToken });
  } else if (grant === 'authorization_code') {
    if (options.browser) {
      options.report(`${name}: sign in on the page that opens in your browser (the page shows the sandbox user; the password is "sandbox").`);
      await signIn(deps, accountId);
    } else {
      signedIn = false;
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
