import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/storage/database.ts';
import { migrate } from '../../electron/core/storage/migrate.ts';
import { migrations } from '../../electron/core/storage/migrations/index.ts';
import { searchRowId } from '../../electron/core/storage/search-index.ts';
import { Storage } from '../../electron/core/storage/storage.ts';
import { SearchTerms, searchPhrases } from '../../shared/search-terms.ts';
import { SearchService } from '../../electron/core/search/service.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-search-'));
  dirs.push(dir);
  return join(dir, 'dossier.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A profile database as the core opens it, with the search over it. */
function openProfile(file: string) {
  const storage = Storage.open(file);
  return { storage, db: storage.db, search: new SearchService(storage) };
}

const now = '2026-11-01T00:00:00.000Z';
const marked = (word: string) => `\uE000${word}\uE001`;

/** Rows as a sync writes them (only the columns search reads), in a real profile database. */
function profile(db: Db) {
  const accountId = Number(db
    .prepare(`INSERT INTO accounts (name, provider, base_url, grant_type, created_at, updated_at) VALUES ('EJM', 'ejm', 'https://example.org', 'client_credentials', ?, ?)`)
    .run(now, now).lastInsertRowid);
  let next = 0;
  const remoteId = () => String((next += 1));
  return {
    applicant(firstName: string, lastName: string, institution: string): { id: number; remoteId: string } {
      const remote = remoteId();
      const id = Number(db
        .prepare(`INSERT INTO applicants (account_id, remote_id, first_name, last_name, institution, primary_field, raw_json, synced_at) VALUES (?, ?, ?, ?, ?, 'Monetary Economics', '{}', ?)`)
        .run(accountId, remote, firstName, lastName, institution, now).lastInsertRowid);
      return { id, remoteId: remote };
    },
    application(applicant: { id: number; remoteId: string }, jobTitle: string): { id: number; remoteId: string } {
      const remote = remoteId();
      const id = Number(db
        .prepare(`INSERT INTO applications (account_id, remote_id, applicant_remote_id, applicant_id, job_title, raw_json, synced_at) VALUES (?, ?, ?, ?, ?, '{}', ?)`)
        .run(accountId, remote, applicant.remoteId, applicant.id, jobTitle, now).lastInsertRowid);
      return { id, remoteId: remote };
    },
    letter(application: { remoteId: string }, writerName: string): number {
      return Number(db
        .prepare(`INSERT INTO letters (account_id, remote_id, application_remote_id, writer_name, writer_institution, raw_json, synced_at) VALUES (?, ?, ?, ?, 'Yale University', '{}', ?)`)
        .run(accountId, remoteId(), application.remoteId, writerName, now).lastInsertRowid);
    },
    /** A document with extracted text (stored as a verified blob), or without text when `text` is null. */
    document(application: { remoteId: string }, title: string, fileName: string, text: string | null): number {
      const sha256 = text === null ? null : createHash('sha256').update(text).digest('hex');
      if (sha256 !== null && text !== null) {
        db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(sha256, text.length, now);
        db.prepare('INSERT OR IGNORE INTO document_texts (sha256, text) VALUES (?, ?)').run(sha256, text);
      }
      return Number(db
        .prepare(`INSERT INTO documents (account_id, remote_id, kind, application_remote_id, title, file_name, sha256, raw_json, synced_at) VALUES (?, ?, 'paper', ?, ?, ?, ?, '{}', ?)`)
        .run(accountId, remoteId(), application.remoteId, title, fileName, sha256, now).lastInsertRowid);
    },
  };
}

/** A recommendation letter's text, which names its candidate in nearly every sentence. */
function recommending(name: string): string {
  return Array.from({ length: 12 }, (_, index) => `${name} ${['is', 'wrote', 'leads', 'teaches'][index % 4]} well.`).join(' ');
}

/** A long paper that names nobody, so the index's average row is as long as a real profile's. */
const longPaper = 'We estimate the effect of credit supply on regional employment. '.repeat(300);

describe('full-text search', () => {
  it("ranks a person's name before a document's title, and a title before a document's text", () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    const emi = rows.applicant('Emi', 'Nakamura', 'Columbia University');
    const emiApplication = rows.application(emi, 'Assistant Professor');
    const cv = rows.document(emiApplication, 'Curriculum vitae', 'Nakamura_CV.pdf', 'CURRICULUM VITAE Department of Economics, Columbia University');
    const letter = rows.document(emiApplication, 'Letter of recommendation', 'letter 1.pdf', recommending('Nakamura'));
    const other = rows.application(rows.applicant('Jon', 'Steinsson', 'Harvard University'), 'Lecturer');
    const papers = [1, 2].map((index) => rows.document(other, 'Job market paper', `paper ${index}.pdf`, longPaper));
    storage.searchIndex.reindex({ applicants: [emi.id], applications: [emiApplication.id, other.id], documents: [cv, letter, ...papers] });

    const hits = search.query('Nakamura', 20);
    // Her own rows first (a letter naming her a dozen times outscores them by bm25 alone).
    expect(hits.slice(0, 2).map((hit) => hit.kind).sort()).toEqual(['applicant', 'application']);
    expect(hits.slice(0, 2).every((hit) => hit.applicationId === emiApplication.id && hit.title.includes('Nakamura'))).toBe(true);
    expect(hits.slice(2).map((hit) => hit.documentId)).toEqual([cv, letter]);
    // The CV's text does not name her, so its snippet is its title, marked; the letter's is its text.
    expect(hits[2]).toMatchObject({ applicationId: emiApplication.id, snippet: `Curriculum vitae · ${marked('Nakamura')}_CV.pdf` });
    expect(hits[3]).toMatchObject({ applicationId: emiApplication.id, title: 'Letter of recommendation · letter 1.pdf' });
    expect(hits[3]?.snippet).toMatch(/^\uE000Nakamura\uE001 is well\. \uE000Nakamura\uE001 wrote well\..*…$/u);
    const ranks = hits.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((left, right) => left - right));
    storage.close();
  });

  it('marks whole words only, the last term also as the beginning of a word, in any case', () => {
    const terms = new SearchTerms([{ text: 'labor', prefix: false }, { text: 'lab', prefix: true }]);
    expect(terms.mark('Laboratory labor LABOUR relabel lab-based')).toBe(
      `${marked('Laboratory')} ${marked('labor')} ${marked('LABOUR')} relabel ${marked('lab')}-based`,
    );
    expect(new SearchTerms([{ text: 'ökonom', prefix: true }]).mark('Ökonomie, ökonomisch; xökonom 𝐀ökonom')).toBe(`${marked('Ökonomie')}, ${marked('ökonomisch')}; xökonom 𝐀ökonom`);
    expect(new SearchTerms([{ text: 'Ludwig-Maximilians-Universität', prefix: true }]).mark('Ludwig-Maximilians-Universität München')).toBe(`${marked('Ludwig-Maximilians-Universität')} München`);
  });

  it('shows the text around the match for a document found by its title', () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    const application = rows.application(rows.applicant('Ana', 'Souza', 'FGV'), 'Assistant Professor');
    const text = `${'Introduction and motivation. '.repeat(40)}We estimate monetary policy shocks from high-frequency data. ${'Conclusion. '.repeat(40)}`;
    const paper = rows.document(application, 'Monetary policy shocks', 'jmp.pdf', text);
    storage.searchIndex.reindex({ documents: [paper] });

    const [hit] = search.query('shocks', 5);
    expect(hit).toMatchObject({ kind: 'document', documentId: paper, applicationId: application.id });
    expect(hit?.snippet).toMatch(/^….*monetary policy \uE000shocks\uE001 from high-frequency.*…$/u);
    storage.close();
  });

  it('still puts a name first when a word matches more rows than are scored', () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    // The oldest row (lowest rowid) is the name; 1,200 newer letters mention "letter" in their text.
    const named = rows.applicant('Ann', 'Letterman', 'MIT');
    const application = rows.application(rows.applicant('Bo', 'Chen', 'NYU'), 'Assistant Professor');
    const letters = db.transaction(() => Array.from({ length: 1200 }, (_, index) => rows.letter(application, `Writer ${index}`)))();
    storage.searchIndex.reindex({ applicants: [named.id], applications: [application.id], letters });

    const hits = search.query('letter', 30);
    expect(hits[0]).toMatchObject({ kind: 'applicant', title: 'Ann Letterman', snippet: `Ann ${marked('Letterman')}` });
    expect(hits.slice(1).every((hit) => hit.kind === 'letter' && hit.snippet.includes(marked('letter')))).toBe(true);
    expect(hits).toHaveLength(30);
    storage.close();
  });

  it('keeps both indexes in step when rows change or go away', () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    const applicant = rows.applicant('Lena', 'Vogel', 'Universität Bonn');
    const application = rows.application(applicant, 'Assistant Professor');
    const paper = rows.document(application, 'Job market paper', 'vogel.pdf', null);
    storage.searchIndex.reindex({ applicants: [applicant.id], applications: [application.id], documents: [paper] });
    expect(search.query('overconfidence', 5)).toEqual([]);

    // The text arrives after the download; the document's row is indexed again.
    const text = 'We study overconfidence among traders.';
    const sha256 = createHash('sha256').update(text).digest('hex');
    db.prepare('INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(sha256, text.length, now);
    db.prepare('INSERT INTO document_texts (sha256, text) VALUES (?, ?)').run(sha256, text);
    db.prepare('UPDATE documents SET sha256 = ? WHERE id = ?').run(sha256, paper);
    storage.searchIndex.reindex({ documents: [paper] });
    expect(search.query('overconfidence', 5)).toMatchObject([{ kind: 'document', documentId: paper, snippet: `We study ${marked('overconfidence')} among traders.` }]);

    db.prepare('DELETE FROM applications WHERE id = ?').run(application.id);
    db.prepare('DELETE FROM applicants WHERE id = ?').run(applicant.id);
    storage.searchIndex.reindex({ applicants: [applicant.id], applications: [application.id] });
    expect(search.query('Vogel', 5).map((hit) => hit.kind)).toEqual(['document']);
    expect(db.prepare('SELECT count(*) FROM search_records WHERE rowid IN (?, ?)').pluck().get(searchRowId('applicant', applicant.id), searchRowId('application', application.id))).toBe(0);
    storage.close();
  });

  it('builds the records index of a profile indexed before it existed, on upgrade', () => {
    const file = tempFile();
    const before = new Database(file);
    migrate(before, migrations.filter((migration) => migration.version === 1));
    const rows = profile(before);
    const applicant = rows.applicant('Tomás', 'Ibáñez', 'Universidad Carlos III');
    const application = rows.application(applicant, 'Assistant Professor');
    const paper = rows.document(application, 'Job market paper', 'ibanez_jmp.pdf', 'Sovereign default and reputation.');
    // What version 1 wrote: every row, documents with their text, in search_index alone.
    const insert = before.prepare('INSERT INTO search_index (rowid, kind, ref, account_id, title, body) VALUES (?, ?, ?, 1, ?, ?)');
    insert.run(searchRowId('applicant', applicant.id), 'applicant', applicant.id, 'Tomás Ibáñez', 'Universidad Carlos III · Monetary Economics');
    insert.run(searchRowId('application', application.id), 'application', application.id, 'Tomás Ibáñez — Assistant Professor', '');
    insert.run(searchRowId('document', paper), 'document', paper, 'Job market paper · ibanez_jmp.pdf', 'Sovereign default and reputation.');
    before.close();

    const { storage, db, search } = openProfile(file);
    expect(db.prepare('SELECT kind, title, body FROM search_records ORDER BY rowid').all()).toEqual([
      { kind: 'applicant', title: 'Tomás Ibáñez', body: 'Universidad Carlos III · Monetary Economics' },
      { kind: 'application', title: 'Tomás Ibáñez — Assistant Professor', body: '' },
      { kind: 'document', title: 'Job market paper · ibanez_jmp.pdf', body: '' },
    ]);
    const byName = search.query('ibanez', 5);
    expect(byName.map((hit) => hit.kind).sort()).toEqual(['applicant', 'application', 'document']);
    expect(byName[2]).toMatchObject({ kind: 'document', documentId: paper, snippet: `Job market paper · ${marked('ibanez')}_jmp.pdf` });
    expect(search.query('sovereign', 5)).toMatchObject([{ kind: 'document', documentId: paper, snippet: `${marked('Sovereign')} default and reputation.` }]);
    storage.close();
  });
});

describe('searches of several words', () => {
  it('finds and ranks the candidate of an institution named with "of", and still needs the other words', () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    const mit = rows.applicant('Ravi', 'Kumar', 'Massachusetts Institute of Technology');
    const chicago = rows.applicant('Mia', 'Lund', 'University of Chicago');
    const indian = rows.applicant('Arun', 'Das', 'Indian Statistical Institute');
    storage.searchIndex.reindex({ applicants: [mit.id, chicago.id, indian.id] });

    const hits = search.query('Institute of Technology', 10);
    expect(hits.map((hit) => hit.title)).toEqual(['Ravi Kumar']);
    // The words found are marked, the "of" left out is not.
    expect(hits[0]).toMatchObject({ kind: 'applicant', snippet: `Massachusetts ${marked('Institute')} of ${marked('Technology')} · Monetary Economics` });
    // "of" alone is all there is to find: it is kept.
    expect(search.query('of', 10).map((hit) => hit.title).sort()).toEqual(['Mia Lund', 'Ravi Kumar']);
    storage.close();
  });

  it('matches a quoted phrase with its "of" exactly, in order, where the same words unquoted match in any order', () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    const application = rows.application(rows.applicant('Ines', 'Moreau', 'PSE'), 'Assistant Professor');
    const exact = rows.document(application, 'Essays on the economics of education', 'moreau_jmp.pdf', null);
    const reversed = rows.document(application, 'Education and economics', 'moreau_2.pdf', null);
    const without = rows.document(application, 'Economics for education', 'moreau_3.pdf', null);
    storage.searchIndex.reindex({ applications: [application.id], documents: [exact, reversed, without] });

    expect(search.query('"economics of education"', 10).map((hit) => hit.documentId)).toEqual([exact]);
    // Typing the phrase: an unclosed quote is a phrase too, its last word a prefix.
    expect(search.query('"economics of educ', 10).map((hit) => hit.documentId)).toEqual([exact]);
    expect(search.query('economics of education', 10).map((hit) => hit.documentId).sort()).toEqual([exact, reversed, without].sort());
    storage.close();
  });

  it('finds longer words beginning with the last word in document texts, unless it is quoted', () => {
    const { storage, db, search } = openProfile(tempFile());
    const rows = profile(db);
    const application = rows.application(rows.applicant('Olga', 'Berg', 'Stockholm University'), 'Labour economist');
    // The records hold "labour" alone; the paper's text holds "labourers".
    const paper = rows.document(application, 'Job market paper', 'berg.pdf', 'Migrant labourers and wages.');
    storage.searchIndex.reindex({ applications: [application.id], documents: [paper] });

    expect(search.query('labour', 10).map((hit) => hit.kind)).toEqual(['application', 'document']);
    expect(search.query('Labour', 10).map((hit) => hit.kind)).toEqual(['application', 'document']);
    expect(search.query('"labour"', 10).map((hit) => hit.kind)).toEqual(['application']);
    storage.close();
  });
});

describe('searchPhrases', () => {
  it('leaves common words out while others remain, keeps quoted phrases whole, and makes the last unfinished one a prefix', () => {
    expect(searchPhrases('London School of Economics')).toEqual([
      { words: ['London'], prefix: false }, { words: ['School'], prefix: false }, { words: ['Economics'], prefix: true },
    ]);
    expect(searchPhrases('of the')).toEqual([{ words: ['of'], prefix: false }, { words: ['the'], prefix: true }]);
    expect(searchPhrases('Institute of')).toEqual([{ words: ['Institute'], prefix: false }]);
    expect(searchPhrases('"Economics of Education" Paris')).toEqual([{ words: ['Economics', 'of', 'Education'], prefix: false }, { words: ['Paris'], prefix: true }]);
    expect(searchPhrases('Paris "Economics of')).toEqual([{ words: ['Paris'], prefix: false }, { words: ['Economics', 'of'], prefix: true }]);
    expect(searchPhrases('"Economics of Education"')).toEqual([{ words: ['Economics', 'of', 'Education'], prefix: false }]);
    expect(searchPhrases(' " * " ')).toEqual([]);
  });
});
