import { z } from 'zod';
import { Account, Capabilities, GrantType, HttpUrl, Id, ProviderId, RedirectPort, TimeZone } from '../domain.ts';
import { endpoint } from './define.ts';

const AccountName = z.string().trim().min(1, 'give the account a name').max(80);

export const AccountInput = z.object({
  provider: ProviderId,
  name: AccountName,
  baseUrl: HttpUrl.optional(),
  tokenUrl: HttpUrl.optional(),
  authorizeUrl: HttpUrl.optional(),
  clientId: z.string().trim().min(1).max(512).optional(),
  /** Travels to the vault only; never stored in the database or echoed back. */
  clientSecret: z.string().min(1).max(4096).optional(),
  grant: GrantType.optional(),
  scope: z.string().max(1024).optional(),
  timeZone: TimeZone.optional(),
  /**
   * The loopback port of the browser sign-in, kept for every sign-in of the account: a number the
   * user registered, `auto` (a free one, picked once), or `any` (a new one each time, RFC 8252 §7.3;
   * refused for a provider that registers redirect URIs). Absent: the provider's need decides.
   */
  redirectPort: z.union([RedirectPort, z.literal('auto'), z.literal('any')]).optional(),
});

/** How a provider treats the redirect URI of a browser sign-in (the provider catalogue's `redirect`). */
export const RedirectRule = z.enum(['registered', 'any-loopback-port']);

/**
 * What removing an account did at the provider (RFC 7009): revoked its tokens, could not (the
 * message says why), has no revocation endpoint, or there was no sign-in. Removal itself always completes.
 */
export const RevocationOutcome = z.enum(['revoked', 'not_revoked', 'no_endpoint', 'not_signed_in']);
export type RevocationOutcome = z.infer<typeof RevocationOutcome>;
export const AccountRemoval = z.object({
  removed: z.boolean(),
  revocation: z.object({ outcome: RevocationOutcome, message: z.string() }),
});

/**
 * A browser sign-in is waiting: the address the user opens (the system browser was asked to open
 * it; where none opens, the UI offers it to copy). It carries no secret: PKCE keeps the verifier home.
 */
export const AuthWaiting = z.object({ accountId: Id, authorizeUrl: HttpUrl });

export const accountsApi = {
  'accounts.list': endpoint({ input: z.object({}), result: z.array(Account), errors: [] }),
  'accounts.add': endpoint({ input: AccountInput, result: Account, errors: ['input.invalid', 'account.exists'] }),
  'accounts.update': endpoint({
    input: AccountInput.partial().extend({ id: Id }),
    result: Account,
    errors: ['input.invalid', 'account.not_found', 'account.exists'],
  }),
  'accounts.remove': endpoint({ input: z.object({ id: Id }), result: AccountRemoval, errors: ['account.not_found'] }),
  'accounts.capabilities': endpoint({ input: z.object({ provider: ProviderId }), result: Capabilities, errors: [] }),
  /** What onboarding shows for each provider: its name, where to find the values it needs, what it offers. */
  'accounts.providers': endpoint({
    input: z.object({}),
    result: z.array(z.object({ id: ProviderId, label: z.string(), setupHelp: z.string(), dataSide: z.string().nullable(), capabilities: Capabilities, redirect: RedirectRule, redirectSetting: z.string().nullable() })),
    errors: [],
  }),
  'auth.login': endpoint({
    input: z.object({ id: Id, token: z.string().min(1).max(8192).optional() }),
    result: Account,
    errors: ['account.not_found', 'input.invalid', 'auth.invalid_client', 'auth.revoked', 'auth.invalid_grant', 'auth.access_denied', 'auth.state_mismatch', 'auth.cancelled', 'auth.timeout', 'auth.redirect_port_busy', 'auth.ip_not_allowed', 'auth.not_provisioned', 'provider.throttled', 'provider.unavailable', 'provider.malformed_response', 'network.unreachable'],
  }),
  'auth.cancel': endpoint({ input: z.object({ id: Id }), result: z.object({ cancelled: z.boolean() }), errors: [] }),
  'auth.logout': endpoint({ input: z.object({ id: Id }), result: Account, errors: ['account.not_found'] }),
};
