import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import * as Y from 'yjs';
import type { CreateInviteRequest, MemberRole } from '../../shared/committee.ts';

/**
 * Everything the committee server keeps, in one SQLite file: committees, members (the SHA-256 of
 * their keys only), invites (the SHA-256 of their proofs, and the committee key sealed with a key
 * the server never sees), and each committee's Yjs document. This is the one file of the server
 * that knows SQL. Several server instances may open the same file: every write is a short
 * transaction, and documents are only ever merged into, never overwritten.
 */

export interface StoredMember {
  readonly memberId: string;
  readonly committeeId: string;
  readonly role: MemberRole;
  /** SHA-256 of the member's authKey: the key itself never reaches the disk. */
  readonly keyHash: Buffer;
  readonly joinedAt: string;
  readonly revokedAt: string | null;
}

export interface StoredInvite {
  readonly inviteId: string;
  readonly committeeId: string;
  readonly proofHash: string;
  readonly wrappedKey: string;
  readonly role: MemberRole;
  readonly expiresAt: string;
  readonly redeemedBy: string | null;
  readonly cancelled: boolean;
  readonly wrongProofs: number;
}

const schema = `
CREATE TABLE IF NOT EXISTS committees (
  committee_id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  member_id TEXT PRIMARY KEY,
  committee_id TEXT NOT NULL REFERENCES committees(committee_id),
  role TEXT NOT NULL CHECK (role IN ('chair', 'member')),
  key_hash BLOB NOT NULL,
  joined_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS members_by_committee ON members(committee_id);
CREATE TABLE IF NOT EXISTS invites (
  invite_id TEXT PRIMARY KEY,
  committee_id TEXT NOT NULL REFERENCES committees(committee_id),
  proof_hash TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('chair', 'member')),
  expires_at TEXT NOT NULL,
  redeemed_by TEXT,
  cancelled INTEGER NOT NULL DEFAULT 0,
  wrong_proofs INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS invites_by_committee ON invites(committee_id);
CREATE TABLE IF NOT EXISTS documents (
  committee_id TEXT PRIMARY KEY REFERENCES committees(committee_id),
  state BLOB NOT NULL,
  stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  committee_id TEXT NOT NULL REFERENCES committees(committee_id),
  update_data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS document_updates_by_committee ON document_updates(committee_id, id);
`;

interface MemberRecord { member_id: string; committee_id: string; role: MemberRole; key_hash: Buffer; joined_at: string; revoked_at: string | null }
interface InviteRecord {
  invite_id: string; committee_id: string; proof_hash: string; wrapped_key: string; role: MemberRole; expires_at: string;
  redeemed_by: string | null; cancelled: number; wrong_proofs: number;
}

const memberOf = (record: MemberRecord): StoredMember => ({
  memberId: record.member_id, committeeId: record.committee_id, role: record.role, keyHash: record.key_hash, joinedAt: record.joined_at, revokedAt: record.revoked_at,
});
const inviteOf = (record: InviteRecord): StoredInvite => ({
  inviteId: record.invite_id, committeeId: record.committee_id, proofHash: record.proof_hash, wrappedKey: record.wrapped_key, role: record.role,
  expiresAt: record.expires_at, redeemedBy: record.redeemed_by, cancelled: record.cancelled === 1, wrongProofs: record.wrong_proofs,
});

export interface CommitteeStore {
  /** Opens a committee with its chair; false when the committee id is taken. */
  createCommittee(committeeId: string, chairId: string, chairKeyHash: Buffer, now: string): boolean;
  committeeExists(committeeId: string): boolean;
  member(memberId: string): StoredMember | undefined;
  members(committeeId: string): StoredMember[];
  /** Marks a member revoked; false when it was revoked already (the first time is kept). */
  revokeMember(committeeId: string, memberId: string, now: string): boolean;
  /** Adds an invite; false when its id is taken. */
  createInvite(committeeId: string, invite: CreateInviteRequest): boolean;
  invite(committeeId: string, inviteId: string): StoredInvite | undefined;
  invites(committeeId: string): StoredInvite[];
  cancelInvite(committeeId: string, inviteId: string): void;
  /** Counts a wrong proof; at `limit` the invite is cancelled. */
  countWrongProof(committeeId: string, inviteId: string, limit: number): void;
  /**
   * Marks the invite used and adds its member in one transaction, so two redeemers racing (on two
   * instances) cannot both win: false when it was no longer open.
   */
  redeemInvite(committeeId: string, inviteId: string, memberId: string, role: MemberRole, keyHash: Buffer, now: string): boolean;
  /** Appends one Yjs update as it arrives, before the member is told it arrived. */
  appendUpdate(committeeId: string, update: Uint8Array): void;
  /** The committee's document: its compacted state merged with every update appended since; null when it has none. */
  loadDocument(committeeId: string): Uint8Array | null;
  /**
   * Compacts: the stored state, the appended updates and what this instance holds in memory are
   * merged into one state and the updates it now contains are dropped, in one transaction (an
   * instance appending meanwhile waits, and its update is kept for the next compaction). Merging,
   * never overwriting, is what lets two instances share the file.
   */
  compactDocument(committeeId: string, inMemory: Uint8Array, now: string): void;
  close(): void;
}

/** Opens (creating if needed) the server's database at `file`: WAL, a busy timeout for a second instance, owner-only. */
export function openCommitteeStore(file: string): CommitteeStore {
  // Members' key hashes and the sealed committee keys live here: owner-only, like the app's own database.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  // FULL: an appended update is on disk, not only in the WAL's page cache, before it is acknowledged.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.exec(schema);

  const statements = {
    createCommittee: db.prepare('INSERT OR IGNORE INTO committees (committee_id, created_at) VALUES (?, ?)'),
    addMember: db.prepare('INSERT INTO members (member_id, committee_id, role, key_hash, joined_at) VALUES (?, ?, ?, ?, ?)'),
    committeeExists: db.prepare('SELECT 1 FROM committees WHERE committee_id = ?'),
    member: db.prepare('SELECT * FROM members WHERE member_id = ?'),
    members: db.prepare('SELECT * FROM members WHERE committee_id = ? ORDER BY joined_at, member_id'),
    revoke: db.prepare('UPDATE members SET revoked_at = ? WHERE committee_id = ? AND member_id = ? AND revoked_at IS NULL'),
    createInvite: db.prepare('INSERT OR IGNORE INTO invites (invite_id, committee_id, proof_hash, wrapped_key, role, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
    invite: db.prepare('SELECT * FROM invites WHERE committee_id = ? AND invite_id = ?'),
    invites: db.prepare('SELECT * FROM invites WHERE committee_id = ? ORDER BY expires_at, invite_id'),
    cancelInvite: db.prepare('UPDATE invites SET cancelled = 1 WHERE committee_id = ? AND invite_id = ?'),
    wrongProof: db.prepare('UPDATE invites SET wrong_proofs = wrong_proofs + 1, cancelled = CASE WHEN wrong_proofs + 1 >= ? THEN 1 ELSE cancelled END WHERE committee_id = ? AND invite_id = ?'),
    claimInvite: db.prepare('UPDATE invites SET redeemed_by = ? WHERE committee_id = ? AND invite_id = ? AND redeemed_by IS NULL AND cancelled = 0 AND expires_at > ?'),
    appendUpdate: db.prepare('INSERT INTO document_updates (committee_id, update_data) VALUES (?, ?)'),
    state: db.prepare('SELECT state FROM documents WHERE committee_id = ?'),
    updates: db.prepare('SELECT id, update_data FROM document_updates WHERE committee_id = ? ORDER BY id'),
    storeState: db.prepare('INSERT INTO documents (committee_id, state, stored_at) VALUES (?, ?, ?) ON CONFLICT (committee_id) DO UPDATE SET state = excluded.state, stored_at = excluded.stored_at'),
    dropUpdates: db.prepare('DELETE FROM document_updates WHERE committee_id = ? AND id <= ?'),
  };

  const merged = (committeeId: string): { merged: Uint8Array | null; lastUpdateId: number } => {
    const stored = statements.state.get(committeeId) as { state: Buffer } | undefined;
    const updates = statements.updates.all(committeeId) as { id: number; update_data: Buffer }[];
    const parts = [...(stored === undefined ? [] : [stored.state]), ...updates.map((row) => row.update_data)].map((part) => new Uint8Array(part));
    return { merged: parts.length === 0 ? null : Y.mergeUpdates(parts), lastUpdateId: updates.at(-1)?.id ?? 0 };
  };

  return {
    createCommittee: (committeeId, chairId, chairKeyHash, now) => db.transaction(() => {
      if (statements.createCommittee.run(committeeId, now).changes === 0) return false;
      statements.addMember.run(chairId, committeeId, 'chair', chairKeyHash, now);
      return true;
    }).immediate(),
    committeeExists: (committeeId) => statements.committeeExists.get(committeeId) !== undefined,
    member: (memberId) => {
      const record = statements.member.get(memberId) as MemberRecord | undefined;
      return record === undefined ? undefined : memberOf(record);
    },
    members: (committeeId) => (statements.members.all(committeeId) as MemberRecord[]).map(memberOf),
    revokeMember: (committeeId, memberId, now) => statements.revoke.run(now, committeeId, memberId).changes === 1,
    createInvite: (committeeId, invite) =>
      statements.createInvite.run(invite.inviteId, committeeId, invite.proofHash, invite.wrappedKey, invite.role, invite.expiresAt).changes === 1,
    invite: (committeeId, inviteId) => {
      const record = statements.invite.get(committeeId, inviteId) as InviteRecord | undefined;
      return record === undefined ? undefined : inviteOf(record);
    },
    invites: (committeeId) => (statements.invites.all(committeeId) as InviteRecord[]).map(inviteOf),
    cancelInvite: (committeeId, inviteId) => void statements.cancelInvite.run(committeeId, inviteId),
    countWrongProof: (committeeId, inviteId, limit) => void statements.wrongProof.run(limit, committeeId, inviteId),
    redeemInvite: (committeeId, inviteId, memberId, role, keyHash, now) => db.transaction(() => {
      // expires_at and now are both ISO-8601 in UTC, so they compare as text.
      if (statements.claimInvite.run(memberId, committeeId, inviteId, now).changes === 0) return false;
      statements.addMember.run(memberId, committeeId, role, keyHash, now);
      return true;
    }).immediate(),
    appendUpdate: (committeeId, update) => void statements.appendUpdate.run(committeeId, update),
    loadDocument: (committeeId) => db.transaction(() => merged(committeeId).merged)(),
    compactDocument: (committeeId, inMemory, now) => db.transaction(() => {
      const { merged: stored, lastUpdateId } = merged(committeeId);
      statements.storeState.run(committeeId, stored === null ? inMemory : Y.mergeUpdates([stored, inMemory]), now);
      statements.dropUpdates.run(committeeId, lastUpdateId);
    }).immediate(),
    close: () => db.close(),
  };
}
