/**
 * Review-query benchmark: the applicant table, filters, search-as-filter and packets through the
 * core's dispatch (input validation included), on a seeded data directory.
 *
 *   npx node test/bench/review-queries.ts [--applications 10000]
 *
 * The baseline, measured in the same run, is the same work on 100 applications; each line prints
 * the median and p95 at both sizes and their ratio (how the cost grows with the list).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../electron/core/core.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { lockedVault } from '../../electron/web/vault.ts';
import { seedDataDir } from '../fixtures/seed.ts';

const { values } = parseArgs({ options: { applications: { type: 'string', default: '10000' } } });
const large = Number(values.applications);
const baselineSize = 100;

interface Measure {
  readonly name: string;
  readonly runs: number;
  run(core: Core, ids: readonly number[], index: number): Promise<unknown>;
}

const call = async (core: Core, name: string, input: unknown) => {
  const outcome = await core.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
  return outcome.result;
};

const measures: Measure[] = [
  { name: 'applicants.list, every row', runs: 15, run: (core) => call(core, 'applicants.list', { filter: {} }) },
  { name: 'applicants.list, first 100 rows', runs: 30, run: (core) => call(core, 'applicants.list', { filter: {}, limit: 100 }) },
  { name: 'applicants.list, sorted by rating', runs: 15, run: (core) => call(core, 'applicants.list', { filter: {}, sort: { key: 'rating', direction: 'desc' } }) },
  { name: 'applicants.list, status+tag+rating filter', runs: 30, run: (core) => call(core, 'applicants.list', { filter: { statuses: ['reviewing', 'shortlisted'], tags: ['macro'], minRating: 3 } }) },
  { name: 'applicants.list, free text (typing "mac")', runs: 30, run: (core, _ids, index) => call(core, 'applicants.list', { filter: { text: ['m', 'ma', 'mac'][index % 3] } }) },
  { name: 'applicants.packet (next applicant)', runs: 200, run: (core, ids, index) => call(core, 'applicants.packet', { applicationId: ids[(index * 37) % ids.length] }) },
  { name: 'annotations.setRating', runs: 200, run: (core, ids, index) => call(core, 'annotations.setRating', { applicationId: ids[(index * 53) % ids.length], rating: (index % 5) + 1 }) },
  { name: 'interviews.list', runs: 30, run: (core) => call(core, 'interviews.list', {}) },
];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measureAll(size: number): Promise<Map<string, { median: number; p95: number }>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-bench-review-'));
  try {
    const started = performance.now();
    const seeded = await seedDataDir(dataDir, { applications: size, documents: 'none', annotate: true });
    console.log(`seeded ${size} applications in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const core = createCore({ dataDir, vault: lockedVault, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
    const results = new Map<string, { median: number; p95: number }>();
    for (const measure of measures) {
      await measure.run(core, seeded.applicationIds, 0);
      const times: number[] = [];
      for (let index = 0; index < measure.runs; index += 1) {
        const start = performance.now();
        await measure.run(core, seeded.applicationIds, index);
        times.push(performance.now() - start);
      }
      results.set(measure.name, { median: percentile(times, 50), p95: percentile(times, 95) });
    }
    await core.close();
    return results;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const baseline = await measureAll(baselineSize);
const measured = await measureAll(large);
console.log(`\n${'measure'.padEnd(44)} ${`${baselineSize} apps (p50/p95 ms)`.padEnd(24)} ${`${large} apps (p50/p95 ms)`.padEnd(26)} ratio p50`);
for (const measure of measures) {
  const small = baseline.get(measure.name) as { median: number; p95: number };
  const big = measured.get(measure.name) as { median: number; p95: number };
  console.log(`${measure.name.padEnd(44)} ${`${small.median.toFixed(2)} / ${small.p95.toFixed(2)}`.padEnd(24)} ${`${big.median.toFixed(2)} / ${big.p95.toFixed(2)}`.padEnd(26)} ×${(big.median / small.median).toFixed(1)}`);
}
