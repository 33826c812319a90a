import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../electron/core/providers/kit/records.ts';
import type { LedgerEntry } from '../../electron/core/storage/downloads.ts';
import { Storage } from '../../electron/core/storage/storage.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function documentRow(remoteId: string, raw: unknown = { file_id: Number(remoteId) }): DocumentRecord {
  return { remoteId, remoteVersion: 'v1', raw, kind: 'cv', applicantRemoteId: null, applicationRemoteId: null, title: `File ${remoteId}`, fileName: null, mimeType: null, size: null, externalUrl: null, remoteSha1: null };
}

/** A real profile database with one account whose `count` documents all owe their bytes. */
function ledgerOf(count: number): { storage: Storage; accountId: number } {
  const folder = mkdtempSync(join(tmpdir(), 'dossier-ledger-'));
  folders.push(folder);
  const storage = Storage.open(join(folder, 'dossier.db'));
  const now = new Date().toISOString();
  const accountId = Number(
    storage.db
      .prepare(`INSERT INTO accounts (name, provider, base_url, grant_type, time_zone, state, created_at, updated_at) VALUES ('ejm', 'ejm', 'http://127.0.0.1:1/api/', 'client_credentials', 'UTC', 'signed_in', ?, ?)`)
      .run(now, now).lastInsertRowid,
  );
  const rows = Array.from({ length: count }, (_, index) => documentRow(String(index + 1)));
  storage.syncedRecords.write(accountId, { documents: { rows, complete: true } }, now);
  return { storage, accountId };
}

describe('the owed-downloads queue', () => {
  it('reads the ledger a page at a time: an entry is read when its page is reached, not when the queue is made', () => {
    const { storage, accountId } = ledgerOf(100);
    try {
      const queue = storage.downloads.owedQueue(accountId, 8);
      expect(queue.total).toBe(100);
      expect(storage.downloads.owedCount(accountId)).toBe(100);
      const first = queue.take();
      expect(first?.remoteId).toBe('1');
      // Changed after the first page was read: the 5th entry (in that page) comes as it was, the 50th as it is now.
      const rewrite = storage.db.prepare(`UPDATE documents SET raw_json = '{"changed":true}' WHERE account_id = ? AND remote_id = ?`);
      rewrite.run(accountId, '5');
      rewrite.run(accountId, '50');
      const taken: LedgerEntry[] = [];
      for (let entry = queue.take(); entry; entry = queue.take()) taken.push(entry);
      expect(taken.map((entry) => entry.remoteId)).toEqual(Array.from({ length: 99 }, (_, index) => String(index + 2)));
      expect(taken.find((entry) => entry.remoteId === '5')?.rawJson).toBe('{"file_id":5}');
      expect(taken.find((entry) => entry.remoteId === '50')?.rawJson).toBe('{"changed":true}');
    } finally {
      storage.close();
    }
  });

  it('offers each owed document once, in the ledger order, even when one fails and stays owed while the queue is read', () => {
    const { storage, accountId } = ledgerOf(20);
    try {
      const documentId = (remoteId: string) => Number(storage.db.prepare('SELECT id FROM documents WHERE account_id = ? AND remote_id = ?').pluck().get(accountId, remoteId));
      storage.downloads.recordFailure(documentId('3'), 'network.reset: earlier sync');
      const queue = storage.downloads.owedQueue(accountId, 4);
      const seen: string[] = [];
      for (let entry = queue.take(); entry; entry = queue.take()) {
        // A failure during this sync leaves the document owed (attempts left) without offering it again.
        if (entry.remoteId === '7') storage.downloads.recordFailure(entry.documentId, 'network.reset: this sync');
        seen.push(entry.remoteId);
      }
      // Pending first, then earlier failures with attempts left.
      expect(seen).toEqual([...Array.from({ length: 20 }, (_, index) => String(index + 1)).filter((id) => id !== '3'), '3']);
      expect(storage.downloads.owedCount(accountId)).toBe(20);
    } finally {
      storage.close();
    }
  });
});

describe('the synced-records writer, comparing each row with its stored one in SQL', () => {
  it('writes only what changed, keeps the first of a repeated key, and marks removed only what a complete list lacks', () => {
    const { storage, accountId } = ledgerOf(3);
    try {
      const idOf = (remoteId: string) => Number(storage.db.prepare('SELECT id FROM documents WHERE account_id = ? AND remote_id = ?').pluck().get(accountId, remoteId));
      const removedAt = (remoteId: string) => storage.db.prepare('SELECT removed_at FROM documents WHERE id = ?').pluck().get(idOf(remoteId));
      const write = (rows: DocumentRecord[], complete: boolean) => storage.syncedRecords.write(accountId, { documents: { rows, complete } }, new Date().toISOString());
      expect(write([documentRow('1'), documentRow('2'), documentRow('3')], true).changed.documents).toEqual([]);

      const changed = write([documentRow('1', { file_id: 1, name: 'new' }), documentRow('1', { file_id: 1, name: 'repeated' }), documentRow('3')], true);
      expect(changed.changed.documents.toSorted()).toEqual([idOf('1'), idOf('2')].toSorted());
      expect(changed.removed).toBe(1);
      expect(storage.db.prepare('SELECT raw_json FROM documents WHERE id = ?').pluck().get(idOf('1'))).toBe('{"file_id":1,"name":"new"}');
      expect(removedAt('2')).not.toBeNull();
      // Already marked removed: not marked (nor counted) again.
      expect(write([documentRow('1', { file_id: 1, name: 'new' }), documentRow('3')], true)).toEqual({ changed: expect.objectContaining({ documents: [] }) as unknown, removed: 0 });

      // An unfinished list removes nothing; a row back in a list is restored.
      const partial = write([documentRow('2')], false);
      expect(partial).toEqual({ changed: expect.objectContaining({ documents: [idOf('2')] }) as unknown, removed: 0 });
      expect(removedAt('2')).toBeNull();
      expect(removedAt('1')).toBeNull();
    } finally {
      storage.close();
    }
  });
});
