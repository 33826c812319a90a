import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openCommitteeStore } from '../../electron/committee-server/store.ts';

/**
 * The committee server's documents when two instances share one SQLite file (two connections on a
 * real file, as two processes have): what one appended and what the other holds in memory are
 * merged when either compacts, never overwritten.
 */

const folder = mkdtempSync(join(tmpdir(), 'dossier-committee-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const committeeId = 'c'.repeat(22);

function docWith(entries: Record<string, string>): Y.Doc {
  const doc = new Y.Doc();
  for (const [key, value] of Object.entries(entries)) doc.getMap('entries').set(key, value);
  return doc;
}

function entriesOf(state: Uint8Array | null): Record<string, unknown> {
  const doc = new Y.Doc();
  if (state !== null) Y.applyUpdate(doc, state);
  return doc.getMap('entries').toJSON();
}

describe('committee server storage shared by two instances', () => {
  it('merges appended updates and another instance’s compaction instead of overwriting either', () => {
    const file = join(folder, 'committee-server.sqlite');
    const one = openCommitteeStore(file);
    const two = openCommitteeStore(file);
    try {
      expect(one.createCommittee(committeeId, 'm'.repeat(22), Buffer.alloc(32), new Date().toISOString())).toBe(true);

      // Instance one receives an edit and appends it; instance two, which never saw it, compacts its own document.
      one.appendUpdate(committeeId, Y.encodeStateAsUpdate(docWith({ fromOne: 'appended on one' })));
      two.compactDocument(committeeId, Y.encodeStateAsUpdate(docWith({ fromTwo: 'in memory on two' })), new Date().toISOString());
      expect(entriesOf(one.loadDocument(committeeId))).toEqual({ fromOne: 'appended on one', fromTwo: 'in memory on two' });

      // And the other way round: instance one compacts a document that lacks what two compacted.
      one.compactDocument(committeeId, Y.encodeStateAsUpdate(docWith({ laterOnOne: 'compacted on one' })), new Date().toISOString());
      expect(entriesOf(two.loadDocument(committeeId))).toEqual({ fromOne: 'appended on one', fromTwo: 'in memory on two', laterOnOne: 'compacted on one' });
    } finally {
      one.close();
      two.close();
    }
  });
});
