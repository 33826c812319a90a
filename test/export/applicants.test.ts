import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportApplicants } from '../../electron/core/export/applicants.ts';
import { neutraliseCell } from '../../electron/core/export/csv.ts';
import { ExportFixture } from './fixtures.ts';

describe('applicant table CSV', () => {
  let fixture: ExportFixture;
  let accountId: number;
  let job: { id: number; remoteId: string };

  beforeEach(() => {
    fixture = new ExportFixture();
    accountId = fixture.account('EJM');
    job = fixture.job(accountId);
    const ada = fixture.application(accountId, job, { first: 'Ada', last: 'Lovelace', email: 'ada@example.org' });
    fixture.review(accountId, ada.remoteId, { rating: -2, status: 'shortlisted', note: 'Strong, "quoted", multi\nline', tags: ['theory', '=cmd|calc'] });
    const evil = fixture.application(accountId, job, { first: '=1+1', last: '@SUM(A1:A9)', email: '-2+3', institution: '\tTabbed\r' });
    fixture.review(accountId, evil.remoteId, { rating: 3, status: 'reviewing', note: '+HYPERLINK("http://x")' });
    const other = fixture.application(accountId, fixture.job(accountId, 'Other'), { first: 'Olga', last: 'Other' });
    fixture.review(accountId, other.remoteId, { rating: 1, status: 'shortlisted' });
    fixture.savedView('Theory shortlist', { statuses: ['shortlisted'], tags: ['theory'] });
  });

  afterEach(() => fixture.close());

  it('neutralises every cell a spreadsheet would execute', () => {
    for (const cell of ['=1+1', '+1', '-1', '@x', '\tx', '\rx']) expect(neutraliseCell(cell)).toBe(`'${cell}`);
    expect(neutraliseCell('Ada')).toBe('Ada');
    expect(neutraliseCell(-2)).toBe('-2');
    expect(neutraliseCell(null)).toBe('');
  });

  it('writes the selection with rating, status, tags and notes, parsed back intact and inert', async () => {
    const out = join(fixture.dataDir, 'applicants.csv');
    const outcome = await exportApplicants(fixture.storage, { jobId: job.id }, out);
    expect(outcome.entries).toBe(2);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = parse(text, { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
    expect(rows.map((row) => row['Last name'])).toEqual([`'@SUM(A1:A9)`, 'Lovelace']);
    const [evil, ada] = rows as [Record<string, string>, Record<string, string>];
    expect(ada).toMatchObject({ 'First name': 'Ada', Email: 'ada@example.org', Rating: '-2', Status: 'shortlisted', Tags: `'=cmd|calc; theory`, Notes: 'Strong, "quoted", multi\nline' });
    expect(evil).toMatchObject({ 'First name': `'=1+1`, Email: `'-2+3`, Institution: `'\tTabbed\r`, Notes: `'+HYPERLINK("http://x")`, Rating: '3' });
    for (const row of rows) {
      // Only real numbers may start with "-": the rating column holds the reviewer's integer.
      for (const [column, value] of Object.entries(row)) if (column !== 'Rating') expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('exports a saved view and the shortlist across jobs', async () => {
    const viewId = (fixture.db.prepare(`SELECT id FROM saved_views WHERE name = 'Theory shortlist'`).get() as { id: number }).id;
    const viewOut = join(fixture.dataDir, 'view.csv');
    await exportApplicants(fixture.storage, { viewId }, viewOut);
    const viewRows = parse(readFileSync(viewOut), { bom: true, columns: true }) as Record<string, string>[];
    expect(viewRows.map((row) => row['First name'])).toEqual(['Ada']);

    const shortlistOut = join(fixture.dataDir, 'shortlist.csv');
    await exportApplicants(fixture.storage, { shortlisted: true }, shortlistOut);
    const shortlist = parse(readFileSync(shortlistOut), { bom: true, columns: true }) as Record<string, string>[];
    expect(shortlist.map((row) => row['First name']).sort()).toEqual(['Ada', 'Olga']);

    await expect(exportApplicants(fixture.storage, { viewId: 999 }, join(fixture.dataDir, 'none.csv'))).rejects.toMatchObject({ code: 'input.invalid' });
    expect(existsSync(join(fixture.dataDir, 'none.csv'))).toBe(false);
  });
});
