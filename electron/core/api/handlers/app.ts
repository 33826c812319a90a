import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/database.ts';
import { theme } from '../../review/settings.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

const packageJson = new URL('../../../../package.json', import.meta.url);

function appVersion(): string {
  const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

/**
 * Whether the providers were reachable last time we tried: false when every account's latest
 * finished sync failed for want of a network. With no sync yet we have no reason to say offline.
 */
function lastKnownOnline(db: Db): boolean {
  const outcomes = db
    .prepare(`SELECT r.error_code AS errorCode FROM sync_runs r
      WHERE r.finished_at IS NOT NULL AND r.id = (SELECT max(id) FROM sync_runs WHERE account_id = r.account_id AND finished_at IS NOT NULL)`)
    .all() as { errorCode: string | null }[];
  return outcomes.length === 0 || outcomes.some((outcome) => outcome.errorCode !== 'network.unreachable');
}

export function appHandlers(deps: CoreDeps): HandlerGroup<'app.info' | 'settings.theme'> {
  const version = appVersion();
  const { db } = deps.context;
  return {
    'app.info': () => ({
      version,
      dataDir: deps.context.paths.root,
      downloadsDir: join(homedir(), 'Downloads'),
      host: deps.host === 'electron' ? 'electron' : 'browser',
      online: lastKnownOnline(db),
    }),
    'settings.theme': (input) => ({ theme: theme(db, input.theme) }),
  };
}
