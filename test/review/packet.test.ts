import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentKinds } from '../../shared/domain.ts';
import { safeFileName } from '../../electron/core/review/documents.ts';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

let fixture: ReviewFixture;
const scratch = mkdtempSync(join(tmpdir(), 'dossier-save-'));
beforeAll(async () => {
  fixture = await reviewFixture({ applications: 3, documents: 'unique', seed: 5 });
});
afterAll(async () => {
  await fixture.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('applicants.packet', () => {
  it('gathers contact, answers, letters and documents in reading order: CV, papers, statements, letters', async () => {
    const applicationId = fixture.seeded.applicationIds[0] as number;
    const packet = await fixture.call('applicants.packet', { applicationId });
    const remote = fixture.core.storage.db.prepare('SELECT remote_id FROM applications WHERE id = ?').pluck().get(applicationId) as string;
    const application = fixture.seeded.snapshot.applications?.rows.find((row) => row.remoteId === remote);
    const applicant = fixture.seeded.snapshot.applicants?.rows.find((row) => row.remoteId === application?.applicantRemoteId);
    expect(packet.email).toBe(applicant?.email);
    expect(packet.answers).toEqual(application?.answers);
    expect(packet.currentPosition).toBe(`${applicant?.currentPosition}, ${applicant?.currentInstitution}`);

    const ranks = packet.documents.map((document) => documentKinds.indexOf(document.kind));
    expect(ranks).toEqual([...ranks].sort((left, right) => left - right));
    expect(packet.documents[0]?.kind).toBe('cv');
    expect(packet.documents.every((document) => document.available)).toBe(true);
    const expectedLetters = fixture.seeded.snapshot.letters?.rows.filter((letter) => letter.applicationRemoteId === remote) ?? [];
    expect(packet.letters).toHaveLength(expectedLetters.length);
    const letterDocuments = packet.documents.filter((document) => document.kind === 'letter');
    expect(letterDocuments).toHaveLength(expectedLetters.filter((letter) => letter.documentRemoteId !== null).length);
    for (const document of letterDocuments) {
      expect(packet.letters.find((letter) => letter.documentId === document.id)?.writerName).toBe(document.writer);
    }
  });

  it('refuses an unknown application', async () => {
    expect((await fixture.fail('applicants.packet', { applicationId: 424242 })).code).toBe('input.invalid');
  });
});

describe('documents', () => {
  it('locates a stored document at the host URL, with a display name that is never a path', async () => {
    const packet = await fixture.call('applicants.packet', { applicationId: fixture.seeded.applicationIds[1] as number });
    const cv = packet.documents[0];
    if (!cv) throw new Error('no CV in the packet');
    const located = await fixture.call('documents.locate', { documentId: cv.id });
    expect(located).toEqual({ url: `/documents/${cv.id}`, fileName: cv.fileName, mimeType: 'application/pdf', available: true });
    expect((await fixture.fail('documents.locate', { documentId: 999_999 })).code).toBe('document.missing');
  });

  it('saves a copy without ever overwriting, and opens a named copy in the system viewer', async () => {
    const documentId = (await fixture.call('applicants.packet', { applicationId: fixture.seeded.applicationIds[2] as number })).documents[0]?.id as number;
    const saved = await fixture.call('documents.saveAs', { documentId, target: scratch });
    expect(saved.file).toMatch(/^.*\.pdf$/);
    expect(readFileSync(saved.file as string).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await fixture.fail('documents.saveAs', { documentId, target: saved.file })).message).toContain('nothing was overwritten');
    expect((await fixture.fail('documents.saveAs', { documentId, target: 'relative/path.pdf' })).code).toBe('input.invalid');

    expect(await fixture.call('documents.openExternal', { documentId })).toEqual({ opened: true, file: null });
    const opened = fixture.opened.at(-1) as string;
    expect(opened.startsWith('file://')).toBe(true);
    expect(existsSync(fileURLToPath(opened))).toBe(true);
    expect(opened.endsWith('.pdf')).toBe(true);
  });

  it('in the browser host, saves to Downloads under a fresh name when no target is given', async () => {
    const home = process.env.HOME;
    process.env.HOME = scratch;
    try {
      const documentId = (await fixture.call('applicants.packet', { applicationId: fixture.seeded.applicationIds[0] as number })).documents[0]?.id as number;
      const first = (await fixture.call('documents.saveAs', { documentId })).file as string;
      const second = (await fixture.call('documents.saveAs', { documentId })).file as string;
      expect(first.startsWith(join(scratch, 'Downloads'))).toBe(true);
      expect(second).toBe(first.replace(/\.pdf$/, ' (1).pdf'));
      expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
    } finally {
      process.env.HOME = home;
    }
  });

  it('never hands a file that is not a document type to the system opener: it saves a copy instead', async () => {
    const home = process.env.HOME;
    process.env.HOME = scratch;
    try {
      const db = fixture.core.storage.db;
      const documentId = db.prepare("SELECT id FROM documents WHERE kind = 'statement' AND sha256 IS NOT NULL ORDER BY id LIMIT 1").pluck().get() as number;
      const openedBefore = fixture.opened.length;
      for (const hostile of ['cv.sh', 'Lebenslauf.exe', 'letter.pdf.cmd', 'run.JAR']) {
        db.prepare('UPDATE documents SET file_name = ?, mime_type = ? WHERE id = ?').run(hostile, 'application/pdf', documentId);
        const result = await fixture.call('documents.openExternal', { documentId });
        expect(result.opened, hostile).toBe(false);
        expect(result.file?.startsWith(join(scratch, 'Downloads')), hostile).toBe(true);
        expect(readFileSync(result.file as string).subarray(0, 5).toString()).toBe('%PDF-');
      }
      expect(fixture.opened.length).toBe(openedBefore);
      db.prepare('UPDATE documents SET file_name = ? WHERE id = ?').run('Statement.PDF', documentId);
      expect(await fixture.call('documents.openExternal', { documentId })).toEqual({ opened: true, file: null });
      expect(fixture.opened.length).toBe(openedBefore + 1);
    } finally {
      process.env.HOME = home;
    }
  });

  it('reports a document whose bytes are not downloaded as missing, with what to do', async () => {
    const db = fixture.core.storage.db;
    const documentId = db.prepare("SELECT id FROM documents WHERE kind = 'paper' ORDER BY id LIMIT 1").pluck().get() as number;
    db.prepare('UPDATE documents SET sha256 = NULL WHERE id = ?').run(documentId);
    expect(await fixture.call('documents.locate', { documentId })).toMatchObject({ url: null, available: false });
    const error = await fixture.fail('documents.openExternal', { documentId });
    expect(error.code).toBe('document.missing');
    expect(error.message).toContain('Sync');
  });
});

describe('safeFileName', () => {
  it('strips folders, reserved and control characters, and fits the extension to the type', () => {
    expect(safeFileName('../../etc/passwd', 'application/pdf', 3)).toBe('passwd.pdf');
    expect(safeFileName('C:\\Users\\x\\cv.pdf', 'application/pdf', 3)).toBe('cv.pdf');
    expect(safeFileName('a\u0000b\u202e"c:*?.pdf', 'application/pdf', 3)).toBe('ab_c___.pdf');
    expect(safeFileName('...', null, 12)).toBe('document-12');
    expect(safeFileName('CON.pdf', 'application/pdf', 1)).toBe('_CON.pdf');
    expect(safeFileName('Lettre de recommandation — Pérez', 'application/pdf', 1)).toBe('Lettre de recommandation — Pérez.pdf');
    expect(safeFileName(`${'x'.repeat(300)}.pdf`, 'application/pdf', 1)).toBe(`${'x'.repeat(116)}.pdf`);
  });
});
