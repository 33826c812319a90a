import type { GrantType, ProviderId } from '../../../shared/domain.ts';

/** What the vault keeps for one account's current token pair. */
export interface TokenRecord {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** UTC ISO-8601; undefined when the provider did not say (a pasted token without an expiry). */
  readonly expiresAt: string | undefined;
  readonly obtainedAt: string;
  readonly grant: GrantType;
  readonly scope: string | undefined;
  /** The loopback redirect URI of the sign-in, which CareerPlug and InfoJobs want repeated on refresh. */
  readonly redirectUri: string | undefined;
}

/** The vault keys of one account. Every key starts with `accountKeyPrefix(id)`, so removing an account removes them all. */
export const accountKeyPrefix = (accountId: number): string => `account:${accountId}:`;
export const tokensKey = (accountId: number): string => `${accountKeyPrefix(accountId)}tokens`;
export const clientSecretKey = (accountId: number): string => `${accountKeyPrefix(accountId)}client_secret`;

/**
 * A token is treated as expired this long before its stated expiry, so a request never starts
 * with a token about to lapse; short-lived tokens get half their lifetime instead.
 */
export const expirySkewMs = 60_000;

/**
 * Whom a secret in the vault belongs to. A vault key names an account by its number, which says
 * nothing about where the secret may be sent; the binding does: the account's random identity, its
 * provider, and the issuer (the origin of its token endpoint, or the issuer it discovers them from).
 */
export interface SecretBinding {
  readonly accountUid: string;
  readonly provider: ProviderId;
  readonly issuer: string;
}

/** Why a secret found under an account's key was not used. */
export type BindingRefusal = 'unbound' | 'account' | 'provider' | 'issuer' | 'unreadable';

/** A stored entry read against the binding the reader expects: its value, or why it was refused. */
export type BoundEntry = { readonly value: unknown } | { readonly refused: BindingRefusal };

/** The stored form: the binding beside the value, in one vault write. */
export function bindSecret(binding: SecretBinding, value: unknown): string {
  return JSON.stringify({ binding, value });
}

/** Opens a stored entry if, and only if, it is bound to exactly `expected`; an entry without a binding (written before bindings existed) is refused. */
export function openBoundSecret(text: string, expected: SecretBinding): BoundEntry {
  let stored: { binding?: Partial<SecretBinding>; value?: unknown };
  try {
    stored = JSON.parse(text) as typeof stored;
  } catch {
    return { refused: 'unbound' };
  }
  if (stored === null || typeof stored !== 'object' || stored.binding === undefined || !('value' in stored)) return { refused: 'unbound' };
  if (stored.binding.accountUid !== expected.accountUid) return { refused: 'account' };
  if (stored.binding.provider !== expected.provider) return { refused: 'provider' };
  if (stored.binding.issuer !== expected.issuer) return { refused: 'issuer' };
  return { value: stored.value };
}

/** The token record inside an opened entry, or undefined when the value is not one. */
export function asTokenRecord(value: unknown): TokenRecord | undefined {
  const record = value as Partial<TokenRecord> | null;
  return record !== null && typeof record === 'object' && typeof record.accessToken === 'string' && record.accessToken.length > 0 ? (record as TokenRecord) : undefined;
}

export function isUsable(record: TokenRecord, now: Date = new Date()): boolean {
  if (record.expiresAt === undefined) return true;
  const expiresAt = Date.parse(record.expiresAt);
  const skew = Math.min(expirySkewMs, Math.max(0, (expiresAt - Date.parse(record.obtainedAt)) / 2));
  return expiresAt - skew > now.getTime();
}

/** The `exp` claim of a JWT access token (EconJobMarket's pasted tokens are RS256 JWTs), read without trusting it for anything but timing. */
export function jwtExpiry(token: string): Date | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? new Date(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
