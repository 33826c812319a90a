import type { FaultSwitch } from './faults.ts';
import type { AuthorizationServer, SandboxClock } from './oauth.ts';
import { startSandbox, type EmulatorDefinition, type RunningSandbox } from './server.ts';

/** What an emulator built on `AuthorizationServer` shares with the harness. */
export interface OAuthSandboxParts {
  readonly oauth: AuthorizationServer;
  readonly clock: SandboxClock;
  /** Read by the authorization server's `faults` getter; the harness creates the switch, so it is filled in on start. */
  readonly harness: { faults?: FaultSwitch };
}

/**
 * Starts an emulator whose tokens `oauth` issues, adding the controls every such emulator offers:
 * `revoke` (one token, or every grant, as a user would in the provider's settings) and
 * `advance-clock` (expire codes and tokens without waiting), `register-redirect` (`{uri, clientId?}`:
 * add a redirect URI to the client's registration, as the developer would on the provider's app
 * page). The emulator's own controls come on top.
 */
export async function startOAuthSandbox(definition: EmulatorDefinition, parts: OAuthSandboxParts, port: number | undefined): Promise<RunningSandbox> {
  const { oauth, clock, harness } = parts;
  const running = await startSandbox(
    {
      ...definition,
      controls: {
        revoke: (body) => oauth.revokeControl(body),
        'advance-clock': (body) => {
          clock.advance(typeof body.seconds === 'number' ? body.seconds : 0);
          return { now: new Date(clock.nowMs()).toISOString() };
        },
        'register-redirect': (body) => oauth.registerRedirectUri(String(body.uri ?? ''), typeof body.clientId === 'string' ? body.clientId : undefined),
        ...definition.controls,
      },
    },
    port === undefined ? {} : { port },
  );
  harness.faults = running.faults;
  return running;
}

/** A `{add, change, remove, …}` count from a `mutate` control body: a whole number, 0 when absent. */
export function mutationCount(body: Record<string, unknown>, key: string): number {
  return typeof body[key] === 'number' ? Math.max(0, Math.floor(body[key])) : 0;
}
