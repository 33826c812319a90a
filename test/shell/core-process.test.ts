import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.ts';
import type { DossierErrorValue } from '../../shared/errors.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { DossierError } from '../../electron/core/base/errors.ts';
import { silentLogger, type Logger } from '../../electron/core/base/log.ts';
import { blobPath } from '../../electron/core/blobs/layout.ts';
import { createCoreClient, type CoreChild } from '../../electron/main/core-client.ts';
import { serveCore, type CoreOptions } from '../../electron/utility/core-host.ts';
import { createRpcPeer, type MessagePortLike } from '../../electron/utility/rpc.ts';
import { PassThrough } from 'node:stream';
import { hostVault } from '../../electron/host/host-vault.ts';

/**
 * The main ↔ core protocol over a real MessagePort (structured clone, as Electron's utilityProcess
 * port does), with the real core on a temporary profile. Only the Electron binary is missing: the
 * "utility process" is the same Node process; the main process's vault is the passphrase file.
 */

function adapt(port: MessagePort): MessagePortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function harness(prepare: (dataDir: string) => void = () => undefined, env: NodeJS.ProcessEnv = { DOSSIER_VAULT: 'file', DOSSIER_PASSPHRASE: 'shell test passphrase' }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-shell-core-'));
  prepare(dataDir);
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const created: { core: Core; options: CoreOptions }[] = [];
  const children: { exit(code: number): void }[] = [];
  const events: [EventName, unknown][] = [];
  const opened: string[] = [];
  const failures: DossierErrorValue[] = [];
  const warnings: string[] = [];
  const mainLog: Logger = { ...silentLogger, warn: (event) => void warnings.push(event), child: () => mainLog };
  const vault = hostVault({ dataDir, secrets: { stdin: new PassThrough(), stderr: new PassThrough(), env }, log: silentLogger });

  const spawn = (): CoreChild => {
    const { port1, port2 } = new MessageChannel();
    const exitListeners: ((code: number) => void)[] = [];
    const exit = (code: number) => {
      port1.close();
      port2.close();
      for (const listener of exitListeners) listener(code);
    };
    children.push({ exit });
    void serveCore(adapt(port2), {
      dataDir,
      log: silentLogger,
      createCore: (options) => {
        const core = createCore({ ...options, logger: silentLogger });
        created.push({ core, options });
        return core;
      },
      onStopped: () => exit(0),
    }).catch(() => undefined); // as the real entry does: a core that cannot start stays up to say why
    return { port: adapt(port1), onExit: (listener) => void exitListeners.push(listener), kill: () => exit(1) };
  };

  const client = createCoreClient({
    spawn,
    vault,
    openExternal: async (url) => void opened.push(url),
    onEvent: (name, payload) => void events.push([name, payload]),
    onFailed: (error) => void failures.push(error),
    log: mainLog,
  });
  cleanups.push(() => client.shutdown(1000));
  const latest = () => {
    const last = created.at(-1);
    if (!last) throw new Error('no core created yet');
    return last;
  };
  return { dataDir, client, created, children, events, opened, failures, warnings, latest };
}

async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('the core behind the utility-process port', () => {
  it('answers contract calls as the Electron host', async () => {
    const { client, dataDir } = harness();
    const outcome = await client.call('app.info', {});
    expect(outcome).toMatchObject({ ok: true, result: { host: 'electron', dataDir } });
  });

  it('returns the contract error for input the core refuses', async () => {
    const { client } = harness();
    const outcome = await client.call('applicants.packet', { applicationId: 'x' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });

  it('forwards core events to the main process, typed by the contract', async () => {
    const { client, events, latest } = harness();
    await client.call('app.info', {});
    latest().core.events.emit('sync.progress', { accountId: 1, phase: 'applicants', done: 5, total: 10, bytes: 0, current: null });
    await until(() => events.length === 1);
    expect(events[0]).toEqual(['sync.progress', { accountId: 1, phase: 'applicants', done: 5, total: 10, bytes: 0, current: null }]);
  });

  it('reports a core that cannot open its data, and answers with the reason instead of crashing', async () => {
    const { client, failures, created } = harness((dataDir) => {
      const db = new Database(join(dataDir, 'dossier.db'));
      db.pragma('user_version = 9999');
      db.close();
    });
    const outcome = await client.call('app.info', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'db.newer_schema', message: expect.stringContaining('newer version of Dossier') } });
    await until(() => failures.length === 1);
    expect(failures[0]?.code).toBe('db.newer_schema');
    expect(created).toHaveLength(0);
  });

  it('drops an event whose payload does not match the contract', async () => {
    const { client, events, warnings, latest } = harness();
    await client.call('app.info', {});
    latest().core.events.emit('sync.progress', { accountId: 'one' } as never);
    latest().core.events.emit('sync.finished', { accountId: 1, ok: true, error: null, unfinishedLists: 0 });
    await until(() => events.length === 1);
    expect(events[0]?.[0]).toBe('sync.finished');
    expect(warnings).toContain('core.malformed_event');
  });

  it('keeps the vault in the main process: the core reads and writes through the port, ciphertext on disk', async () => {
    const { client, latest, dataDir } = harness();
    await client.call('app.info', {});
    const { vault } = latest().options;
    await vault.set('account:3:tokens', '{"access_token":"secret-at"}');
    expect(await vault.get('account:3:tokens')).toBe('{"access_token":"secret-at"}');
    expect(readFileSync(join(dataDir, 'vault.json'), 'utf8')).not.toContain('secret-at');
    await vault.deletePrefix('account:3:');
    expect(await vault.get('account:3:tokens')).toBeUndefined();
  });

  it('carries a vault refusal into the core as a DossierError with its code', async () => {
    const { client, latest } = harness(undefined, { DOSSIER_VAULT: 'file' });
    await client.call('app.info', {});
    const failure = await latest().options.vault.set('account:3:tokens', 'x').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DossierError);
    expect(failure).toMatchObject({ code: 'vault.locked' });
  });

  it('hands the core\'s browser requests to the main process', async () => {
    const { client, latest, opened } = harness();
    await client.call('app.info', {});
    await latest().options.openExternal('http://127.0.0.1:4100/authorize?state=s');
    expect(opened).toEqual(['http://127.0.0.1:4100/authorize?state=s']);
  });

  it('locates stored documents by id for the app:// route, typed safely, and nothing for an unknown one', async () => {
    const { client, latest } = harness();
    await client.call('app.info', {});
    const { storage: { db }, paths } = latest().core;
    const store = (content: string, mimeType: string, fileName: string): number => {
      const sha256 = createHash('sha256').update(content).digest('hex');
      const file = blobPath(paths.store, sha256);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      const now = new Date().toISOString();
      db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(sha256, content.length, now);
      return Number(db.prepare(`INSERT INTO documents (account_id, remote_id, kind, title, file_name, mime_type, sha256, raw_json, synced_at)
        VALUES (1, ?, 'cv', ?, ?, ?, ?, '{}', ?)`).run(fileName, fileName, fileName, mimeType, sha256, now).lastInsertRowid);
    };
    db.prepare(`INSERT INTO accounts (id, name, provider, base_url, grant_type, created_at, updated_at) VALUES (1, 'Sandbox', 'oauth2', 'http://127.0.0.1:1', 'token', 'now', 'now')`).run();
    const pdf = await client.documentFile(store('%PDF-1.7 test', 'application/pdf', 'cv.pdf'));
    expect(pdf?.headers['Content-Type']).toBe('application/pdf');
    expect(readFileSync(pdf?.path ?? '', 'utf8')).toBe('%PDF-1.7 test');
    const html = await client.documentFile(store('<script>alert(1)</script>', 'text/html', 'cv.html'));
    expect(html?.headers['Content-Type']).toBe('application/octet-stream');
    expect(html?.headers['Content-Disposition']).toMatch(/^attachment/);
    expect(await client.documentFile(999)).toBeNull();
  });

  it('restarts the core after a crash, failing only the request in flight', async () => {
    const { client, children, created } = harness();
    await client.call('app.info', {});
    const inFlight = client.call('sync.status', {});
    children[0]?.exit(9);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('restarts') } });
    expect(await client.call('app.info', {})).toMatchObject({ ok: true });
    expect(created).toHaveLength(2);
  });

  it('stops restarting a core that keeps crashing, and says what to do', async () => {
    const { client, children } = harness();
    for (let crash = 0; crash < 3; crash++) {
      await client.call('app.info', {});
      children.at(-1)?.exit(9);
    }
    expect(await client.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('Quit and reopen') } });
    expect(children).toHaveLength(3);
  });

  it('shuts the core down cleanly when asked', async () => {
    const { client, children } = harness();
    await client.call('app.info', {});
    await client.shutdown(2000);
    expect(children).toHaveLength(1);
    expect(await client.call('app.info', {})).toMatchObject({ ok: false });
  });
});

describe('the RPC peer', () => {
  function pair(log: Logger = silentLogger) {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => {
      port1.close();
      port2.close();
    });
    const answering = createRpcPeer(adapt(port2), {
      log,
      handlers: {
        echo: (params) => params,
        refuse: () => {
          throw new DossierError('account.not_found', 'No such account.', { id: 3 });
        },
        crash: () => {
          throw new Error('boom with secret-token inside');
        },
      },
    });
    return { asking: createRpcPeer(adapt(port1), { log, handlers: {} }), answering, port1 };
  }

  it('answers requests, keeping errors as codes', async () => {
    const { asking } = pair();
    expect(await asking.request('echo', { a: [1, 'two'] })).toEqual({ a: [1, 'two'] });
    await expect(asking.request('refuse', {})).rejects.toMatchObject({ code: 'account.not_found', message: 'No such account.', detail: { id: 3 } });
    await expect(asking.request('crash', {})).rejects.toMatchObject({ code: 'internal' });
    await expect(asking.request('missing', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('drops and logs malformed messages', async () => {
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (event) => void warnings.push(event), child: () => log };
    const { asking, port1 } = pair(log);
    port1.postMessage({ type: 'request', id: -1, method: 'echo' });
    port1.postMessage('hello');
    expect(await asking.request('echo', 1)).toBe(1);
    await until(() => warnings.filter((event) => event === 'rpc.malformed_message').length === 2);
  });

  it('rejects what is still waiting when closed', async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => {
      port1.close();
      port2.close();
    });
    const asking = createRpcPeer(adapt(port1), { log: silentLogger, handlers: {} });
    const waiting = asking.request('never', {});
    asking.close({ code: 'internal', message: 'gone' });
    await expect(waiting).rejects.toMatchObject({ code: 'internal', message: 'gone' });
    await expect(asking.request('again', {})).rejects.toMatchObject({ message: 'gone' });
  });
});
