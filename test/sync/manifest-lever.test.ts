import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../electron/core/providers/manifest/index.ts';
import { startLeverPracticeServer, type LeverPracticeServer } from '../../electron/sandbox/lever/server.ts';
import { consentInPlace, control, syncCore, type SyncCore } from './helpers.ts';

/**
 * The bundled Lever manifests (build/manifests/lever.json with OAuth 2.0, lever-api-key.json with an
 * API key) synced through the real engine, over real HTTP, against the practice server: only the
 * manifests' hosts are pointed at the server; everything else is as shipped.
 */

function pointedAt(file: string, server: LeverPracticeServer): string {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { api: { baseUrl: string }; auth: { authorizeUrl?: string; tokenUrl?: string; authorizeParams?: Record<string, string> } };
  manifest.api.baseUrl = server.ready.baseUrl;
  if (manifest.auth.authorizeUrl !== undefined) manifest.auth.authorizeUrl = server.ready.authorizeUrl;
  if (manifest.auth.tokenUrl !== undefined) manifest.auth.tokenUrl = server.ready.tokenUrl;
  if (manifest.auth.authorizeParams?.audience !== undefined) manifest.auth.authorizeParams.audience = server.ready.audience;
  return JSON.stringify(manifest, null, 2);
}

const count = (target: SyncCore, sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;
const candidacies = (server: LeverPracticeServer) => [...server.data.candidacies.values()];

describe('the bundled Lever API-key manifest against its practice server', () => {
  let server: LeverPracticeServer;
  let target: SyncCore;

  beforeAll(async () => {
    // 120 opportunities: more than the manifest's page of 100, so the opportunities list walks two offset tokens.
    server = await startLeverPracticeServer({ seed: 9, scale: '120' });
    target = await syncCore();
    const account = await target.core.services.accounts.add({
      provider: 'oauth2',
      name: 'Lever',
      baseUrl: server.ready.baseUrl,
      grant: 'token',
      timeZone: 'America/Los_Angeles',
      manifest: { text: pointedAt('build/manifests/lever-api-key.json', server), fileName: 'lever-api-key.json' },
    });
    await target.core.services.auth.signIn(account.id, { token: server.ready.token });
  });
  afterAll(async () => {
    await target.close();
    await server.close();
  });

  it('syncs every posting, opportunity, contact, résumé and interview, and each résumé’s bytes', async () => {
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    expect(count(target, 'SELECT count(*) FROM jobs')).toBe(server.data.postings.size);
    expect(count(target, 'SELECT count(*) FROM applications')).toBe(server.data.candidacies.size);
    // One contact with two opportunities is one applicant (decision 0014).
    expect(count(target, 'SELECT count(*) FROM applicants')).toBe(new Set(candidacies(server).map((candidacy) => candidacy.opportunity.contact)).size);
    expect(count(target, 'SELECT count(*) FROM applications WHERE applicant_id IS NULL')).toBe(0);
    const resumes = candidacies(server).flatMap((candidacy) => candidacy.resumes);
    expect(count(target, 'SELECT count(*) FROM documents')).toBe(resumes.length);
    // Each résumé belongs to its own opportunity (the manifest's $parent), and its bytes are stored and verified.
    expect(count(target, 'SELECT count(*) FROM documents d JOIN applications a ON a.account_id = d.account_id AND a.remote_id = d.application_remote_id')).toBe(resumes.length);
    expect(count(target, 'SELECT count(*) FROM documents WHERE sha256 IS NOT NULL')).toBe(resumes.length);
    const sizes = new Map(resumes.map((entry) => [entry.resume.id, entry.resume.file.size]));
    for (const row of target.db.prepare('SELECT d.remote_id AS id, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256').all() as { id: string; size: number }[]) expect(row.size).toBe(sizes.get(row.id));
    expect(count(target, 'SELECT count(*) FROM interview_slots')).toBe(candidacies(server).flatMap((candidacy) => candidacy.interviews).length);
  });

  it('finds a candidate by name through search', async () => {
    const someone = candidacies(server)[0]?.opportunity.name ?? '';
    const hits = target.core.services.search.query(someone, 10);
    expect(hits.some((hit) => hit.applicantName === someone)).toBe(true);
  });

  it('asks only for opportunities updated since the last sync, and writes only what changed', async () => {
    const mutated = (await control(server.ready.baseUrl, 'mutate', { add: 2, change: 2 })) as { added: string[]; changed: string[] };
    server.stats.clear();
    const before = count(target, 'SELECT count(*) FROM applications');
    const [result] = await target.engine.run({ documents: true });
    expect(result?.error ?? null).toBe(null);
    expect(count(target, 'SELECT count(*) FROM applications')).toBe(before + mutated.added.length);
    expect(result?.counts.applications).toBe(mutated.added.length + mutated.changed.length);
    // The filtered pass listed only the changed opportunities, so only their résumés were asked for.
    expect([...server.stats.entries()].filter(([key]) => /resumes$/.test(key)).reduce((sum, [, value]) => sum + value, 0)).toBe(mutated.added.length + mutated.changed.length);
  });
});

describe('the bundled Lever OAuth 2.0 manifest', () => {
  it('is shipped valid, asks for Lever’s audience, and signs in through the consent page on a registered redirect', async () => {
    const shipped = loadManifest(readFileSync('build/manifests/lever.json', 'utf8'), 'lever.json');
    expect(shipped.auth).toMatchObject({ type: 'oauth2', grant: 'authorization_code', redirect: 'registered', authorizeParams: { audience: 'https://api.lever.co/v1/' } });
    const server = await startLeverPracticeServer({ seed: 9, scale: 'small' });
    let opened: string | undefined;
    let consented: Promise<void> = Promise.resolve();
    // The browser answers on its own time: the loopback holds its callback open until the sign-in has finished.
    const target = await syncCore(undefined, false, (url) => {
      opened = url;
      consented = consentInPlace(url);
      return Promise.resolve();
    });
    try {
      const account = await target.core.services.accounts.add({
        provider: 'oauth2',
        name: 'Lever OAuth',
        baseUrl: server.ready.baseUrl,
        clientId: server.ready.clientId,
        clientSecret: server.ready.clientSecret,
        grant: 'authorization_code',
        timeZone: 'America/Los_Angeles',
        manifest: { text: pointedAt('build/manifests/lever.json', server), fileName: 'lever.json' },
      });
      expect(account.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      await control(server.ready.baseUrl, 'register-redirect', { uri: account.redirectUri });
      await target.core.services.auth.signIn(account.id, {});
      await consented;
      expect(new URL(opened ?? '').searchParams.get('audience')).toBe(server.ready.audience);
      const [result] = await target.engine.run({ documents: false });
      expect(result?.error ?? null).toBe(null);
      expect(count(target, 'SELECT count(*) FROM applications')).toBe(server.data.candidacies.size);
    } finally {
      await target.close();
      await server.close();
    }
  });
});
