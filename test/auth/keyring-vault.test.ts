import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../electron/core/demo/service.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { keyringServiceName } from '../../electron/host/keyring-vault.ts';
import { sandboxLauncher } from '../../electron/host/sandboxes.ts';
import { launchBrowserHost } from '../../electron/web/launch.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * The vault in a real Secret Service: this test starts its own D-Bus session bus and GNOME Keyring
 * (own HOME and XDG folders), runs the real `dossier` command line as a process on that bus, and
 * checks the browser host of the same data folder sees its sign-in, with `secret-tool` as the
 * independent witness that the secrets are in the keyring and nowhere in the data folder.
 */

const bin = join(import.meta.dirname, '../../bin/dossier.js');
let root: string;
let session: NodeJS.ProcessEnv;
let busPid: number;
let sandbox: RunningSandbox;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dossier-keyring-'));
  const home = join(root, 'home');
  const runtime = join(root, 'runtime');
  for (const dir of [home, runtime]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: join(home, '.local/share'), XDG_CONFIG_HOME: join(home, '.config') };
  const [address = '', pid = ''] = execFileSync('dbus-daemon', ['--session', '--fork', '--print-address=1', '--print-pid=1'], { env: base, encoding: 'utf8' }).trim().split('\n');
  busPid = Number(pid);
  session = { ...base, DBUS_SESSION_BUS_ADDRESS: address };
  const keyring = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--daemonize'], { env: session, input: 'keyring test password', encoding: 'utf8' });
  expect(keyring.status, keyring.stderr).toBe(0);
  // The in-process browser host's keyring library reads the bus address from this process's environment.
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  sandbox = await (await sandboxLauncher()).start('ejm', { scale: 'small', seed: 7 });
}, 30_000);

afterAll(async () => {
  await sandbox?.close();
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  // The keyring daemon leaves with its bus.
  if (busPid > 0) process.kill(busPid);
  rmSync(root, { recursive: true, force: true });
});

function dossier(dataDir: string, args: string[], stdinText = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, '--data-dir', dataDir, '--json', ...args], { env: session, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(stdinText);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })));
}

function secretTool(args: string[]): string {
  return execFileSync('secret-tool', args, { env: session, encoding: 'utf8' });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((file) => statSync(file).isFile());
}

describe('the system keyring vault (GNOME Keyring over a real D-Bus session)', () => {
  it('holds the command line\'s sign-in, which the browser host of the same data folder uses; nothing secret in the data folder', async () => {
    const dataDir = join(root, 'profile');
    const { address } = sandbox;
    const added = await dossier(dataDir, ['accounts', 'add', '--provider', 'ejm', '--name', 'EJM', '--base-url', address.baseUrl, '--token-url', address.tokenUrl, '--client-id', address.clientId], address.clientSecret);
    expect(added.code, added.stderr).toBe(0);
    const login = await dossier(dataDir, ['login', 'EJM']);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ state: 'signed_in' });

    const service = keyringServiceName(dataDir);
    const listed = secretTool(['search', '--all', '--unlock', 'service', service]);
    expect(listed).toContain('account:1:client_secret');
    expect(listed).toContain('account:1:tokens');
    expect(secretTool(['lookup', 'service', service, 'username', 'account:1:client_secret'])).toContain(address.clientSecret);
    const accessToken = /"accessToken":"([^"]+)"/.exec(secretTool(['lookup', 'service', service, 'username', 'account:1:tokens']))?.[1];
    expect(accessToken).toBeTruthy();
    // Another data folder is another service: it sees none of these.
    expect(secretTool(['search', '--all', 'service', keyringServiceName(join(root, 'other'))])).toBe('');

    expect(existsSync(join(dataDir, 'vault.json'))).toBe(false);
    for (const file of filesUnder(dataDir)) {
      const content = readFileSync(file);
      for (const secret of [address.clientSecret, accessToken ?? '']) expect(content.includes(secret), `${file} holds a secret`).toBe(false);
    }

    const host = await launchBrowserHost({ dataDir, rendererDir: root, secrets: { stdin: new PassThrough(), stderr: new PassThrough(), env: session }, openExternal: async () => undefined, logger: silentLogger });
    try {
      const [result] = await host.core.services.sync.run({ documents: false });
      expect(result, JSON.stringify(result?.error)).toMatchObject({ ok: true });
      expect(host.core.services.accounts.findByName('EJM').state).toBe('signed_in');
    } finally {
      await host.close();
    }
  }, 60_000);
});

describe('the passphrase file where there is no keyring', () => {
  it('a damaged vault costs only the sign-ins: the cache opens, the account asks to sign in again, the damaged file is kept aside and named', async () => {
    const dataDir = join(root, 'damaged');
    const env = { DOSSIER_VAULT: 'file', DOSSIER_PASSPHRASE: 'damage test passphrase', DOSSIER_DATA_DIR: dataDir };
    const { address } = sandbox;
    const added = await runCli(['accounts', 'add', '--provider', 'ejm', '--name', 'EJM', '--base-url', address.baseUrl, '--token-url', address.tokenUrl, '--client-id', address.clientId], env, address.clientSecret);
    expect(added.code, added.stderr).toBe(0);
    expect((await runCli(['login', 'EJM'], env)).code).toBe(0);
    const vaultFile = join(dataDir, 'vault.json');
    writeFileSync(vaultFile, '{"version":1,"kdf":');

    const listed = await runCli(['--json', 'accounts', 'list'], env);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'EJM' }]);
    const sync = await runCli(['--json', 'sync'], env);
    const aside = readdirSync(dataDir).find((name) => name.startsWith('vault.json.damaged-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dataDir, aside ?? ''), 'utf8')).toBe('{"version":1,"kdf":');
    expect(sync.stderr).toContain(`kept as ${join(dataDir, aside ?? '')}`);
    const { results } = JSON.parse(sync.stdout) as { results: { ok: boolean; error: { code: string } | null }[] };
    expect(results[0]).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^auth\./) } });
    const after = JSON.parse((await runCli(['--json', 'accounts', 'list'], env)).stdout) as { state: string }[];
    expect(after[0]?.state).not.toBe('signed_in');
  }, 60_000);
});
