import type { GrantType } from '../../../shared/domain.ts';
import type { Vault } from './vault.ts';

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

export async function readTokens(vault: Vault, accountId: number): Promise<TokenRecord | undefined> {
  const text = await vault.get(tokensKey(accountId));
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as TokenRecord;
    return typeof record.accessToken === 'string' && record.accessToken.length > 0 ? record : undefined;
  } catch {
    return undefined;
  }
}

/** One vault write holds the whole pair, so a rotated refresh token and its access token are saved together or not at all. */
export async function writeTokens(vault: Vault, accountId: number, record: TokenRecord): Promise<void> {
  await vault.set(tokensKey(accountId), JSON.stringify(record));
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
