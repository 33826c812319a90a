import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledManifest } from '../../electron/core/providers/manifests.ts';
import { loadManifest } from '../../electron/core/providers/manifest/index.ts';
import { startGreenhousePracticeServer, type GreenhousePracticeServer } from '../../electron/sandbox/greenhouse/server.ts';
import { control, dumpCache, syncCore, type SyncCore } from './helpers.ts';

/**
 * The bundled Greenhouse Harvest manifest (build/manifests/greenhouse-harvest.json) synced through
 * the real engine, over real HTTP, against the practice server: the manifest's two hosts (the API
 * and the signed storage host) are pointed at the server's two ports; nothing else of it changes.
 */

const manifestFile = 'build/manifests/greenhouse-harvest.json';
const bundled = readFileSync(manifestFile, 'utf8');

function pointedAt(server: GreenhousePracticeServer): string {
  const manifest = JSON.parse(bundled) as { api: { baseUrl: string; downloadHosts: string[] } };
  manifest.api.baseUrl = server.ready.baseUrl;
  manifest.api.downloadHosts = [...server.ready.downloadHosts];
  return JSON.stringify(manifest, null, 2);
}

async function greenhouseAccount(target: SyncCore, server: GreenhousePracticeServer): Promise<number> {
  const account = await target.core.services.accounts.add({
    provider: 'oauth2',
    name: 'Greenhouse',
    baseUrl: server.ready.baseUrl,
    grant: 'token',
    timeZone: 'America/Chicago',
    manifest: { text: pointedAt(server), fileName: 'greenhouse-harvest.json' },
  });
  await target.core.services.auth.signIn(account.id, { token: server.ready.token });
  return account.id;
}

const count = (target: SyncCore, sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;
const attachmentsOf = (server: GreenhousePracticeServer) => [...server.data.applications.values()].flatMap((application) => application.attachments.map((attachment) => ({ ...attachment, candidateId: application.candidate_id })));
const storageGets = (server: GreenhousePracticeServer) => [...server.storage.stats.entries()].filter(([key]) => key.startsWith('GET ')).reduce((sum, [, value]) => sum + value, 0);

/** Rows of one table of a cache dump, by remote id. */
function byRemoteId(dump: Record<string, unknown[]>, table: string): Map<string, string> {
  return new Map((dump[table] as string[]).map((row) => [String((JSON.parse(row) as { remote_id: unknown }).remote_id), row]));
}

describe('the bundled Greenhouse Harvest manifest against its practice server', () => {
  let server: GreenhousePracticeServer;
  let target: SyncCore;

  beforeAll(async () => {
    // 101 candidates: one more than the manifest's page of 100, so every list walks two pages by its Link header.
    server = await startGreenhousePracticeServer({ seed: 7, scale: '101' });
    target = await syncCore();
    await greenhouseAccount(target, server);
  });
  afterAll(async () => {
    await target.close();
    await server.close();
  });

  it('ships as the bundled manifest "greenhouse-harvest", valid as it stands, aimed at Greenhouse and S3', () => {
    const shipped = bundledManifest('greenhouse-harvest');
    expect(shipped.text).toBe(bundled);
    const manifest = loadManifest(shipped.text, shipped.fileName);
    expect(manifest.api.baseUrl).toBe('https://harvest.greenhouse.io/v1');
    expect(manifest.api.downloadHosts).toEqual(['prod-heroku.s3.amazonaws.com']);
    expect(manifest.auth).toEqual({ type: 'token', placement: { in: 'basic-username' } });
  });

  it('syncs every job, candidate, application, attachment and interview in full, following the Link header', async () => {
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    expect(result?.ok).toBe(true);
    expect(count(target, 'SELECT count(*) FROM jobs')).toBe(server.data.jobs.size);
    expect(count(target, 'SELECT count(*) FROM applicants')).toBe(server.data.candidates.size);
    expect(count(target, 'SELECT count(*) FROM applications')).toBe(server.data.applications.size);
    expect(count(target, 'SELECT count(*) FROM interview_slots')).toBe(server.data.interviews.size);
    expect(count(target, 'SELECT count(*) FROM documents')).toBe(attachmentsOf(server).length);
    // Every application found its job and its candidate.
    expect(count(target, 'SELECT count(*) FROM applications WHERE job_id IS NULL OR applicant_id IS NULL')).toBe(0);
    // The second page of each list came from the Link header (page=2 is never built by the manifest).
    for (const list of ['candidates', 'applications']) expect(server.requestLog.some((line) => line.startsWith(`GET /v1/${list}?`) && line.includes('page=2'))).toBe(true);
    const kinds = Object.fromEntries((target.db.prepare('SELECT kind, count(*) AS n FROM documents GROUP BY kind').all() as { kind: string; n: number }[]).map((row) => [row.kind, row.n]));
    const types = attachmentsOf(server).map((attachment) => attachment.type);
    expect(kinds).toEqual({
      cv: types.filter((type) => type === 'resume').length,
      ...(types.includes('cover_letter') ? { statement: types.filter((type) => type === 'cover_letter').length } : {}),
      ...(types.some((type) => type !== 'resume' && type !== 'cover_letter') ? { other: types.filter((type) => type !== 'resume' && type !== 'cover_letter').length } : {}),
    });
  });

  it('downloaded every attachment from the storage host, verified, without ever sending it the API key', async () => {
    const rows = target.db.prepare("SELECT d.sha256, w.state FROM documents d JOIN downloads w ON w.document_id = d.id").all() as { sha256: string | null; state: string }[];
    expect(rows.length).toBe(attachmentsOf(server).length);
    expect(rows.every((row) => row.state === 'verified' && row.sha256 !== null)).toBe(true);
    for (const row of rows.slice(0, 10)) {
      const bytes = readFileSync(join(target.dataDir, 'store', (row.sha256 as string).slice(0, 2), row.sha256 as string));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    // The storage host answers 400 to any Authorization header; none came, and the key is in no URL it was asked for.
    expect(server.storageAuthorizations).toEqual([]);
    expect([...server.storage.stats.keys()].some((key) => key.includes(server.ready.token))).toBe(false);
    expect(storageGets(server)).toBe(attachmentsOf(server).length);
  });

  it('finds a candidate by name and a document by its text', () => {
    const { search } = target.core.services;
    const candidate = [...server.data.candidates.values()][0];
    const hits = search.query(candidate?.last_name ?? '', 20);
    expect(hits.some((hit) => hit.title.includes(candidate?.last_name ?? '') && hit.applicationId !== null)).toBe(true);
    const text = target.db.prepare('SELECT text FROM document_texts WHERE length(text) > 200 LIMIT 1').pluck().get() as string;
    const word = text.split(/\s+/).find((candidateWord) => /^[a-z]{8,}$/i.test(candidateWord)) as string;
    expect(search.query(word, 50).some((hit) => hit.kind === 'document')).toBe(true);
  });

  it('a second sync after changes asks only for what changed since the first and touches only those rows', async () => {
    const before = dumpCache(target.db);
    const mutated = (await control(server.baseUrl, 'mutate', { add: 2, change: 3, remove: 1 })) as { added: number[]; changed: number[]; removed: number[] };
    server.requestLog.length = 0;
    server.storage.stats.clear();
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    // Each list was asked with its documented "changed since" filter.
    expect(server.requestLog.find((line) => line.startsWith('GET /v1/candidates?'))).toMatch(/updated_after=/);
    expect(server.requestLog.find((line) => line.startsWith('GET /v1/applications?'))).toMatch(/last_activity_after=/);
    expect(server.requestLog.find((line) => line.startsWith('GET /v1/scheduled_interviews?'))).toMatch(/updated_after=/);
    const after = dumpCache(target.db);
    const rowsBefore = byRemoteId(before, 'applicants');
    const rowsAfter = byRemoteId(after, 'applicants');
    const touched = [...rowsAfter.entries()].filter(([id, row]) => rowsBefore.get(id) !== row).map(([id]) => Number(id)).sort();
    expect(touched).toEqual([...mutated.added, ...mutated.changed].sort());
    // Only the new candidates' attachments were downloaded.
    const newAttachments = attachmentsOf(server).filter((attachment) => mutated.added.includes(attachment.candidateId));
    expect(storageGets(server)).toBe(newAttachments.length);
    // The removed candidate's documents stay cached (and verified) beside every current attachment.
    const keptOfRemoved = count(target, 'SELECT count(*) FROM documents WHERE applicant_remote_id = ?', String(mutated.removed[0]));
    expect(count(target, "SELECT count(*) FROM downloads WHERE state = 'verified'")).toBe(attachmentsOf(server).length + keptOfRemoved);
    // A filtered pass proves nothing about absence: the removed candidate is not tombstoned until a full walk.
    expect(count(target, 'SELECT count(*) FROM applicants WHERE remote_id = ? AND removed_at IS NULL', String(mutated.removed[0]))).toBe(1);
  });

  it('cannot fetch a document whose signed URL expired before its download, until a full walk signs a new one', async () => {
    // Its own server: no recent changes, so an incremental pass lists no candidate at all.
    const quiet = await startGreenhousePracticeServer({ seed: 8 });
    const fresh = await syncCore();
    try {
      const accountId = await greenhouseAccount(fresh, quiet);
      // A sync without documents leaves every download owed, with the URLs that listing signed.
      await fresh.engine.run({ documents: false });
      expect(count(fresh, "SELECT count(*) FROM downloads WHERE state = 'pending'")).toBe(attachmentsOf(quiet).length);
      // Eight days later (the server's clock): every one of those URLs has expired.
      await control(quiet.baseUrl, 'advance-clock', { seconds: 8 * 86_400 });
      await fresh.engine.run({ documents: true });
      // The incremental pass listed no unchanged candidate, so the ledger still held the expired URLs: S3's 403, nothing stored.
      expect(count(fresh, "SELECT count(*) FROM downloads WHERE state = 'verified'")).toBe(0);
      expect(quiet.storage.stats.size).toBeGreaterThan(0);
      // A week on, the engine walks in full; dropping its full-walk cursor stands in for that week here.
      fresh.db.prepare("DELETE FROM sync_cursors WHERE account_id = ? AND resource = 'applicants.full_walk'").run(accountId);
      const [full] = await fresh.engine.run({ documents: true });
      expect(full?.error ?? null).toBe(null);
      expect(count(fresh, "SELECT count(*) FROM downloads WHERE state = 'verified'")).toBe(attachmentsOf(quiet).length);
      expect(quiet.storageAuthorizations).toEqual([]);
    } finally {
      await fresh.close();
      await quiet.close();
    }
  });

  it('waits out storage faults and the documented rate limit, and loses nothing', async () => {
    const fresh = await syncCore();
    try {
      await greenhouseAccount(fresh, server);
      await control(server.storage.baseUrl, 'faults', { reset: 2, truncate: 1, errorStorm: 2, errorStatus: 503 });
      // The documented limit's shape (a count per window, 429 past it) with a one-second window, so the wait is short.
      await control(server.baseUrl, 'rate-limit', { limit: 3, windowSeconds: 1 });
      const [result] = await fresh.engine.run({ documents: true });
      expect(result?.error ?? null).toBe(null);
      expect(count(fresh, 'SELECT count(*) FROM applicants')).toBe(server.data.candidates.size);
      expect(count(fresh, "SELECT count(*) FROM downloads WHERE state = 'verified'")).toBe(attachmentsOf(server).length);
      expect(server.storageAuthorizations).toEqual([]);
    } finally {
      await control(server.storage.baseUrl, 'reset-faults');
      await control(server.baseUrl, 'rate-limit', {});
      await fresh.close();
    }
  });
});

