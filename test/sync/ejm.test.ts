import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { blobPath } from '../../electron/core/blobs/layout.ts';
import { addSandboxAccount, control, dumpCache, dumpStore, referenceSync, setFaults, syncCore, type SyncCore } from './helpers.ts';

/**
 * Full and incremental EconJobMarket syncs over real HTTP against the emulator (small scale:
 * 30 applicants, 36 applications, about 230 documents), through the real session (token minted
 * at the emulator's token endpoint).
 */

let emulator: StartedEjm;
let reference: SyncCore;
let referenceDump: Record<string, unknown[]>;
let referenceStore: Record<string, string>;

const documentRequests = (sandbox: StartedEjm['sandbox']) =>
  [...sandbox.stats.entries()].filter(([key]) => /^GET \/api\/(files|letters)\/\d+/.test(key)).reduce((sum, [, count]) => sum + count, 0);

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 7 });
  ({ core: reference, dump: referenceDump, store: referenceStore } = await referenceSync(emulator.ready));
}, 120_000);

afterAll(async () => {
  await reference?.close();
  await emulator?.close();
});

describe('EconJobMarket full sync', () => {
  it('caches every applicant, application, file, letter and interview slot the API lists', () => {
    const summary = emulator.emulator.summary() as { applicants: number; applications: number; files: number; letters: number; slots: number; externalLinks: number[]; pendingLetters: number[] };
    const db = reference.db;
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    expect(count('SELECT count(*) FROM applicants WHERE removed_at IS NULL')).toBe(summary.applicants);
    expect(count('SELECT count(*) FROM applications WHERE removed_at IS NULL')).toBe(summary.applications);
    expect(count("SELECT count(*) FROM documents WHERE kind <> 'letter'")).toBe(summary.files);
    expect(count("SELECT count(*) FROM documents WHERE kind = 'letter'")).toBe(summary.letters - summary.pendingLetters.length);
    expect(count('SELECT count(*) FROM interview_slots')).toBe(summary.slots);
    expect(count("SELECT count(*) FROM documents WHERE kind = 'link' AND external_url LIKE 'http%' AND sha256 IS NULL")).toBe(summary.externalLinks.length);
    expect(count("SELECT count(*) FROM downloads WHERE state <> 'verified'")).toBe(0);
    // Letters not uploaded yet are cached as letters without a document.
    expect(count('SELECT count(*) FROM letters WHERE document_id IS NULL')).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM letters WHERE document_id IS NOT NULL')).toBeGreaterThan(0);
  });

  it('stores each document under its sha256, matching the sha1 EconJobMarket states', () => {
    const db = reference.db;
    const documents = db.prepare("SELECT sha256, remote_sha1, size FROM documents WHERE sha256 IS NOT NULL").all() as { sha256: string; remote_sha1: string | null; size: number }[];
    expect(documents.length).toBeGreaterThan(100);
    for (const document of documents) {
      const bytes = readFileSync(blobPath(reference.core.paths.store, document.sha256));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(document.sha256);
      if (document.remote_sha1) expect(createHash('sha1').update(bytes).digest('hex')).toBe(document.remote_sha1);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    expect(Object.keys(referenceStore).length).toBe(db.prepare('SELECT count(*) FROM blobs').pluck().get());
  });

  it('reads zoneless dates in the account zone and stores UTC', () => {
    const db = reference.db;
    const row = db.prepare('SELECT applied_at, raw_json FROM applications LIMIT 1').get() as { applied_at: string; raw_json: string };
    const local = (JSON.parse(row.raw_json) as { appdate: string }).appdate;
    const expected = new Date(`${local.replace(' ', 'T')}-07:00`).getTime();
    // America/Los_Angeles is UTC-7 in summer and UTC-8 in winter.
    expect([expected, expected + 3_600_000]).toContain(new Date(row.applied_at).getTime());
    expect(row.applied_at).toMatch(/Z$/);
  });

  it('indexes names, institutions, answers, letter writers and PDF text for ranked, highlighted search', () => {
    const db = reference.db;
    const { search } = reference.core.services;
    const applicant = db.prepare('SELECT last_name, institution FROM applicants WHERE last_name IS NOT NULL LIMIT 1').get() as { last_name: string; institution: string };
    const byName = search.query(applicant.last_name, 10);
    expect(byName.length).toBeGreaterThan(0);
    expect(byName[0]?.snippet ?? byName[0]?.title).toBeTruthy();
    expect(byName.some((hit) => hit.title.includes(applicant.last_name) && hit.applicationId !== null)).toBe(true);
    const writer = db.prepare('SELECT writer_name FROM letters LIMIT 1').pluck().get() as string;
    expect(search.query(writer, 50).some((hit) => hit.kind === 'letter')).toBe(true);
    const documentText = db.prepare('SELECT text FROM document_texts WHERE length(text) > 200 LIMIT 1').pluck().get() as string;
    const word = documentText.split(/\s+/).find((candidate) => /^[a-z]{7,}$/i.test(candidate)) as string;
    const inDocuments = search.query(word, 50).filter((hit) => hit.kind === 'document');
    expect(inDocuments.length).toBeGreaterThan(0);
    expect(inDocuments[0]?.snippet).toContain('\uE000');
    expect(inDocuments[0]?.snippet).toContain('\uE001');
    expect(inDocuments[0]?.documentId).not.toBe(null);
  });

  it('re-syncs an unchanged account without downloading any document or changing any row', async () => {
    emulator.sandbox.stats.clear();
    const [result] = await reference.engine.run({ documents: true });
    expect(result?.ok).toBe(true);
    expect(documentRequests(emulator.sandbox)).toBe(0);
    expect(result?.counts).toMatchObject({ applicants: 0, applications: 0, documents: 0, letters: 0, downloaded: 0 });
    expect(dumpCache(reference.db)).toEqual(referenceDump);
  }, 60_000);

  it('extracts the text of stored documents that have none (a sync killed before extraction) without downloading them again', async () => {
    const db = reference.db;
    const { search } = reference.core.services;
    const texts = db.prepare('SELECT sha256, text FROM document_texts ORDER BY sha256').all();
    expect(texts.length).toBe(db.prepare('SELECT count(DISTINCT sha256) FROM documents WHERE sha256 IS NOT NULL').pluck().get());
    // Not letters: a letter's record hit stands for its file in the results, and this checks the file's own text.
    const lost = db.prepare("SELECT sha256 FROM document_texts WHERE length(text) > 200 AND sha256 NOT IN (SELECT sha256 FROM documents WHERE kind = 'letter' AND sha256 IS NOT NULL) ORDER BY sha256 LIMIT 10").pluck().all() as string[];
    const word = (db.prepare('SELECT text FROM document_texts WHERE sha256 = ?').pluck().get(lost[0]) as string).split(/\s+/).find((candidate) => /^[a-z]{7,}$/i.test(candidate)) as string;
    for (const sha256 of lost) db.prepare('DELETE FROM document_texts WHERE sha256 = ?').run(sha256);
    emulator.sandbox.stats.clear();
    const [result] = await reference.engine.run({ documents: true });
    expect(result?.ok).toBe(true);
    expect(documentRequests(emulator.sandbox)).toBe(0);
    expect(db.prepare('SELECT sha256, text FROM document_texts ORDER BY sha256').all()).toEqual(texts);
    const lostDocument = db.prepare('SELECT id FROM documents WHERE sha256 = ?').pluck().get(lost[0]) as number;
    expect(search.query(word, 500).some((hit) => hit.kind === 'document' && hit.documentId === lostDocument)).toBe(true);
  }, 60_000);

  it('reports progress with phases, counts and bytes, and a finished event', () => {
    const progress = reference.on('sync.progress');
    const phases = new Set(progress.map((event) => event.phase));
    for (const phase of ['auth', 'applications', 'interviews', 'index', 'documents', 'done']) expect(phases).toContain(phase);
    const documents = progress.filter((event) => event.phase === 'documents');
    expect(documents.at(-1)?.done).toBe(documents.at(-1)?.total);
    expect(Math.max(...progress.map((event) => event.bytes))).toBeGreaterThan(1_000_000);
    expect(reference.on('sync.finished').every((event) => event.ok)).toBe(true);
  });
});

describe('cancelling a sync', () => {
  it('stops mid-download when cancelled, keeps every verified document, and the next sync finishes the rest', async () => {
    const core = await syncCore();
    try {
      const accountId = await addSandboxAccount(core, 'ejm', emulator.ready);
      const finished = new Promise((resolve) => core.core.events.on('sync.finished', resolve));
      const stopWatching = core.core.events.on('sync.progress', (event) => {
        if (event.phase === 'documents' && event.done >= 5) core.engine.cancel([accountId]);
      });
      expect(core.engine.start({ documents: true })).toEqual([accountId]);
      expect(await finished).toMatchObject({ accountId, ok: false, error: { code: 'sync.cancelled' } });
      stopWatching();
      const db = core.db;
      const verified = db.prepare("SELECT count(*) FROM downloads WHERE state = 'verified'").pluck().get() as number;
      expect(verified).toBeGreaterThanOrEqual(5);
      expect(db.prepare("SELECT count(*) FROM downloads WHERE state = 'pending'").pluck().get()).toBeGreaterThan(0);
      expect(db.prepare('SELECT state FROM accounts WHERE id = ?').pluck().get(accountId)).toBe('signed_in');
      expect(readdirSync(core.core.paths.temp)).toEqual([]);
      emulator.sandbox.stats.clear();
      const [resumed] = await core.engine.run({ documents: true });
      expect(resumed?.ok).toBe(true);
      // Nothing verified before the cancel is fetched again.
      expect(resumed?.counts.downloaded).toBe(db.prepare('SELECT count(*) FROM downloads').pluck().get() as number - verified);
      expect(dumpCache(db)).toEqual(referenceDump);
    } finally {
      await core.close();
    }
  }, 120_000);
});

describe('EconJobMarket under faults', () => {
  it('ends in the same cache and store as a clean sync through 429s, 5xx storms, resets, truncations, HTML pages and short-lived tokens', async () => {
    const core = await syncCore();
    try {
      await addSandboxAccount(core, 'ejm', emulator.ready);
      await setFaults(emulator.ready.baseUrl, { rateLimitEvery: 9, retryAfterSeconds: 0, errorStorm: 4, errorStatus: 503, truncate: 3, reset: 3, malformed: 3, tokenLifetimeSeconds: 2 });
      const [result] = await core.engine.run({ documents: true });
      expect(result?.error ?? null).toBe(null);
      expect(dumpCache(core.db)).toEqual(referenceDump);
      expect(dumpStore(core.core.paths.store)).toEqual(referenceStore);
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
      await core.close();
    }
  }, 120_000);

  it('gives a clear error when the provider stays down, keeps what was saved, and syncs again once it is back', async () => {
    const core = await syncCore();
    try {
      const accountId = await addSandboxAccount(core, 'ejm', emulator.ready);
      await setFaults(emulator.ready.baseUrl, { errorStorm: 1000, errorStatus: 503 });
      const [down] = await core.engine.run({ documents: false });
      expect(down?.error?.code).toBe('provider.unavailable');
      const account = core.db.prepare('SELECT state, state_message FROM accounts WHERE id = ?').get(accountId) as { state: string; state_message: string };
      expect(account.state).toBe('error');
      expect(account.state_message).toMatch(/later/);
      await control(emulator.ready.baseUrl, 'reset-faults');
      const [up] = await core.engine.run({ documents: false });
      expect(up?.ok).toBe(true);
      const metadata = (dump: Record<string, unknown[]>) => ({ applicants: dump.applicants, applications: dump.applications, letters: dump.letters, interview_slots: dump.interview_slots });
      expect(metadata(dumpCache(core.db))).toEqual(metadata(referenceDump));
      expect(core.db.prepare('SELECT state FROM accounts WHERE id = ?').pluck().get(accountId)).toBe('signed_in');
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
      await core.close();
    }
  }, 120_000);

  it('records a document whose bytes do not match its sha1_hash as failed, keeps the rest, and heals on the next sync', async () => {
    const core = await syncCore();
    const fileId = Number(reference.db.prepare("SELECT remote_id FROM documents WHERE kind = 'cv' AND remote_sha1 IS NOT NULL ORDER BY size LIMIT 1").pluck().get());
    try {
      await addSandboxAccount(core, 'ejm', emulator.ready);
      await control(emulator.ready.baseUrl, 'corrupt', { file_id: fileId });
      // Metadata first, then only the tampered file and a few others on the ledger, to keep the test quick.
      await core.engine.run({ documents: false });
      const db = core.db;
      const target = db.prepare("SELECT id FROM documents WHERE remote_id = ? AND kind = 'cv'").pluck().get(String(fileId)) as number;
      const others = db.prepare("SELECT document_id FROM downloads WHERE document_id <> ? AND state = 'pending' LIMIT 4").pluck().all(target) as number[];
      db.prepare(`UPDATE downloads SET state = 'verified' WHERE document_id NOT IN (${[target, ...others].join(',')})`).run();
      const [first] = await core.engine.run({ documents: true });
      expect(first?.ok).toBe(true);
      expect(first?.counts).toMatchObject({ downloaded: 4, downloadFailures: 1 });
      const ledger = db.prepare('SELECT l.state, l.last_error, d.sha256 FROM downloads l JOIN documents d ON d.id = l.document_id WHERE d.id = ?').get(target) as { state: string; last_error: string; sha256: string | null };
      expect(ledger).toMatchObject({ state: 'failed', sha256: null });
      expect(ledger.last_error).toMatch(/^document\.hash_mismatch/);
      expect(readdirSync(core.core.paths.temp)).toEqual([]);
      await control(emulator.ready.baseUrl, 'corrupt', { clear: true });
      const [second] = await core.engine.run({ documents: true });
      expect(second?.counts.downloaded).toBe(1);
      const healed = db.prepare('SELECT sha256, remote_sha1 FROM documents WHERE id = ?').get(target) as { sha256: string; remote_sha1: string };
      expect(healed.sha256).toBe(reference.db.prepare("SELECT sha256 FROM documents WHERE remote_id = ? AND kind = 'cv'").pluck().get(String(fileId)));
    } finally {
      await control(emulator.ready.baseUrl, 'corrupt', { clear: true });
      await core.close();
    }
  }, 120_000);

  it('reads every single-file reply shape the API has used', async () => {
    const core = await syncCore();
    try {
      await addSandboxAccount(core, 'ejm', emulator.ready);
      const [metadata] = await core.engine.run({ documents: false });
      expect(metadata?.ok).toBe(true);
      const ids = core.db.prepare("SELECT d.id FROM documents d JOIN downloads l ON l.document_id = d.id WHERE l.state = 'pending' ORDER BY d.id").pluck().all() as number[];
      for (const [index, variant] of ['files', 'array', 'keyed', 'current'].entries()) {
        await control(emulator.ready.baseUrl, 'shape', { variant });
        // Leave only a slice of the ledger pending so each shape is what the next sync reads.
        const slice = ids.slice(index * 5, index * 5 + 5).join(',');
        core.db.prepare(`UPDATE downloads SET state = CASE WHEN document_id IN (${slice}) THEN 'pending' ELSE 'verified' END WHERE document_id IN (${ids.join(',')}) AND state <> 'verified' OR document_id IN (${slice})`).run();
        const [result] = await core.engine.run({ documents: true });
        expect(result?.counts.downloaded).toBe(5);
      }
    } finally {
      await control(emulator.ready.baseUrl, 'shape', {});
      await core.close();
    }
  }, 120_000);
});
