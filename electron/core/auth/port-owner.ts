import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Which program listens on a TCP port of this machine, as "name (process id)", read from Linux's
 * /proc (the socket's inode in /proc/net/tcp*, then the process holding it). Undefined where there
 * is no /proc, or when the owner belongs to another user and cannot be seen: the caller then says
 * "another program".
 */
export async function portOwner(port: number): Promise<{ pid: number; name: string } | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local = '', , state, , , , , , inode] = fields;
      // State 0A is LISTEN; the local address ends in the port in hex.
      if (state === '0A' && Number.parseInt(local.split(':').at(-1) ?? '', 16) === port && inode !== undefined && inode !== '0') inodes.add(`socket:[${inode}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) {
        return { pid: Number(pid), name: await programName(pid) };
      }
    }
  }
  return undefined;
}

/** The program's file name from its command line (a thread may have renamed `comm`, as Node's main thread does). */
async function programName(pid: string): Promise<string> {
  const program = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0')[0] ?? '';
  if (program !== '') return basename(program);
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'unknown')).trim();
}
