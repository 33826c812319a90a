import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { blobPath } from '../../electron/core/blobs/layout.ts';
import { openDatabase } from '../../electron/core/storage/database.ts';

/** What must hold at every instant of a sync, however it ended: every recorded document is in the store, whole, under its hash. */
export function assertConsistent(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'dossier.db'));
  try {
    const store = join(dataDir, 'store');
    const recorded = db.prepare('SELECT d.sha256, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256').all() as { sha256: string; size: number }[];
    expect(db.prepare('SELECT count(*) FROM documents WHERE sha256 IS NOT NULL AND sha256 NOT IN (SELECT sha256 FROM blobs)').pluck().get()).toBe(0);
    for (const { sha256, size } of recorded) expect(statSync(blobPath(store, sha256)).size).toBe(size);
    expect(db.prepare("SELECT count(*) FROM downloads l JOIN documents d ON d.id = l.document_id WHERE l.state = 'verified' AND d.sha256 IS NULL").pluck().get()).toBe(0);
    // The store holds only whole files named by their hash; partial bytes live in tmp/ only.
    if (existsSync(store)) for (const dir of readdirSync(store)) for (const name of readdirSync(join(store, dir))) expect(name).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    db.close();
  }
}
