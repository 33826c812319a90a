import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { inviteDerivation } from '../../../shared/committee.ts';

/**
 * The committee's cryptography (docs/decisions/0018-committee-review.md). Values in the shared
 * document are sealed with AES-256-GCM under a key derived from the committee key, with a fresh
 * 96-bit IV and the value's place in the document as associated data (so nobody can move a sealed
 * rating onto another candidate); candidates are named by an HMAC of the provider's application id
 * under a second derived key. The committee key itself is used for nothing but deriving these.
 */

const ivBytes = 12;
const tagBytes = 16;

/** A 128-bit random id as base64url (22 characters): committees, members, invites, messages. */
export const randomId = (): string => randomBytes(16).toString('base64url');
/** A 256-bit random secret as base64url (43 characters). */
export const randomSecret = (): string => randomBytes(32).toString('base64url');
export const newCommitteeKey = (): Buffer => randomBytes(32);

interface DerivedKeys {
  readonly seal: Buffer;
  readonly names: Buffer;
}

/** Derived once per committee key object: the tally opens thousands of values. */
const derivedCache = new WeakMap<Uint8Array, DerivedKeys>();

function derived(committeeKey: Uint8Array): DerivedKeys {
  let keys = derivedCache.get(committeeKey);
  if (keys === undefined) {
    if (committeeKey.length !== 32) throw new Error('A committee key is 32 bytes.');
    keys = {
      seal: createHmac('sha256', committeeKey).update('dossier-committee-seal:v1').digest(),
      names: createHmac('sha256', committeeKey).update('dossier-committee-names:v1').digest(),
    };
    derivedCache.set(committeeKey, keys);
  }
  return keys;
}

/** base64url(iv ‖ ciphertext ‖ tag), with `place` bound in as associated data. */
function sealBytes(key: Uint8Array, plaintext: Uint8Array, place: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(place, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Opens what sealBytes made; throws on a wrong key, a wrong place or a changed byte. */
function openBytes(key: Uint8Array, sealed: string, place: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < ivBytes + tagBytes) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes));
  decipher.setAAD(Buffer.from(place, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
  return Buffer.concat([decipher.update(bytes.subarray(ivBytes, bytes.length - tagBytes)), decipher.final()]);
}

export function sealJson(committeeKey: Uint8Array, value: unknown, place: string): string {
  return sealBytes(derived(committeeKey).seal, Buffer.from(JSON.stringify(value), 'utf8'), place);
}

export function openJson(committeeKey: Uint8Array, sealed: string, place: string): unknown {
  return JSON.parse(openBytes(derived(committeeKey).seal, sealed, place).toString('utf8')) as unknown;
}

/** How the document names a candidate: an HMAC of the provider's application id, so the server never sees the id. */
export function candidateKey(committeeKey: Uint8Array, applicationRemoteId: string): string {
  return createHmac('sha256', derived(committeeKey).names).update(applicationRemoteId, 'utf8').digest('base64url');
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** What an invite token stands for: the proof the server checks by its hash, and the key that unwraps the committee key. */
export function inviteSecrets(token: string): { proof: string; proofHash: string; wrapKey: Buffer } {
  const proof = sha256(inviteDerivation.proof + token).toString('base64url');
  return { proof, proofHash: sha256(proof).toString('base64url'), wrapKey: sha256(inviteDerivation.wrap + token) };
}

const wrapPlace = 'dossier-committee-key:v1';

export function wrapCommitteeKey(wrapKey: Uint8Array, committeeKey: Uint8Array): string {
  return sealBytes(wrapKey, committeeKey, wrapPlace);
}

export function unwrapCommitteeKey(wrapKey: Uint8Array, wrapped: string): Buffer {
  const key = openBytes(wrapKey, wrapped, wrapPlace);
  if (key.length !== 32) throw new Error('the unwrapped committee key is not 32 bytes');
  return key;
}
