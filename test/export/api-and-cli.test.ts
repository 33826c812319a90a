import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { parseInput, type EventPayload } from '../../shared/contract.ts';
import { exportHandlers } from '../../electron/core/api/handlers/export.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { createCore } from '../../electron/core/core.ts';
import { runCli } from '../helpers/cli.ts';
import { ExportFixture, realPdf } from './fixtures.ts';
import { entryNames, testAndExtract } from './unzip.ts';
import { vaultThatRefuses } from '../helpers/vault.ts';

/** Exports never read a secret: a vault that refuses every call proves it. */
const noSecrets = vaultThatRefuses('exports');

describe('exports through the API contract and the command line', () => {
  let fixture: ExportFixture;
  let accountId: number;
  let job: { id: number; remoteId: string };

  beforeEach(async () => {
    fixture = new ExportFixture();
    accountId = fixture.account('EJM');
    job = fixture.job(accountId, 'Assistant Professor');
    for (const [first, last] of [['Ada', 'Lovelace'], ['Alan', 'Turing'], ['Grace', 'Hopper']] as const) {
      const application = fixture.application(accountId, job, { first, last, email: `${first.toLowerCase()}@example.org` });
      fixture.letter(accountId, application, { name: 'Writer One', institution: 'MIT' }, await realPdf('letter', `${first} ${last}`, 'Writer One'));
      fixture.document(accountId, application, 'cv', { bytes: await realPdf('cv', `${first} ${last}`) });
      fixture.review(accountId, application.remoteId, { rating: 4, status: first === 'Grace' ? 'new' : 'shortlisted', tags: ['macro'] });
      fixture.interview(accountId, application.remoteId, { title: 'Interview', startsAt: '2027-01-04T15:00:00.000Z', endsAt: '2027-01-04T15:30:00.000Z', timeZone: 'America/Chicago' });
    }
  });

  afterEach(() => fixture.close());

  it('runs each export from its contract entry, reporting progress, and cancels on export.cancel', async () => {
    const core = createCore({ dataDir: fixture.dataDir, vault: noSecrets, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
    onTestFinished(() => core.close());
    const { events } = core;
    const progress: EventPayload<'export.progress'>[] = [];
    events.on('export.progress', (payload) => progress.push(payload));
    const handlers = exportHandlers(core.services);

    const letters = parseInput('export.letters', { selection: { jobId: job.id, shortlisted: true }, out: join(fixture.dataDir, 'letters.zip') });
    if (!letters.ok) throw new Error(letters.message);
    const result = await handlers['export.letters'](letters.value);
    expect(result).toMatchObject({ file: join(fixture.dataDir, 'letters.zip'), entries: 3 });
    expect(entryNames(result.file).sort()).toEqual(['Lovelace, Ada/Writer One.pdf', 'Turing, Alan/Writer One.pdf', 'manifest.csv']);
    expect(progress.at(-1)).toEqual({ kind: 'letters', done: 2, total: 2, current: null });
    expect(await handlers['export.cancel']({})).toEqual({ cancelled: false });

    const packets = parseInput('export.packets', { selection: {}, out: join(fixture.dataDir, 'packets.zip') });
    if (!packets.ok) throw new Error(packets.message);
    expect(packets.value).toMatchObject({ zip: true, includeReview: false });
    const cancelled: boolean[] = [];
    const stop = events.on('export.progress', (payload) => {
      if (payload.kind === 'packets' && payload.done === 1) void Promise.resolve(handlers['export.cancel']({})).then((outcome) => cancelled.push(outcome.cancelled));
    });
    await expect(handlers['export.packets'](packets.value)).rejects.toMatchObject({ code: 'export.cancelled' });
    stop();
    expect(cancelled).toEqual([true]);
    expect(existsSync(join(fixture.dataDir, 'packets.zip'))).toBe(false);
    expect(readdirSync(fixture.dataDir).filter((name) => name.endsWith('.part'))).toEqual([]);

    expect(parseInput('export.letters', { selection: { applicationIds: [0] }, out: 'x.zip' }).ok).toBe(false);
  });

  it('dossier export letters|packets|applicants|interviews write the files and print JSON', async () => {
    const base = ['--data-dir', fixture.dataDir, '--json', 'export'];
    const lettersOut = join(fixture.dataDir, 'shortlist-letters.zip');
    const letters = await runCli([...base, 'letters', '--out', lettersOut, '--account', 'ejm', '--job', job.remoteId, '--shortlisted']);
    expect(letters.stderr).toBe('');
    expect(letters.code).toBe(0);
    expect(JSON.parse(letters.stdout)).toMatchObject({ file: lettersOut, entries: 3 });
    const { files } = testAndExtract(lettersOut);
    expect(files.size).toBe(3);

    const packetsOut = join(fixture.dataDir, 'packets');
    const packets = await runCli([...base, 'packets', '--out', packetsOut, '--folder', '--include-review', '--application', '1', '--application', '3']);
    expect(packets.code).toBe(0);
    expect(readdirSync(packetsOut).sort()).toEqual(['Hopper, Grace.pdf', 'Lovelace, Ada.pdf']);

    const csvOut = join(fixture.dataDir, 'table.csv');
    expect((await runCli([...base, 'applicants', '--out', csvOut, '--job', String(job.id)])).code).toBe(0);
    expect((parse(readFileSync(csvOut), { bom: true, columns: true }) as unknown[]).length).toBe(3);

    const icsOut = join(fixture.dataDir, 'interviews.ics');
    const ics = await runCli(['--data-dir', fixture.dataDir, 'export', 'interviews', '--out', icsOut, '--shortlisted']);
    expect(ics.stdout).toMatch(/^Wrote 2 interviews to /);
    expect(readFileSync(icsOut, 'utf8').match(/BEGIN:VEVENT/g)).toHaveLength(2);

    const unknown = await runCli([...base, 'letters', '--out', join(fixture.dataDir, 'x.zip'), '--account', 'Nope']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'account.not_found' } });
    const badId = await runCli([...base, 'letters', '--out', join(fixture.dataDir, 'x.zip'), '--application', 'abc']);
    expect(badId.code).not.toBe(0);
    expect(existsSync(join(fixture.dataDir, 'x.zip'))).toBe(false);
  });

  it('never overwrites a file unasked: export.exists leaves it byte for byte, --force replaces it; exports are owner-only', async () => {
    const base = ['--data-dir', fixture.dataDir, '--json', 'export'];
    const csvOut = join(fixture.dataDir, 'table.csv');
    writeFileSync(csvOut, 'the committee notes someone kept here\n');
    for (const kind of ['applicants', 'letters', 'interviews']) {
      const refused = await runCli([...base, kind, '--out', csvOut]);
      expect(refused.code, kind).toBe(1);
      expect(JSON.parse(refused.stderr), kind).toMatchObject({ error: { code: 'export.exists' } });
      expect(JSON.parse(refused.stderr).error.message).toContain(csvOut);
    }
    expect(readFileSync(csvOut, 'utf8')).toBe('the committee notes someone kept here\n');
    expect(readdirSync(fixture.dataDir).filter((name) => name.endsWith('.part'))).toEqual([]);

    const forced = await runCli([...base, 'applicants', '--out', csvOut, '--force']);
    expect(forced.code).toBe(0);
    expect((parse(readFileSync(csvOut), { bom: true, columns: true }) as unknown[]).length).toBe(3);
    expect(statSync(csvOut).mode & 0o777).toBe(0o600);

    const packetsOut = join(fixture.dataDir, 'packets');
    expect((await runCli([...base, 'packets', '--out', packetsOut, '--folder', '--application', '1'])).code).toBe(0);
    const again = await runCli([...base, 'packets', '--out', packetsOut, '--folder', '--application', '1', '--application', '2']);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'export.exists' } });
    expect(readdirSync(packetsOut)).toEqual(['Lovelace, Ada.pdf']);
    expect(statSync(join(packetsOut, 'Lovelace, Ada.pdf')).mode & 0o777).toBe(0o600);
    expect(statSync(packetsOut).mode & 0o777).toBe(0o700);
  });
});
