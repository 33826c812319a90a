import { mkdirSync } from 'node:fs';
import { openDatabase, type Db } from './db/database.ts';
import { fileLogger, type Logger } from './log.ts';
import { dataPaths, type DataPaths } from './paths.ts';

/** What every core service needs: where the profile lives, its database and its log. */
export interface CoreContext {
  readonly paths: DataPaths;
  readonly db: Db;
  readonly log: Logger;
  close(): void;
}

export function openCore(dataDir: string, options: { logger?: Logger } = {}): CoreContext {
  const paths = dataPaths(dataDir);
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const db = openDatabase(paths.database);
  const log = options.logger ?? fileLogger(paths.logFile);
  return {
    paths,
    db,
    log,
    close: () => db.close(),
  };
}
