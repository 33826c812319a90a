import type { Account, ProviderId } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { Logger } from '../base/log.ts';
import type { AccountService } from '../accounts/service.ts';
import type { AuthService } from '../auth/service.ts';
import { providers } from '../providers/catalogue.ts';
import type { AccountSyncResult, SyncEngine } from '../sync/engine.ts';

/** How big the demo's generated data is (the sandboxes' scales). */
export type DemoScale = 'small' | 'medium' | 'season';

/** Where a running provider sandbox answers, and the credentials it issued (the sandboxes' ready line). */
export interface SandboxAddress {
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly authorizeUrl: string | null;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface RunningSandbox {
  readonly address: SandboxAddress;
  /** A personal access token the sandbox issued, for providers whose accounts paste one. */
  personalToken(): Promise<string>;
  /** Signs the sandbox's user in on its consent page and approves, on the user's behalf, as a person at the browser would (InfoJobs). */
  consent(authorizeUrl: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the provider sandboxes (electron/sandbox/). */
export interface SandboxLauncher {
  readonly providers: readonly ProviderId[];
  /** The seed the sandboxes generate their data from unless told otherwise, so every demo shows the same people. */
  readonly defaultSeed: number;
  /** Starts one provider's sandbox on 127.0.0.1, on `port` when given (rejecting with EADDRINUSE when it is taken). */
  start(provider: ProviderId, options: { scale: DemoScale; seed: number; port?: number | undefined }): Promise<RunningSandbox>;
}

export interface DemoOptions {
  readonly scale: DemoScale;
  /** The sandboxes' own seed when absent. */
  readonly seed?: number | undefined;
  /** Where each account's progress line goes (the terminal in the command line); the log when absent. */
  readonly report?: ((line: string) => void) | undefined;
}

export interface DemoAccount {
  readonly provider: ProviderId;
  readonly accountId: number;
  readonly name: string;
  readonly baseUrl: string;
  readonly signedIn: boolean;
}

/** The sandboxes of a demo, running on 127.0.0.1 with an account connected to each. */
export interface DemoSandboxes {
  readonly accounts: readonly DemoAccount[];
  close(): Promise<void>;
}

/**
 * Loads the sandboxes when the demo first starts: the hosts that offer the demo pass one in, so
 * the core never loads the sandboxes itself (docs/decisions/0005-sandboxes.md).
 */
export type LoadSandboxes = () => Promise<SandboxLauncher>;

export interface DemoServiceDeps {
  readonly accounts: AccountService;
  readonly auth: AuthService;
  readonly sync: SyncEngine;
  readonly log: Logger;
  /** Absent where the host does not offer the demo. */
  readonly loadSandboxes: LoadSandboxes | undefined;
}

/**
 * The demo workspace: every provider sandbox with generated data, one account connected to each
 * through the real sign-in path, then synced. The sandboxes run until the core closes; asking again
 * returns the same accounts (the sandboxes start only once, on the ports the accounts point at).
 */
export class DemoService {
  readonly #deps: DemoServiceDeps;
  #running: Promise<DemoSandboxes> | undefined;
  /** The origins of the sandboxes this core started: accounts pointing there hold only throwaway secrets. */
  readonly #sandboxOrigins = new Set<string>();

  constructor(deps: DemoServiceDeps) {
    this.#deps = deps;
  }

  /** The app's "Try the demo": starts (once) and begins a sync of every account that could sign in, without waiting for it. */
  async start(options: DemoOptions): Promise<Account[]> {
    const sandboxes = await this.sandboxes(options);
    const accountIds = signedInIds(sandboxes);
    try {
      this.#deps.sync.start({ accountIds, documents: true });
    } catch (error) {
      if (!(error instanceof DossierError && error.code === 'sync.busy')) throw error;
    }
    return sandboxes.accounts.map((account) => this.#deps.accounts.get(account.accountId));
  }

  /** `dossier demo`: starts the sandboxes and syncs every account that could sign in, resolving when the syncs end. */
  async run(options: DemoOptions & { readonly documents: boolean }): Promise<{ accounts: readonly DemoAccount[]; results: readonly AccountSyncResult[] }> {
    const sandboxes = await this.sandboxes(options);
    const results = await this.#deps.sync.run({ accountIds: signedInIds(sandboxes), documents: options.documents });
    return { accounts: sandboxes.accounts, results };
  }

  /** The running sandboxes, started on first use; a failed start is forgotten, so the next request tries again. */
  sandboxes(options: DemoOptions): Promise<DemoSandboxes> {
    if (this.#running === undefined) {
      const starting = this.#startSandboxes(options);
      starting.catch(() => {
        if (this.#running === starting) this.#running = undefined;
      });
      this.#running = starting;
    }
    return this.#running;
  }

  /** The accounts connected to a sandbox this core started, whose secrets are throwaway and kept in memory. */
  sandboxAccountIds(): number[] {
    if (this.#sandboxOrigins.size === 0) return [];
    return this.#deps.accounts.list().filter((account) => this.#sandboxOrigins.has(new URL(account.baseUrl).origin)).map((account) => account.id);
  }

  /** Stops the sandboxes, if any run. */
  async close(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    this.#sandboxOrigins.clear();
    await (await running?.catch(() => undefined))?.close();
  }

  /**
   * Starts every provider sandbox (on the port its demo account already points at when that port
   * is free, so the account keeps its address), adds or re-points one account per provider, and
   * signs each in through the real path: client credentials minted at the sandbox's token
   * endpoint, JyMob's personal token pasted, InfoJobs' authorization code through the browser.
   */
  async #startSandboxes(options: DemoOptions): Promise<DemoSandboxes> {
    if (this.#deps.loadSandboxes === undefined) throw new DossierError('provider.unsupported', 'This build of Dossier has no demo workspace. Add an account of your own instead.');
    const launcher = await this.#deps.loadSandboxes();
    const started: RunningSandbox[] = [];
    const accounts: DemoAccount[] = [];
    const report = options.report ?? ((line: string) => this.#deps.log.info('demo.account', { line }));
    const start = { scale: options.scale, seed: options.seed ?? launcher.defaultSeed };
    try {
      for (const provider of launcher.providers) {
        const existing = this.#deps.accounts.named(demoAccountName(provider));
        const sandbox = await startOnPort(launcher, provider, start, existing === undefined ? undefined : portOf(existing.baseUrl));
        started.push(sandbox);
        // Before the account is added, so not even its client secret reaches the host's vault.
        this.#sandboxOrigins.add(new URL(sandbox.address.baseUrl).origin);
        accounts.push(await this.#connect(provider, existing, sandbox, report));
      }
      return { accounts, close: () => closeAll(started) };
    } catch (error) {
      await closeAll(started);
      throw error;
    }
  }

  async #connect(provider: ProviderId, existing: Account | undefined, sandbox: RunningSandbox, report: (line: string) => void): Promise<DemoAccount> {
    const { accounts, auth } = this.#deps;
    const definition = providers[provider];
    const { address } = sandbox;
    const grants = definition.capabilities.grants;
    const grant = grants.includes('client_credentials') ? 'client_credentials' : grants.includes('token') ? 'token' : 'authorization_code';
    const name = demoAccountName(provider);
    const settings = {
      baseUrl: address.baseUrl,
      tokenUrl: address.tokenUrl,
      ...(address.authorizeUrl ? { authorizeUrl: address.authorizeUrl } : {}),
      clientId: address.clientId,
      clientSecret: address.clientSecret,
      grant,
    } as const;
    // A freshly started sandbox knows none of the tokens it issued before: re-pointing drops them.
    const accountId = existing === undefined
      ? (await accounts.add({ provider, name, ...settings })).id
      : (await accounts.update({ id: existing.id, ...settings })).id;
    if (grant === 'client_credentials') {
      await auth.signIn(accountId);
    } else if (grant === 'token') {
      await auth.signIn(accountId, { token: await sandbox.personalToken() });
    } else {
      // The consent page is the sandbox's own, so the demo approves it for the user; a real provider's never is.
      await auth.signIn(accountId, { openAuthorizePage: (url) => sandbox.consent(url) });
      report(`${name}: the sandbox's consent page was approved on your behalf (sign in yourself with "dossier login '${name}'" to see it).`);
    }
    report(`${name}: ${address.baseUrl}`);
    return { provider, accountId, name, baseUrl: address.baseUrl, signedIn: true };
  }
}

function demoAccountName(provider: ProviderId): string {
  return `${providers[provider].label} (sandbox)`;
}

function signedInIds(sandboxes: DemoSandboxes): number[] {
  return sandboxes.accounts.filter((account) => account.signedIn).map((account) => account.accountId);
}

function portOf(url: string): number | undefined {
  const { hostname, port } = new URL(url);
  return hostname === '127.0.0.1' && port !== '' ? Number(port) : undefined;
}

/** Starts on the wanted port, or on a new one when that port is taken (the account is then re-pointed). */
async function startOnPort(launcher: SandboxLauncher, provider: ProviderId, start: { scale: DemoScale; seed: number }, port: number | undefined): Promise<RunningSandbox> {
  if (port !== undefined) {
    try {
      return await launcher.start(provider, { ...start, port });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    }
  }
  return launcher.start(provider, start);
}

async function closeAll(started: readonly RunningSandbox[]): Promise<void> {
  await Promise.allSettled(started.map((sandbox) => sandbox.close()));
}
