/** The part of oidc-provider 9 (which ships no types) that the auth tests use. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface GrantContext {
    oidc: { params?: Record<string, unknown> };
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    on(event: 'grant.success' | 'grant.error' | 'grant.revoked', listener: (ctx: GrantContext, ...rest: unknown[]) => void): this;
    readonly AccessToken: { find(value: string): Promise<{ destroy(): Promise<void> } | undefined> };
    readonly RefreshToken: { find(value: string): Promise<{ destroy(): Promise<void> } | undefined> };
  }
}
