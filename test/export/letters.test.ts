import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportLetters } from '../../electron/core/export/letters.ts';
import type { ExportProgress } from '../../electron/core/export/output.ts';
import { blobPath } from '../../electron/core/blobs/layout.ts';
import { ExportFixture, realPdf } from './fixtures.ts';
import { expectPortableName } from './portable.ts';
import { entryNames, testAndExtract } from './unzip.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('bulk letter export', () => {
  let fixture: ExportFixture;
  let accountId: number;
  let job: { id: number; remoteId: string };
  let neighbourSha: string[];
  const cleanup: string[] = [];

  beforeEach(async () => {
    fixture = new ExportFixture();
    accountId = fixture.account('EJM');
    job = fixture.job(accountId, 'Assistant Professor of Economics');
    const otherJob = fixture.job(accountId, 'Lecturer');

    const ada = fixture.application(accountId, job, { first: 'Ada', last: 'Lovelace' });
    fixture.letter(accountId, ada, { name: 'Jane Doe', institution: '=HYPERLINK("http://evil")' }, await realPdf('letter', 'Ada Lovelace', 'Jane Doe'));
    fixture.letter(accountId, ada, { name: 'jane doe', institution: 'MIT' }, await realPdf('letter', 'Ada Lovelace', 'jane doe'));
    fixture.letter(accountId, ada, { name: 'Jane Doe', institution: 'MIT' }, await realPdf('letter', 'Ada Lovelace', 'Jane Doe 2'));
    fixture.letter(accountId, ada, { name: 'CON', institution: null }, await realPdf('letter', 'Ada Lovelace', 'Con'));
    fixture.letter(accountId, ada, { name: 'Not Yet Downloaded', institution: 'Yale' }, null);
    // Some providers attach a letter to the person, not to one application: it belongs to Ada's folder too.
    const personLevel = fixture.letter(accountId, ada, { name: 'Person-level Writer' }, await realPdf('letter', 'Ada Lovelace', 'Person-level Writer'));
    fixture.db.prepare('UPDATE letters SET application_remote_id = NULL WHERE id = ?').run(personLevel.letterId);

    const hostile = fixture.application(accountId, job, { first: '../../', last: '../etc/passwd' });
    fixture.letter(accountId, hostile, { name: `Prof. 😀 ${'Ω'.repeat(300)}` }, await realPdf('letter', 'Hostile', 'Emoji'));
    fixture.letter(accountId, hostile, { name: 'AUX.pdf', receivedAt: null }, await realPdf('letter', 'Hostile', 'Aux'), 'aux.PDF');
    fixture.letter(accountId, hostile, { name: 'Li\u0301 . ' }, Buffer.from('plain text letter\n'), 'letter.txt');

    // The same name as Ada in the same folder level: the folders must be numbered, not merged.
    const secondAda = fixture.application(accountId, job, { first: 'ADA', last: 'LOVELACE' });
    fixture.letter(accountId, secondAda, { name: 'Someone' }, await realPdf('letter', 'Ada Lovelace II', 'Someone'));

    // A neighbour in another job: never in this job's export.
    const neighbour = fixture.application(accountId, otherJob, { first: 'Nina', last: 'Neighbour' });
    neighbourSha = [];
    for (const writer of ['Secret Writer', 'Jane Doe']) {
      const bytes = await realPdf('letter', 'Nina Neighbour', writer);
      neighbourSha.push(sha256(bytes));
      fixture.letter(accountId, neighbour, { name: writer }, bytes);
    }
    fixture.review(accountId, neighbour.remoteId, { status: 'shortlisted' });
  });

  afterEach(() => {
    fixture.close();
    for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes a ZIP that unzip verifies, with every letter byte-identical to the store and a manifest', async () => {
    const out = join(fixture.dataDir, 'letters.zip');
    const progress: ExportProgress[] = [];
    const outcome = await exportLetters(fixture.storage, fixture.paths.store, { jobId: job.id }, out, { onProgress: (event) => progress.push(event) });
    expect(outcome.file).toBe(out);
    expect(outcome.entries).toBe(10);
    const { dir, files } = testAndExtract(out);
    cleanup.push(dir);
    expect(entryNames(out)[0]).toBe('manifest.csv');

    const manifest = parse(files.get('manifest.csv') as Buffer, { bom: true, columns: true }) as Record<string, string>[];
    expect(manifest).toHaveLength(10);
    const included = manifest.filter((row) => row.File !== '');
    expect(included).toHaveLength(9);
    for (const row of included) {
      const bytes = files.get(row.File as string);
      expect(bytes, row.File).toBeDefined();
      expect(sha256(bytes as Buffer)).toBe(row['SHA-256']);
      expect((bytes as Buffer).equals(readFileSync(blobPath(fixture.paths.store, row['SHA-256'] as string)))).toBe(true);
    }
    expect(files.size).toBe(10);
    const missing = manifest.find((row) => row.Writer === 'Not Yet Downloaded');
    expect(missing?.File).toBe('');
    expect(missing?.Note).toMatch(/not downloaded/);
    // A formula in the writer's institution reaches the spreadsheet as text.
    expect(manifest.find((row) => row.Institution?.includes('HYPERLINK'))?.Institution).toBe(`'=HYPERLINK("http://evil")`);

    // Only the selected applicants' letters: the neighbour's bytes and name are nowhere.
    const shaInZip = [...files.values()].map(sha256);
    for (const secret of neighbourSha) expect(shaInZip).not.toContain(secret);
    expect(manifest.some((row) => row.Applicant?.includes('Neighbour'))).toBe(false);

    // Hostile names became safe, distinct entries (case-insensitively), one folder per applicant.
    const names = [...files.keys()];
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    for (const name of names) for (const part of name.split('/')) expectPortableName(part);
    const folders = new Set(names.filter((name) => name.includes('/')).map((name) => name.split('/')[0]));
    expect([...folders].sort()).toEqual(['LOVELACE, ADA (2)', 'Lovelace, Ada', '_etc_passwd, ._._'].sort());
    expect(names).toContain('Lovelace, Ada/Jane Doe.pdf');
    expect(names).toContain('Lovelace, Ada/jane doe (2).pdf');
    expect(names).toContain('Lovelace, Ada/Jane Doe (3).pdf');
    expect(names).toContain('Lovelace, Ada/_CON.pdf');
    expect(names).toContain('Lovelace, Ada/Person-level Writer.pdf');
    expect(names).toContain('_etc_passwd, ._._/_AUX.pdf');
    expect(names).toContain('_etc_passwd, ._._/Lí.txt');
    expect(names.some((name) => name.startsWith('_etc_passwd, ._._/Prof. 😀 ΩΩ'))).toBe(true);

    expect(progress.at(-1)).toEqual({ done: 9, total: 9, current: null });
    expect(readdirSync(fixture.dataDir).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('narrows to the shortlist, and to hand-picked applications', async () => {
    const shortlisted = join(fixture.dataDir, 'shortlist.zip');
    await exportLetters(fixture.storage, fixture.paths.store, { shortlisted: true }, shortlisted);
    const { dir, files } = testAndExtract(shortlisted);
    cleanup.push(dir);
    expect([...files.keys()].filter((name) => name !== 'manifest.csv').sort()).toEqual(['Neighbour, Nina/Jane Doe.pdf', 'Neighbour, Nina/Secret Writer.pdf']);

    const nobody = join(fixture.dataDir, 'job-shortlist.zip');
    const outcome = await exportLetters(fixture.storage, fixture.paths.store, { jobId: job.id, shortlisted: true }, nobody);
    expect(outcome.entries).toBe(1);
    expect(entryNames(nobody)).toEqual(['manifest.csv']);
  });

  it('leaves nothing at the target when cancelled mid-way', async () => {
    const out = join(fixture.dataDir, 'cancelled.zip');
    const controller = new AbortController();
    const seen: number[] = [];
    const run = exportLetters(fixture.storage, fixture.paths.store, { jobId: job.id }, out, {
      signal: controller.signal,
      onProgress: (event) => {
        seen.push(event.done);
        if (event.done === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'export.cancelled' });
    expect(seen).toContain(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(fixture.dataDir).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('refuses a letter whose stored bytes no longer match their hash, writing nothing', async () => {
    const row = fixture.db.prepare(`SELECT d.sha256 FROM letters l JOIN documents d ON d.id = l.document_id WHERE l.writer_name = 'CON'`).get() as { sha256: string };
    writeFileSync(blobPath(fixture.paths.store, row.sha256), 'tampered');
    const out = join(fixture.dataDir, 'damaged.zip');
    await expect(exportLetters(fixture.storage, fixture.paths.store, { jobId: job.id }, out)).rejects.toMatchObject({ code: 'document.hash_mismatch' });
    expect(existsSync(out)).toBe(false);
  });

  it('streams a letter too large to read whole, and still checks its hash', async () => {
    const scanned = fixture.application(accountId, job, { first: 'Sam', last: 'Scanned' });
    const bytes = await realPdf('letter', 'Sam Scanned', 'Big Scanner', 9 * 1024 * 1024);
    fixture.letter(accountId, scanned, { name: 'Big Scanner' }, bytes);
    const out = join(fixture.dataDir, 'large.zip');
    await exportLetters(fixture.storage, fixture.paths.store, { applicationIds: [scanned.id] }, out);
    const { dir, files } = testAndExtract(out);
    cleanup.push(dir);
    expect(files.get('Scanned, Sam/Big Scanner.pdf')?.equals(bytes)).toBe(true);

    const tampered = Buffer.from(bytes);
    const at = tampered.length - 100;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 0xff, at);
    writeFileSync(blobPath(fixture.paths.store, sha256(bytes)), tampered);
    const damaged = join(fixture.dataDir, 'large-damaged.zip');
    await expect(exportLetters(fixture.storage, fixture.paths.store, { applicationIds: [scanned.id] }, damaged)).rejects.toMatchObject({ code: 'document.hash_mismatch' });
    expect(existsSync(damaged)).toBe(false);
  });

  it('says which folder is missing instead of failing half-way', async () => {
    await expect(exportLetters(fixture.storage, fixture.paths.store, {}, join(fixture.dataDir, 'no-such-folder', 'x.zip'))).rejects.toMatchObject({ code: 'export.failed', message: expect.stringMatching(/does not exist/) });
  });
});
