import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationSummary } from '../../electron/sandbox/ejm/mutate.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { addSandboxAccount, control, dumpCache, syncCore, type SyncCore } from './helpers.ts';

/**
 * Incremental EconJobMarket sync: after additions, changes, withdrawals and replaced documents
 * upstream, a re-sync equals a fresh full sync of the new state, marks what vanished as removed
 * upstream, fetches only the replaced and new documents, and never touches the reviewer's data.
 */

let emulator: StartedEjm;
let core: SyncCore;
let mutation: MutationSummary;
let fetchedAfterMutation = 0;

const live = (dump: Record<string, unknown[]>, table: string) => dump[table]?.filter((row) => !String(row).includes('"removed_at":"')) ?? [];

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 11 });
  core = await syncCore();
  const accountId = await addSandboxAccount(core, 'ejm', emulator.ready);
  const [first] = await core.engine.run({ documents: true });
  expect(first?.ok).toBe(true);
  const db = core.db;
  // The reviewer's own data on every application, including those about to be withdrawn.
  const now = new Date().toISOString();
  const tag = Number(db.prepare("INSERT INTO tags (name) VALUES ('strong')").run().lastInsertRowid);
  for (const appid of db.prepare('SELECT remote_id FROM applications').pluck().all() as string[]) {
    db.prepare("INSERT INTO reviews (account_id, application_remote_id, rating, status, note, updated_at) VALUES (?, ?, 4, 'shortlisted', 'read the JMP', ?)").run(accountId, appid, now);
    db.prepare('INSERT INTO review_tags (account_id, application_remote_id, tag_id) VALUES (?, ?, ?)').run(accountId, appid, tag);
  }
  mutation = (await control(emulator.ready.baseUrl, 'mutate', { count: 25, seed: 3 })) as MutationSummary;
  emulator.sandbox.stats.clear();
  const [second] = await core.engine.run({ documents: true });
  expect(second?.ok).toBe(true);
  fetchedAfterMutation = [...emulator.sandbox.stats.entries()].filter(([key]) => /^GET \/api\/(files|letters)\/\d+/.test(key)).reduce((sum, [, count]) => sum + count, 0);
}, 180_000);

afterAll(async () => {
  await core?.close();
  await emulator?.close();
});

describe('EconJobMarket incremental sync', () => {
  it('the mutation did something of every kind', () => {
    expect(mutation.added.applicants.length + mutation.added.applications.length).toBeGreaterThan(0);
    expect(mutation.deleted.applications.length).toBeGreaterThan(0);
    expect(mutation.replaced.files.length + mutation.replaced.letters.length).toBeGreaterThan(0);
  });

  it('equals a fresh full sync of the new state, apart from rows marked removed upstream', async () => {
    const fresh = await syncCore();
    try {
      await addSandboxAccount(fresh, 'ejm', emulator.ready);
      const [result] = await fresh.engine.run({ documents: true });
      expect(result?.ok).toBe(true);
      const incremental = dumpCache(core.db);
      const full = dumpCache(fresh.db);
      for (const table of ['applicants', 'applications', 'letters', 'interview_slots', 'jobs']) {
        const strip = (rows: unknown[]) => rows.map((row) => String(row).replace(/"id":\d+,/, '').replace(/"(job_id|applicant_id|document_id)":\d+/g, '"$1":1')).sort();
        expect(strip(live(incremental, table))).toEqual(strip(live(full, table)));
      }
      const liveDocuments = (db: SyncCore['db']) =>
        db.prepare("SELECT kind, remote_id, remote_version, sha256 FROM documents WHERE removed_at IS NULL ORDER BY kind, remote_id").all();
      expect(liveDocuments(core.db)).toEqual(liveDocuments(fresh.db));
    } finally {
      await fresh.close();
    }
  }, 120_000);

  it('marks withdrawn applications as removed upstream instead of deleting them', () => {
    const db = core.db;
    for (const appid of mutation.deleted.applications) {
      const row = db.prepare('SELECT removed_at FROM applications WHERE remote_id = ?').get(String(appid)) as { removed_at: string | null } | undefined;
      expect(row?.removed_at).toMatch(/Z$/);
    }
  });

  it('downloads only replaced and new documents', () => {
    const expected = mutation.replaced.files.length + mutation.replaced.letters.length + mutation.added.files.length + mutation.added.letters.length;
    expect(fetchedAfterMutation).toBeGreaterThan(0);
    expect(fetchedAfterMutation).toBeLessThanOrEqual(expected);
    const pending = core.db.prepare("SELECT count(*) FROM downloads l JOIN documents d ON d.id = l.document_id WHERE l.state <> 'verified' AND d.removed_at IS NULL").pluck().get();
    expect(pending).toBe(0);
  });

  it('never touches the reviewer’s ratings, notes and tags', () => {
    const db = core.db;
    const reviews = db.prepare("SELECT count(*) FROM reviews WHERE rating = 4 AND status = 'shortlisted' AND note = 'read the JMP'").pluck().get() as number;
    const applications = db.prepare('SELECT count(*) FROM applications WHERE id IN (SELECT id FROM applications)').pluck().get() as number;
    expect(reviews).toBe(applications - mutation.added.applications.length);
    expect(db.prepare('SELECT count(*) FROM review_tags').pluck().get()).toBe(reviews);
    for (const appid of mutation.deleted.applications) {
      expect(db.prepare('SELECT note FROM reviews WHERE application_remote_id = ?').pluck().get(String(appid))).toBe('read the JMP');
    }
  });
});
