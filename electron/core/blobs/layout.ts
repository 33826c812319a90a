import { join } from 'node:path';

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * The content-addressed document store: `<store>/<first two hex>/<sha256>`. A provider's file
 * name is display text only and never reaches a path; only a verified hash does.
 */
export function blobPath(storeDir: string, sha256: string): string {
  if (!sha256Pattern.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256.slice(0, 80)}`);
  return join(storeDir, sha256.slice(0, 2), sha256);
}
