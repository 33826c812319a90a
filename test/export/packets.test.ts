import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportPackets } from '../../electron/core/export/packets.ts';
import { runTool } from '../helpers/system-tool.ts';
import { ExportFixture, realPdf } from './fixtures.ts';
import { expectPortableName } from './portable.ts';
import { testAndExtract } from './unzip.ts';

/** Opens a PDF with pdfjs-dist (a reader independent of pdf-lib, which wrote it): pages, outline with target pages, cover text. */
async function readPdf(bytes: Uint8Array): Promise<{ pages: number; outline: { title: string; page: number }[]; coverText: string }> {
  const task = getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 });
  const doc = await task.promise;
  try {
    const outline = await Promise.all(
      ((await doc.getOutline()) ?? []).map(async (item) => {
        const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
        return { title: item.title, page: await doc.getPageIndex(dest?.[0] as { num: number; gen: number }) };
      }),
    );
    const cover = await (await doc.getPage(1)).getTextContent();
    return { pages: doc.numPages, outline, coverText: cover.items.map((item) => ('str' in item ? item.str : '')).join(' ') };
  } finally {
    await task.destroy();
  }
}

async function pageCount(bytes: Uint8Array): Promise<number> {
  return (await PDFDocument.load(bytes)).getPageCount();
}

describe('applicant packets', () => {
  let fixture: ExportFixture;
  let accountId: number;
  let job: { id: number; remoteId: string };
  const sourcePages = new Map<string, number>();
  const cleanup: string[] = [];

  beforeEach(async () => {
    fixture = new ExportFixture();
    accountId = fixture.account('EJM');
    job = fixture.job(accountId);
    const ada = fixture.application(accountId, job, { first: 'Ada', last: 'Lovelace', email: 'ada@example.org' });
    const add = async (label: string, kind: 'cv' | 'paper' | 'statement', writer: string, size: number): Promise<Buffer> => {
      const bytes = await realPdf(kind === 'statement' ? 'research' : kind, 'Ada Lovelace', writer, size);
      sourcePages.set(label, await pageCount(bytes));
      return bytes;
    };
    fixture.document(accountId, ada, 'cv', { title: 'Curriculum vitae', bytes: await add('cv', 'cv', 'x', 40_000) });
    fixture.document(accountId, ada, 'paper', { title: 'Job market paper: 😀 Ω', bytes: await add('paper', 'paper', 'x', 80_000) });
    fixture.document(accountId, ada, 'statement', { title: 'Research statement', bytes: await add('statement', 'statement', 'x', 20_000) });
    fixture.document(accountId, ada, 'other', { title: 'Transcript', fileName: 'transcript.docx', mimeType: 'application/pdf', bytes: Buffer.from('PK\u0003\u0004 not really a pdf') });
    const letterBytes = await realPdf('letter', 'Ada Lovelace', 'Grace Hopper', 30_000);
    sourcePages.set('letter', await pageCount(letterBytes));
    fixture.letter(accountId, ada, { name: 'Grace Hopper', institution: 'Yale' }, letterBytes);
    fixture.letter(accountId, ada, { name: 'Not Here Yet' }, null);
    fixture.review(accountId, ada.remoteId, { rating: 5, status: 'shortlisted', tags: ['theory', 'top-10'], note: 'private note' });

    const empty = fixture.application(accountId, job, { first: 'CON', last: null });
    fixture.review(accountId, empty.remoteId, { rating: 2 });
  });

  afterEach(() => {
    fixture.close();
    for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('zips one PDF per applicant with a cover, every document in order, and a bookmark per document', async () => {
    const out = join(fixture.dataDir, 'packets.zip');
    const outcome = await exportPackets(fixture.storage, fixture.paths.store, { jobId: job.id }, out, { zip: true, includeReview: true });
    expect(outcome.entries).toBe(2);
    const { dir, files } = testAndExtract(out);
    cleanup.push(dir);
    expect([...files.keys()].sort()).toEqual(['Lovelace, Ada.pdf', '_CON.pdf']);
    for (const name of files.keys()) expectPortableName(name);

    const ada = await readPdf(files.get('Lovelace, Ada.pdf') as Buffer);
    const [cv, paper, statement, letter] = ['cv', 'paper', 'statement', 'letter'].map((label) => sourcePages.get(label) as number) as [number, number, number, number];
    expect(ada.pages).toBe(1 + cv + statement + paper + letter);
    expect(await pageCount(files.get('Lovelace, Ada.pdf') as Buffer)).toBe(ada.pages);
    expect(ada.outline).toEqual([
      { title: 'Cover', page: 0 },
      { title: 'CV: Curriculum vitae', page: 1 },
      { title: 'Statement: Research statement', page: 1 + cv },
      { title: 'Paper: Job market paper: 😀 Ω', page: 1 + cv + statement },
      { title: 'Letter: Grace Hopper (Yale)', page: 1 + cv + statement + paper },
    ]);
    expect(ada.coverText).toContain('Ada Lovelace');
    expect(ada.coverText).toContain('ada@example.org');
    expect(ada.coverText).toMatch(/Rating\s+5/);
    expect(ada.coverText).toContain('theory, top-10');
    expect(ada.coverText).not.toContain('private note');
    expect(ada.coverText).toMatch(/Transcript: not a PDF/);
    expect(ada.coverText).toMatch(/Letter: Not Here Yet: not downloaded yet/);
    expect(ada.coverText).toContain(`page ${2 + cv + statement + paper}`);

    expect(runTool('pdfinfo', ['-'], { input: files.get('_CON.pdf') as Buffer })).toMatch(/Pages:\s+1\b/);
    const lone = await readPdf(files.get('_CON.pdf') as Buffer);
    expect(lone.outline).toEqual([{ title: 'Cover', page: 0 }]);
  });

  it('keeps the review off the cover unless asked', async () => {
    const out = join(fixture.dataDir, 'plain.zip');
    await exportPackets(fixture.storage, fixture.paths.store, { jobId: job.id }, out, { zip: true });
    const { dir, files } = testAndExtract(out);
    cleanup.push(dir);
    const ada = await readPdf(files.get('Lovelace, Ada.pdf') as Buffer);
    expect(ada.coverText).not.toContain('Rating');
    expect(ada.coverText).not.toContain('top-10');
  });

  it('writes loose PDFs into a folder, and a cancel removes what it wrote', async () => {
    const folder = join(fixture.dataDir, 'packets');
    const outcome = await exportPackets(fixture.storage, fixture.paths.store, {}, folder, { zip: false });
    expect(outcome.entries).toBe(2);
    expect(readdirSync(folder).sort()).toEqual(['Lovelace, Ada.pdf', '_CON.pdf']);
    expect(await pageCount(readFileSync(join(folder, '_CON.pdf')))).toBe(1);

    const cancelledAfterFirstPacket = (out: string, zip: boolean) => {
      const controller = new AbortController();
      return exportPackets(fixture.storage, fixture.paths.store, {}, out, { zip }, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.done === 1) controller.abort();
        },
      });
    };
    const second = join(fixture.dataDir, 'cancelled');
    mkdirSync(second);
    await expect(cancelledAfterFirstPacket(second, false)).rejects.toMatchObject({ code: 'export.cancelled' });
    expect(readdirSync(second)).toEqual([]);

    const zipped = join(fixture.dataDir, 'cancelled.zip');
    await expect(cancelledAfterFirstPacket(zipped, true)).rejects.toMatchObject({ code: 'export.cancelled' });
    expect(existsSync(zipped)).toBe(false);
    expect(readdirSync(fixture.dataDir).filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});
