import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * EconJobMarket access tokens: JWTs with header {"typ":"JWT","alg":"RS256"}, really signed, with the
 * documented payload fields. The emulator remembers every token it minted so it can revoke them.
 */

export const documentedLifetimeSeconds = 3600;

interface Minted {
  readonly expiresAt: number;
  revoked: boolean;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenIssuer {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #minted = new Map<string, Minted>();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
  }

  mint(clientId: string, lifetimeSeconds: number): string {
    const iat = Math.floor(Date.now() / 1000);
    const jti = randomBytes(20).toString('hex');
    const payload = { id: jti, jti, iss: '', aud: `${clientId}@backend`, sub: `${clientId}@backend`, exp: iat + lifetimeSeconds, iat, token_type: 'bearer', scope: 'basic' };
    const signingInput = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256' }))}.${base64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.#privateKey);
    this.#minted.set(jti, { expiresAt: payload.exp * 1000, revoked: false });
    return `${signingInput}.${base64url(signature)}`;
  }

  /** True for a token this emulator signed, not expired and not revoked. */
  valid(token: string): boolean {
    const jti = this.#verifiedJti(token);
    const minted = jti === null ? undefined : this.#minted.get(jti);
    return minted !== undefined && !minted.revoked && minted.expiresAt > Date.now();
  }

  /** Revokes one token, or every token minted so far when none is given; returns how many. */
  revoke(token?: string): number {
    const targets = token === undefined ? [...this.#minted.values()] : [this.#minted.get(this.#verifiedJti(token) ?? '')].filter((entry) => entry !== undefined);
    for (const entry of targets) entry.revoked = true;
    return targets.length;
  }

  publicKeyPem(): string {
    return this.#publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  #verifiedJti(token: string): string | null {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || signature === undefined) return null;
    const verified = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(this.#publicKey, Buffer.from(signature, 'base64url'));
    if (!verified) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti?: unknown };
      return typeof claims.jti === 'string' ? claims.jti : null;
    } catch {
      return null;
    }
  }
}
