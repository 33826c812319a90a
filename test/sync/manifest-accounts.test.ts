import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../electron/core/base/paths.ts';
import { migrate } from '../../electron/core/storage/migrate.ts';
import { migrations } from '../../electron/core/storage/migrations/index.ts';
import { runCli } from '../helpers/cli.ts';
import { accessToken, clientId, clientSecret, startTalentloop, type ManifestJson, type Talentloop, type TalentloopData } from '../helpers/talentloop.ts';
import { syncCore, type SyncCore } from './helpers.ts';

/**
 * Manifest-driven accounts end to end (issue 15): a generic OAuth 2.0 account added with a provider
 * manifest keeps it (migration 0008), signs in the way its auth section says, and syncs through the
 * real engine into the same tables as every provider, searchable and exportable. The provider is a
 * small generic ATS written for these tests (test/helpers/talentloop.ts, fictional), on 127.0.0.1,
 * with a real client-credentials token endpoint that accepts only what the manifest describes. The command
 * line (`accounts add --manifest`, `manifest check`) runs in-process on its own profile.
 */

let server: Talentloop;
let origin: string;
let talentloop: TalentloopData;
const manifest = (change?: (value: ManifestJson) => void) => server.manifest(change);

let target: SyncCore;
const count = (sql: string, ...params: unknown[]) => target.db.prepare(sql).pluck().get(...params) as number;
const tableCounts = () => Object.fromEntries(['accounts', 'account_identities', 'account_manifests', 'jobs', 'applicants', 'applications'].map((table) => [table, count(`SELECT COUNT(*) FROM ${table}`)]));

async function addTalentloop(text = manifest(), name = 'Talentloop'): Promise<number> {
  const account = await target.core.services.accounts.add({ provider: 'oauth2', name, clientId, clientSecret, manifest: { text, fileName: 'talentloop.json' } });
  return account.id;
}

beforeAll(async () => {
  server = await startTalentloop();
  origin = server.origin;
});
afterAll(() => server.close());

beforeEach(async () => {
  server.reset();
  talentloop = server.data;
  target = await syncCore();
});
afterEach(() => target.close());

describe('a generic OAuth 2.0 account with a manifest', () => {
  it('takes its sign-in settings, name and capabilities from the manifest and keeps the manifest', async () => {
    const id = await addTalentloop();
    const account = target.core.services.accounts.get(id);
    expect(account).toMatchObject({
      provider: 'oauth2',
      baseUrl: `${origin}/api`,
      tokenUrl: `${origin}/oauth/token`,
      authorizeUrl: null,
      grant: 'client_credentials',
      scope: 'read:jobs read:candidates',
      manifest: { name: 'Talentloop', fileName: 'talentloop.json' },
      capabilities: { jobs: true, applicants: true, applications: true, documents: false, interviews: false, grants: ['client_credentials'] },
    });
    expect(target.db.prepare('SELECT name, file_name, text FROM account_manifests WHERE account_id = ?').get(id)).toEqual({ name: 'Talentloop', file_name: 'talentloop.json', text: manifest() });
    // A plain generic account is unchanged: it signs in only.
    const plain = await target.core.services.accounts.add({ provider: 'oauth2', name: 'Plain', baseUrl: origin, tokenUrl: `${origin}/oauth/token`, clientId, clientSecret, grant: 'client_credentials' });
    expect(plain).toMatchObject({ manifest: null, capabilities: { jobs: false, applicants: false } });
    const [plainResult] = await target.engine.run({ accountIds: [plain.id], documents: false });
    expect(plainResult?.error).toMatchObject({ code: 'provider.unsupported' });
  });

  it('signs in as the manifest says and syncs into the same tables, searchable and exportable', async () => {
    const id = await addTalentloop();
    const [result] = await target.engine.run({ accountIds: [id], documents: false });
    expect(result?.error ?? null).toBeNull();
    expect(result?.ok).toBe(true);
    // client_secret_post with the manifest's scope: the built-in generic profile would have used HTTP Basic and no scope.
    expect(talentloop.tokenRequests).toHaveLength(1);
    expect(talentloop.tokenRequests[0]?.auth).toBeUndefined();
    expect(talentloop.tokenRequests[0]?.body.get('scope')).toBe('read:jobs read:candidates');
    expect(count('SELECT COUNT(*) FROM jobs WHERE account_id = ?', id)).toBe(2);
    expect(count('SELECT COUNT(*) FROM applicants WHERE account_id = ?', id)).toBe(5);
    expect(count('SELECT COUNT(*) FROM applications WHERE account_id = ?', id)).toBe(5);
    expect(target.db.prepare('SELECT title FROM jobs WHERE account_id = ? AND remote_id = ?').pluck().get(id, '1')).toBe('Assistant Professor of Economics');
    expect(target.core.services.accounts.get(id)).toMatchObject({ state: 'signed_in', lastSyncedAt: expect.any(String) });

    const hits = target.core.services.search.query('Hopperfield3', 10);
    expect(hits.length).toBeGreaterThan(0);
    expect(JSON.stringify(hits)).toContain('Grace3');

    const out = join(mkdtempSync(join(tmpdir(), 'dossier-manifest-export-')), 'applicants.csv');
    const jobId = target.db.prepare('SELECT id FROM jobs WHERE account_id = ? AND remote_id = ?').pluck().get(id, '1') as number;
    await target.core.services.exports.applicants({ selection: { jobId }, out });
    const csv = readFileSync(out, 'utf8');
    for (const person of ['Grace1', 'Grace3', 'Grace5']) expect(csv).toContain(person);
    expect(csv).not.toContain('Grace2');

    // Closed and opened again, the profile still knows the manifest: a second sync needs nothing re-entered.
    await target.core.close();
    const again = await syncCore(target.dataDir);
    try {
      talentloop.jobs.push({ id: 3, name: 'Lecturer in Finance', office: 'London' });
      const [second] = await again.engine.run({ accountIds: [id], documents: false });
      expect(second?.ok).toBe(true);
      expect(again.db.prepare('SELECT COUNT(*) FROM jobs WHERE account_id = ?').pluck().get(id)).toBe(3);
    } finally {
      await again.close();
    }
  });

  it('refuses an invalid manifest naming the file and the path, and stores nothing', async () => {
    const before = tableCounts();
    const broken = manifest((value) => {
      value.resources.applications.paging = { style: 'cursor', next: 'next' };
    });
    const error = await addTalentloop(broken).then(() => undefined, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'input.invalid', message: expect.stringMatching(/^talentloop\.json: resources\.applications\.paging\.cursorParam: /) });
    await expect(addTalentloop('{ "dossierManifest": 1, ')).rejects.toMatchObject({ code: 'input.invalid', message: expect.stringContaining('talentloop.json: is not valid JSON') });
    await expect(target.core.services.accounts.add({ provider: 'jymob', name: 'JyMob', grant: 'token', manifest: { text: manifest(), fileName: 'talentloop.json' } })).rejects.toMatchObject({ code: 'input.invalid', detail: { field: 'manifest' } });
    await expect(target.core.services.accounts.add({ provider: 'oauth2', name: 'X', clientId, clientSecret, manifest: { bundled: 'no-such-manifest' } })).rejects.toMatchObject({ code: 'input.invalid', message: expect.stringContaining('no bundled manifest named "no-such-manifest"') });
    expect(tableCounts()).toEqual(before);
    expect(talentloop.tokenRequests).toHaveLength(0);
    expect(talentloop.apiRequests).toHaveLength(0);
  });

  it('takes a new manifest on update, and an invalid one changes nothing', async () => {
    const id = await addTalentloop();
    await target.engine.run({ accountIds: [id], documents: false });
    const renamed = manifest((value) => {
      value.name = 'Talentloop EU';
      value.resources.jobs.map.title = '$uppercase(name)';
      Reflect.deleteProperty(value.resources, 'applications');
    });
    const updated = await target.core.services.accounts.update({ id, manifest: { text: renamed, fileName: 'talentloop-eu.json' } });
    expect(updated).toMatchObject({ manifest: { name: 'Talentloop EU', fileName: 'talentloop-eu.json' }, capabilities: { applications: false, jobs: true } });
    // Same token endpoint and client: the sign-in stays.
    expect(updated.state).toBe('signed_in');

    const before = { account: target.core.services.accounts.get(id), stored: target.db.prepare('SELECT text FROM account_manifests WHERE account_id = ?').pluck().get(id) };
    await expect(target.core.services.accounts.update({ id, name: 'Renamed', manifest: { text: '{"dossierManifest": 2}', fileName: 'bad.json' } })).rejects.toMatchObject({ code: 'input.invalid', message: expect.stringMatching(/^bad\.json: dossierManifest: /) });
    expect(target.core.services.accounts.get(id)).toEqual(before.account);
    expect(target.db.prepare('SELECT text FROM account_manifests WHERE account_id = ?').pluck().get(id)).toBe(before.stored);

    const [result] = await target.engine.run({ accountIds: [id], documents: false });
    expect(result?.ok).toBe(true);
    expect(target.db.prepare('SELECT title FROM jobs WHERE account_id = ? AND remote_id = ?').pluck().get(id, '1')).toBe('ASSISTANT PROFESSOR OF ECONOMICS');

    // A new manifest naming another token endpoint is another sign-in: the old tokens go.
    const moved = manifest((value) => {
      value.auth.tokenUrl = 'http://127.0.0.1:9/oauth/token';
    });
    expect(await target.core.services.accounts.update({ id, manifest: { text: moved, fileName: 'moved.json' } })).toMatchObject({ state: 'signed_out', tokenUrl: 'http://127.0.0.1:9/oauth/token' });
    expect(await target.core.services.accounts.readTokens(id)).toBeUndefined();
  });

  it('a profile made before migration 8 opens with its accounts and takes a manifest', async () => {
    await target.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-v7-'));
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(dataPaths(dataDir).database);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.filter((migration) => migration.version <= 7));
    const now = new Date().toISOString();
    db.prepare('INSERT INTO account_identities (uid) VALUES (?)').run('0b6b1c57-31a7-4c55-9a40-0a8f1a1f0c11');
    db.prepare(
      `INSERT INTO accounts (id, name, provider, base_url, token_url, client_id, grant_type, time_zone, created_at, updated_at)
       VALUES (1, 'Old generic', 'oauth2', ?, ?, ?, 'client_credentials', 'UTC', ?, ?)`,
    ).run(`${origin}/api`, `${origin}/oauth/token`, clientId, now, now);
    db.prepare(`INSERT INTO jobs (account_id, remote_id, title, raw_json, synced_at) VALUES (1, 'old', 'Kept job', '{}', ?)`).run(now);
    db.close();

    target = await syncCore(dataDir);
    expect(target.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(target.core.services.accounts.get(1)).toMatchObject({ name: 'Old generic', manifest: null, capabilities: { jobs: false } });
    expect(count('SELECT COUNT(*) FROM jobs WHERE account_id = 1')).toBe(1);

    await target.core.services.accounts.update({ id: 1, clientSecret, manifest: { text: manifest(), fileName: 'talentloop.json' } });
    const [result] = await target.engine.run({ accountIds: [1], documents: false });
    expect(result?.error ?? null).toBeNull();
    expect(count('SELECT COUNT(*) FROM applicants WHERE account_id = 1')).toBe(5);
  });
});

describe('the command line', () => {
  let dataDir: string;
  let files: string;
  const env = () => ({ DOSSIER_PASSPHRASE: 'manifest cli passphrase', DOSSIER_CLIENT_SECRET: clientSecret });
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], env());
  const rowCounts = () => {
    const db = new Database(dataPaths(dataDir).database, { readonly: true });
    try {
      return Object.fromEntries(['accounts', 'account_manifests', 'jobs', 'applicants', 'applications', 'sync_runs', 'sync_cursors', 'search_records'].map((table) => [table, db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()]));
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dossier-manifest-cli-'));
    files = mkdtempSync(join(tmpdir(), 'dossier-manifest-files-'));
    writeFileSync(join(files, 'talentloop.json'), manifest());
    writeFileSync(join(files, 'broken.json'), manifest((value) => {
      value.resources.jobs.map.title = 'name[';
    }));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('manifest check says what a manifest describes, and names the file and path of what is wrong', async () => {
    const text = await cli('manifest', 'check', join(files, 'talentloop.json'));
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('talentloop.json: Talentloop — valid');
    expect(text.stdout).toContain('client_credentials');
    expect(text.stdout).toMatch(/jobs: jobs; pages: page=1,2,… with size=2/);
    const json = await cli('--json', 'manifest', 'check', join(files, 'talentloop.json'));
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'Talentloop', fileName: 'talentloop.json', auth: { grant: 'client_credentials', scope: 'read:jobs read:candidates' }, resources: [{ name: 'jobs' }, { name: 'applicants' }, { name: 'applications' }] });

    const broken = await cli('manifest', 'check', join(files, 'broken.json'));
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('broken.json: resources.jobs.map.title: is not a valid JSONata expression');
    const missing = await cli('manifest', 'check', join(files, 'nowhere.json'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('There is no manifest file');

    const bundled = await cli('--json', 'manifest', 'list');
    expect(bundled.code).toBe(0);
    expect((JSON.parse(bundled.stdout) as { id: string }[]).map((entry) => entry.id)).toEqual(expect.arrayContaining(['greenhouse-harvest', 'lever']));
  });

  it('accounts add --manifest keeps the manifest; manifest check --account dry-runs it and stores nothing', async () => {
    const added = await cli('accounts', 'add', '--provider', 'oauth2', '--manifest', join(files, 'talentloop.json'), '--name', 'Talentloop', '--client-id', clientId);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Talentloop (Talentloop, manifest talentloop.json, client_credentials)');
    const before = rowCounts();
    expect(before).toMatchObject({ accounts: 1, account_manifests: 1, jobs: 0 });

    const dryRun = await cli('manifest', 'check', join(files, 'talentloop.json'), '--account', 'Talentloop');
    expect(dryRun.stderr).toBe('');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('Dry run through "Talentloop": the first page of each list, nothing stored:');
    const firstOf = (kind: string) => JSON.parse(new RegExp(`\\n  ${kind}: \\d+[^\\n]*\\n    first: (.*)`).exec(dryRun.stdout)?.[1] ?? 'null') as Record<string, unknown>;
    // One page of each list (the server pages by 2): all of the 2 jobs, the first 2 of the 5 people.
    expect(dryRun.stdout).toMatch(/\n {2}jobs: 2 \(the whole list\)\n/);
    expect(dryRun.stdout).toMatch(/\n {2}applicants: 2 \(first page; a sync reads the rest\)\n/);
    expect(dryRun.stdout).toContain('lists with more pages: people, applications');
    expect(firstOf('jobs')).toMatchObject({ remoteId: '1', title: 'Assistant Professor of Economics', location: 'Boston' });
    expect(firstOf('applicants')).toMatchObject({ remoteId: 'p1', firstName: 'Grace1', email: 'grace1@example.org' });
    expect(firstOf('applications')).toMatchObject({ remoteId: 'a1', jobRemoteId: '1', applicantRemoteId: 'p1' });
    expect(firstOf('jobs')).not.toHaveProperty('raw');
    for (const secret of [clientSecret, accessToken]) expect(dryRun.stdout + dryRun.stderr).not.toContain(secret);
    expect(talentloop.apiRequests).toEqual(expect.arrayContaining(['/api/jobs', '/api/people', '/api/applications']));
    expect(rowCounts()).toEqual(before);

    const json = await cli('--json', 'manifest', 'check', join(files, 'talentloop.json'), '--account', 'Talentloop');
    expect(JSON.parse(json.stdout)).toMatchObject({ account: 'Talentloop', dryRun: { kinds: { jobs: { count: 2, complete: true }, applicants: { count: 2, complete: false }, applications: { count: 2, complete: false } } } });
    expect(rowCounts()).toEqual(before);

    // Another manifest than the account's is refused rather than previewed through the wrong mapping.
    writeFileSync(join(files, 'other.json'), manifest((value) => {
      value.name = 'Other';
    }));
    const other = await cli('manifest', 'check', join(files, 'other.json'), '--account', 'Talentloop');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('syncs by talentloop.json, not this manifest');
  });

  it('accounts add takes a bundled manifest by name, and refuses a broken file before asking anything', async () => {
    const added = await cli('--json', 'accounts', 'add', '--provider', 'oauth2', '--manifest', 'greenhouse-harvest', '--name', 'Greenhouse');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'Greenhouse', manifest: { name: 'Greenhouse Harvest', fileName: 'greenhouse-harvest.json' }, capabilities: { applicants: true } });
    const broken = await cli('accounts', 'add', '--provider', 'oauth2', '--manifest', join(files, 'broken.json'), '--name', 'Broken', '--client-id', clientId);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('broken.json: resources.jobs.map.title');
    expect(rowCounts()).toMatchObject({ accounts: 1, account_manifests: 1 });
  });

  it('accounts update swaps the manifest, renames, fixes a redirect port, and a broken manifest changes nothing', async () => {
    expect((await cli('accounts', 'add', '--provider', 'oauth2', '--manifest', join(files, 'talentloop.json'), '--name', 'Talentloop', '--client-id', clientId)).code).toBe(0);
    writeFileSync(join(files, 'talentloop-v2.json'), manifest((value) => {
      value.name = 'Talentloop v2';
    }));
    const swapped = await cli('--json', 'accounts', 'update', 'Talentloop', '--manifest', join(files, 'talentloop-v2.json'), '--rename', 'Talentloop 2026');
    expect(swapped.stderr).toBe('');
    expect(swapped.code).toBe(0);
    expect(JSON.parse(swapped.stdout)).toMatchObject({ name: 'Talentloop 2026', manifest: { name: 'Talentloop v2', fileName: 'talentloop-v2.json' } });
    const before = rowCounts();
    const broken = await cli('accounts', 'update', 'Talentloop 2026', '--manifest', join(files, 'broken.json'), '--rename', 'Never');
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('broken.json: resources.jobs.map.title');
    expect(rowCounts()).toEqual(before);
    const listed = await cli('--json', 'accounts', 'list');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'Talentloop 2026', manifest: { fileName: 'talentloop-v2.json' } }]);
    const missing = await cli('accounts', 'update', 'Nobody', '--rename', 'X');
    expect(missing.code).not.toBe(0);
  });
});
