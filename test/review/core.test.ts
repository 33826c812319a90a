import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api } from '../../shared/contract.ts';
import { createCore } from '../../electron/core/core.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { lockedVault } from '../../electron/web/vault.ts';

describe('createCore', () => {
  it('answers every name of the contract, refuses unknown names, and closes once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-core-'));
    const core = createCore({ dataDir, vault: lockedVault, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
    try {
      expect(Object.keys(core.handlers).sort()).toEqual(Object.keys(api).sort());
      expect(Object.values(core.handlers).every((handler) => typeof handler === 'function')).toBe(true);
      expect(await core.dispatch('applicants.list', {})).toEqual({ ok: true, result: { total: 0, rows: [] } });
      expect(await core.dispatch('no.such', {})).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
      const events: string[] = [];
      core.events.onAny((name) => events.push(name));
      core.events.emit('outbox.changed', { id: 1, accountId: 1, kind: 'job.create', state: 'pending', summary: 'x', attempts: 0, lastError: null, remoteId: null, createdAt: '2026-11-23T10:00:00.000Z' });
      expect(events).toEqual(['outbox.changed']);
    } finally {
      await Promise.all([core.close(), core.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(core.storage.db.open).toBe(false);
  });

  it('reports the app as offline once the latest sync of every account found no network', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dossier-core-'));
    const core = createCore({ dataDir, vault: lockedVault, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
    try {
      const info = async () => ((await core.dispatch('app.info', {})) as { result: { online: boolean; host: string; dataDir: string } }).result;
      expect(await info()).toMatchObject({ online: true, host: 'browser', dataDir });
      const db = core.storage.db;
      db.prepare(`INSERT INTO accounts (id, name, provider, base_url, grant_type, created_at, updated_at) VALUES (1, 'a', 'ejm', 'http://127.0.0.1:9', 'client_credentials', 'now', 'now')`).run();
      const run = db.prepare(`INSERT INTO sync_runs (account_id, started_at, finished_at, outcome, error_code) VALUES (1, 'now', 'now', ?, ?)`);
      run.run('ok', null);
      run.run('error', 'network.unreachable');
      expect((await info()).online).toBe(false);
      run.run('error', 'provider.throttled');
      expect((await info()).online).toBe(true);
    } finally {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
