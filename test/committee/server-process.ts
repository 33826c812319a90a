import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startNode } from '../sync/processes.ts';

const serverEntry = join(import.meta.dirname, '..', '..', 'electron', 'committee-server', 'main.ts');

/** Servers and Redis processes still running: a test that fails before its cleanup must not leave them behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
function reaped<Child extends ChildProcess>(child: Child): Child {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface SpawnedCommitteeServer {
  readonly url: string;
  readonly instance: string;
  readonly dataDir: string;
  /** What the server logged on stderr so far (one line per event). */
  log(): string;
  /** Sends `signal` (SIGKILL unless told) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM: the server stores every document and exits; rejects if it did not exit 0. */
  stop(): Promise<void>;
}

/**
 * Runs the committee server as its own process (electron/committee-server/main.ts), as an operator
 * would, so a test can SIGKILL it. Resolves once it printed its ready line.
 */
export async function spawnCommitteeServer(options: { dataDir: string; port?: number; redisUrl?: string; instance?: string }): Promise<SpawnedCommitteeServer> {
  const running = startNode([
    serverEntry, '--data-dir', options.dataDir, '--port', String(options.port ?? 0),
    ...(options.redisUrl === undefined ? [] : ['--redis', options.redisUrl]),
    ...(options.instance === undefined ? [] : ['--instance', options.instance]),
  ]);
  reaped(running.child);
  let stderr = '';
  running.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<{ url: string; instance: string }>((resolve, reject) => {
    const lines = createInterface({ input: running.child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string; instance: string }));
    void running.done.then((result) => reject(new Error(`The committee server exited before it was ready (code ${result.code}): ${result.stderr}`)));
  });
  return {
    url: ready.url,
    instance: ready.instance,
    dataDir: options.dataDir,
    log: () => stderr,
    kill: async (signal = 'SIGKILL') => {
      running.child.kill(signal);
      await running.done;
    },
    stop: async () => {
      running.child.kill('SIGTERM');
      const result = await running.done;
      if (result.code !== 0) throw new Error(`The committee server did not stop cleanly (code ${result.code}, signal ${result.signal}): ${result.stderr}`);
    },
  };
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A real Redis (Debian's redis-server) on a free port of 127.0.0.1, persisting nothing. */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = reaped(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) resolve();
    });
    child.once('error', (error) => reject(new Error(`redis-server could not start (is it installed? .ci/run installs it): ${error.message}`)));
    void exited.then(() => reject(new Error(`redis-server exited before it was ready: ${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
