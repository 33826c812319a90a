import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savedFileName } from '../../electron/core/review/documents.ts';
import { createCore } from '../../electron/core/core.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { lockedVault } from '../../electron/web/vault.ts';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

let fixture: ReviewFixture;
const scratch = mkdtempSync(join(tmpdir(), 'dossier-names-'));
beforeAll(async () => {
  fixture = await reviewFixture({ applications: 3, documents: 'unique', seed: 9 });
});
afterAll(async () => {
  await fixture.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function firstPacket() {
  return fixture.call('applicants.packet', { applicationId: fixture.seeded.applicationIds[0] as number });
}

describe('saved document names', () => {
  it('names a saved copy after the applicant and the document, and numbers a second one instead of overwriting it', async () => {
    const packet = await firstPacket();
    const cv = packet.documents.find((document) => document.kind === 'cv');
    if (!cv) throw new Error('no CV in the packet');
    const folder = mkdtempSync(join(scratch, 'save-'));
    const first = (await fixture.call('documents.saveAs', { documentId: cv.id, target: folder })).file as string;
    const second = (await fixture.call('documents.saveAs', { documentId: cv.id, target: folder })).file as string;
    expect(basename(first)).toBe(`${packet.row.name} – ${cv.title}.pdf`);
    expect(basename(second)).toBe(`${packet.row.name} – ${cv.title} (1).pdf`);
    expect(readdirSync(folder).sort()).toEqual([basename(first), basename(second)].sort());
    expect((await fixture.call('documents.locate', { documentId: cv.id })).fileName).toBe(basename(first));
  });

  it('names two applicants’ CVs apart, where the provider called both cv.pdf', async () => {
    const db = fixture.core.storage.db;
    const [one, two] = await Promise.all(fixture.seeded.applicationIds.slice(0, 2).map((applicationId) => fixture.call('applicants.packet', { applicationId })));
    const cvs = [one, two].map((packet) => packet?.documents.find((document) => document.kind === 'cv')?.id as number);
    for (const id of cvs) db.prepare("UPDATE documents SET file_name = 'cv.pdf' WHERE id = ?").run(id);
    const names = await Promise.all(cvs.map(async (documentId) => (await fixture.call('documents.locate', { documentId })).fileName));
    expect(new Set(names).size).toBe(2);
    expect(names[0]).toContain(one?.row.name);
    expect(names[1]).toContain(two?.row.name);
  });

  it('keeps the provider file’s own extension, so the opener still refuses a hostile one', async () => {
    const home = process.env.HOME;
    process.env.HOME = scratch;
    try {
      const db = fixture.core.storage.db;
      const documentId = db.prepare("SELECT id FROM documents WHERE kind <> 'cv' AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1").pluck().get() as number;
      db.prepare("UPDATE documents SET file_name = 'statement.pdf.sh', mime_type = 'application/pdf' WHERE id = ?").run(documentId);
      const openedBefore = fixture.opened.length;
      const result = await fixture.call('documents.openExternal', { documentId });
      expect(result.opened).toBe(false);
      expect(result.file?.endsWith('.sh')).toBe(true);
      expect(fixture.opened.length).toBe(openedBefore);
    } finally {
      process.env.HOME = home;
    }
  });

  it('builds the name from hostile display text without a path or a control character in it', () => {
    const base = { id: 4, mimeType: 'application/pdf' };
    expect(savedFileName({ ...base, title: 'CV', fileName: 'cv.pdf', applicantName: 'Adeyemi Chukwuemeka' })).toBe('Adeyemi Chukwuemeka – CV.pdf');
    expect(savedFileName({ ...base, title: 'Letter/../x', fileName: '../../etc/passwd', applicantName: 'A\u202eB' })).toBe('AB – Letter_._x.pdf');
    expect(savedFileName({ ...base, title: 'CV', fileName: null, applicantName: null })).toBe('CV.pdf');
    expect(savedFileName({ ...base, title: 'CV.pdf', fileName: 'cv.PDF', applicantName: 'Kim Lee' })).toBe('Kim Lee – CV.PDF');
  });
});

describe('read marks', () => {
  it('marks documents read and unread, and keeps the marks across a restart of the core', async () => {
    const packet = await firstPacket();
    const ids = packet.documents.map((document) => document.id);
    expect((await fixture.call('documents.reads', { documentIds: ids })).read).toEqual([]);
    await fixture.call('documents.markRead', { documentId: ids[0] as number, read: true });
    await fixture.call('documents.markRead', { documentId: ids[1] as number, read: true });
    await fixture.call('documents.markRead', { documentId: ids[1] as number, read: false });
    expect((await fixture.call('documents.reads', { documentIds: ids })).read).toEqual([ids[0]]);

    const again = createCore({ dataDir: fixture.dataDir, vault: lockedVault, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
    try {
      const outcome = await again.dispatch('documents.reads', { documentIds: ids });
      expect(outcome).toEqual({ ok: true, result: { read: [ids[0]] } });
    } finally {
      await again.close();
    }
  });

  it('refuses to mark a document that is not cached, saying what to do', async () => {
    const error = await fixture.fail('documents.markRead', { documentId: 987_654, read: true });
    expect(error.code).toBe('document.missing');
    expect(error.message).toContain('Sync');
  });
});
