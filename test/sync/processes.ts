import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreHeapFlags } from '../../electron/host/heap.ts';

const dossierBin = join(import.meta.dirname, '..', '..', 'bin', 'dossier.js');

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The largest resident set the process reached (Linux VmHWM), in bytes; null where /proc is absent. */
  readonly peakRssBytes: number | null;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly done: Promise<ProcessResult>;
  /** Resolves once the process has written a line matching `pattern` to stderr. */
  stderrLine(pattern: RegExp): Promise<void>;
}

/**
 * Starts a real `dossier` process (bin/dossier.js under this Node, with the core's heap limits),
 * so tests see what two terminals on one profile see: separate processes, separate SQLite
 * connections, real signals.
 */
export function startDossier(args: readonly string[], env: NodeJS.ProcessEnv): RunningProcess {
  return startNode([...coreHeapFlags, dossierBin, ...args], env);
}

/** Starts a Node 24 process running `args` (a script and its arguments), with its output collected. */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let stdout = '';
  let stderr = '';
  let peakRssBytes: number | null = null;
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const watcher of watchers.filter((candidate) => candidate.pattern.test(stderr))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  });
  // VmHWM is gone once the process is reaped, so sample it while it runs.
  const sampler = setInterval(() => {
    const peak = peakRss(child.pid);
    if (peak !== null) peakRssBytes = Math.max(peakRssBytes ?? 0, peak);
  }, 25);
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      resolve({ code, signal, stdout, stderr, peakRssBytes });
    });
  });
  return {
    child,
    done,
    stderrLine: (pattern) =>
      new Promise((resolve) => {
        if (pattern.test(stderr)) resolve();
        else watchers.push({ pattern, resolve });
      }),
  };
}

function peakRss(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}
