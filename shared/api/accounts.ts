import { z } from 'zod';
import { Account, Capabilities, GrantType, HttpUrl, Id, ProviderId, RedirectPort, TimeZone } from '../domain.ts';
import { endpoint } from './define.ts';

const AccountName = z.string().trim().min(1, 'give the account a name').max(80);

/** The largest provider manifest Dossier reads, in characters: far above any real one, small enough to check at once. */
export const manifestMaxChars = 256 * 1024;

/** The name of a manifest that ships with Dossier (build/manifests/<name>.json). */
export const BundledManifestName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'is not the name of a bundled manifest');

/**
 * A provider manifest for a generic OAuth 2.0 account (docs/providers/manifests.md): the text of a
 * file the user chose, sent as it is (the core parses and checks it; the UI never does), or one
 * that ships with Dossier, by name.
 */
export const ManifestChoice = z.union([
  z.object({ text: z.string().min(1, 'the manifest file is empty').max(manifestMaxChars, `a manifest is at most ${manifestMaxChars / 1024} KiB`), fileName: z.string().trim().min(1).max(255) }),
  z.object({ bundled: BundledManifestName }),
]);

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
  /** The manifest a generic OAuth 2.0 account syncs by; its auth section fills the sign-in settings not given here. */
  manifest: ManifestChoice.optional(),
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

/** What a manifest describes, as `manifests.check` and `dossier manifest check` show it. */
export const ManifestSummary = z.object({
  name: z.string(),
  fileName: z.string(),
  documentation: z.string().nullable(),
  baseUrl: z.string(),
  auth: z.object({
    type: z.enum(['oauth2', 'token']),
    grant: GrantType,
    issuer: z.string().nullable(),
    tokenUrl: z.string().nullable(),
    authorizeUrl: z.string().nullable(),
    scope: z.string().nullable(),
    redirect: RedirectRule,
    /** Where the token goes on each request, in words ("header Authorization: Bearer …"). */
    placement: z.string(),
  }),
  resources: z.array(z.object({
    name: z.string(),
    /** The endpoint, or where its records are found ("within applicants"). */
    source: z.string(),
    paging: z.string(),
    incremental: z.boolean(),
    fields: z.array(z.string()),
  })),
  capabilities: Capabilities,
});

/** A manifest that ships with Dossier, as the add-account form offers it. */
export const BundledManifest = z.object({ id: BundledManifestName, name: z.string(), documentation: z.string().nullable() });

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
  /** The manifests that ship with Dossier (build/manifests/). */
  'manifests.bundled': endpoint({ input: z.object({}), result: z.array(BundledManifest), errors: [] }),
  /** Checks a manifest and says what it describes; an invalid one is an `input.invalid` naming the file and the path. */
  'manifests.check': endpoint({ input: z.object({ manifest: ManifestChoice }), result: ManifestSummary, errors: ['input.invalid'] }),
  'auth.login': endpoint({
    input: z.object({ id: Id, token: z.string().min(1).max(8192).optional() }),
    result: Account,
    errors: ['account.not_found', 'input.invalid', 'auth.invalid_client', 'auth.revoked', 'auth.invalid_grant', 'auth.access_denied', 'auth.state_mismatch', 'auth.cancelled', 'auth.timeout', 'auth.redirect_port_busy', 'auth.ip_not_allowed', 'auth.not_provisioned', 'provider.throttled', 'provider.unavailable', 'provider.malformed_response', 'network.unreachable'],
  }),
  'auth.cancel': endpoint({ input: z.object({ id: Id }), result: z.object({ cancelled: z.boolean() }), errors: [] }),
  'auth.logout': endpoint({ input: z.object({ id: Id }), result: Account, errors: ['account.not_found'] }),
};
