import { mkdirSync } from 'node:fs';
import { dataPaths } from '../core/base/paths.ts';
import { Storage } from '../core/storage/storage.ts';
import type { CommandContext } from './io.ts';

/**
 * Runs a command that only reads the cache against the profile's database alone. It loads no
 * vault, provider, sync engine or PDF code, which is most of the core's start-up: `dossier search`
 * answers in about half the time `withCore` would take.
 */
export async function withStorage<T>(ctx: CommandContext, work: (storage: Storage) => Promise<T> | T): Promise<T> {
  const paths = dataPaths(ctx.dataDir);
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const storage = Storage.open(paths.database);
  try {
    return await work(storage);
  } finally {
    storage.close();
  }
}
