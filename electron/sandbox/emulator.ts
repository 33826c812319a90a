import type { ProviderId } from '../../shared/domain.ts';
import type { RunningSandbox } from './server.ts';
import type { StrictnessProfile } from './strictness.ts';

/** The line `dossier sandbox` prints when an emulator is ready (docs/architecture.md, "The command line"). */
export interface ReadyLine {
  readonly provider: ProviderId;
  /** Root of the provider's API, without a trailing slash (e.g. `http://127.0.0.1:PORT`). */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  /** Null for providers without an authorization-code grant (EconJobMarket). */
  readonly authorizeUrl: string | null;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * `small` starts in a second or two (tens of records); `medium` is a few hundred applications, big
 * enough for the crash test to hit every phase; `season` is a full recruiting season.
 */
export const scales = ['small', 'medium', 'season'] as const;
export type Scale = (typeof scales)[number];

const mediumFactor = 8;

/**
 * How many of an emulator's main records a scale other than `season` asks for: `smallCount` for
 * `small`, or exactly the whole number given (tests ask for odd sizes, like one record more than a page).
 */
export function countForScale(scale: string, smallCount: number, records: string): number {
  const count = scale === 'small' ? smallCount : scale === 'medium' ? smallCount * mediumFactor : Number(scale);
  if (!Number.isInteger(count) || count < 0) throw new Error(`scale must be "small", "medium", "season" or a number of ${records}, not "${scale}"`);
  return count;
}

export interface EmulatorStartOptions {
  /** Port on 127.0.0.1; an ephemeral one when absent. */
  readonly port?: number;
  readonly scale: Scale;
  readonly seed: number;
  /** Where the documentation is silent, which of the plausible behaviours to serve (strictness.ts). */
  readonly strictness?: StrictnessProfile;
}

export interface StartedEmulator {
  readonly sandbox: RunningSandbox;
  readonly ready: ReadyLine;
  close(): Promise<void>;
}

export interface EmulatorFactory {
  readonly provider: ProviderId;
  start(options: EmulatorStartOptions): Promise<StartedEmulator>;
}

/** The factory of an emulator whose running server carries its own ready line. */
export function emulatorFactory(provider: ProviderId, start: (options: EmulatorStartOptions) => Promise<RunningSandbox & { readonly ready: ReadyLine }>): EmulatorFactory {
  return {
    provider,
    async start(options) {
      const emulator = await start(options);
      return { sandbox: emulator, ready: emulator.ready, close: () => emulator.close() };
    },
  };
}

export const defaultSeed = 20251101;

/**
 * The line `dossier sandbox NAME` prints for a practice server of a bundled provider manifest
 * (build/manifests/<manifest>.json): the account it takes is `oauth2` with that manifest, pointed
 * at `baseUrl`, with `downloadHosts` in place of the manifest's own.
 */
export interface PracticeReadyLine {
  readonly provider: 'oauth2';
  readonly manifest: string;
  /** What the manifest's `api.baseUrl` becomes against the practice server. */
  readonly baseUrl: string;
  /** The API key or personal token the user would paste (manifests with `auth.type` `token`). */
  readonly token: string;
  readonly downloadHosts: readonly string[];
}

export interface PracticeServerFactory {
  readonly manifest: string;
  start(options: EmulatorStartOptions): Promise<{ readonly sandbox: RunningSandbox; readonly ready: PracticeReadyLine; close(): Promise<void> }>;
}

