import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInput, ApiName, ApiResult } from '../../shared/contract.ts';
import type { DossierErrorValue } from '../../shared/errors.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { lockedVault } from '../../electron/web/vault.ts';
import { seedDataDir, type SeedOptions, type SeedResult } from '../fixtures/seed.ts';

export interface ReviewFixture {
  readonly dataDir: string;
  readonly core: Core;
  readonly seeded: SeedResult;
  readonly opened: string[];
  call<Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>>;
  /** Calls and returns the error value; fails the test if the call succeeds. */
  fail<Name extends ApiName>(name: Name, input: unknown): Promise<DossierErrorValue>;
  close(): Promise<void>;
}

/** A core on a seeded temporary data directory, called through the same dispatch both hosts use. */
export async function reviewFixture(seed: SeedOptions): Promise<ReviewFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-review-'));
  const seeded = await seedDataDir(dataDir, seed);
  const opened: string[] = [];
  const core = createCore({
    dataDir,
    vault: lockedVault,
    openExternal: async (url) => {
      opened.push(url);
    },
    host: 'browser',
    documentUrl: (id) => `/documents/${id}`,
    logger: silentLogger,
  });
  return {
    dataDir,
    core,
    seeded,
    opened,
    call: async (name, input) => {
      const outcome = await core.dispatch(name, input);
      if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code}: ${outcome.error.message}`);
      return outcome.result as never;
    },
    fail: async (name, input) => {
      const outcome = await core.dispatch(name, input);
      if (outcome.ok) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(outcome.result).slice(0, 200)}`);
      return outcome.error;
    },
    close: async () => {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
