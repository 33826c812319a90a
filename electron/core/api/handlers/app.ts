import { readFileSync } from 'node:fs';
import { downloadsFolder } from '../../export/output.ts';
import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

const packageJson = new URL('../../../../package.json', import.meta.url);

function appVersion(): string {
  const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

export function appHandlers({ about, review, storage }: CoreServices): HandlerGroup<'app.info' | 'settings.theme'> {
  const version = appVersion();
  return {
    'app.info': () => ({
      version,
      dataDir: about.dataDir,
      downloadsDir: downloadsFolder(),
      host: about.host === 'electron' ? 'electron' : 'browser',
      online: storage.syncRuns.lastKnownOnline(),
    }),
    'settings.theme': (input) => ({ theme: review.theme(input.theme) }),
  };
}
