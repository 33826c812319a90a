import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dataPaths } from '../../electron/core/base/paths.ts';
import type { Db } from '../../electron/core/storage/database.ts';
import { Storage } from '../../electron/core/storage/storage.ts';
import { pdfBytes, type DocumentSpec } from '../../electron/sandbox/pdf.ts';
import { blobPath } from '../../electron/core/blobs/layout.ts';

/**
 * Builds export fixtures the way the sync leaves them: rows inserted with SQL into a real profile
 * database in a temp folder, and real files in the content-addressed store.
 */
export class ExportFixture {
  readonly dataDir: string;
  readonly storage: Storage;
  readonly paths: ReturnType<typeof dataPaths>;
  #seq = 0;

  constructor(prefix = 'dossier-export-') {
    this.dataDir = mkdtempSync(join(tmpdir(), prefix));
    this.paths = dataPaths(this.dataDir);
    this.storage = Storage.open(this.paths.database);
  }

  get db(): Db {
    return this.storage.db;
  }

  close(): void {
    this.storage.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  #next(): string {
    this.#seq += 1;
    return String(this.#seq);
  }

  account(name = `Account ${this.#next()}`, timeZone = 'UTC'): number {
    const now = new Date().toISOString();
    return Number(this.db.prepare(`INSERT INTO accounts (name, provider, base_url, grant_type, time_zone, created_at, updated_at) VALUES (?, 'ejm', 'http://127.0.0.1:1', 'client_credentials', ?, ?, ?)`)
      .run(name, timeZone, now, now).lastInsertRowid);
  }

  job(accountId: number, title = 'Assistant Professor'): { id: number; remoteId: string } {
    const remoteId = `job-${this.#next()}`;
    const id = Number(this.db.prepare(`INSERT INTO jobs (account_id, remote_id, title, raw_json, synced_at) VALUES (?, ?, ?, '{}', ?)`)
      .run(accountId, remoteId, title, new Date().toISOString()).lastInsertRowid);
    return { id, remoteId };
  }

  /** An applicant and one application to `job`; returns the application's ids. */
  application(
    accountId: number,
    job: { id: number; remoteId: string } | null,
    person: { first?: string | null; last?: string | null; email?: string | null; institution?: string | null; applicantRemoteId?: string } = {},
    lettersExpected = 3,
  ): { id: number; remoteId: string; applicantRemoteId: string } {
    const applicantRemoteId = person.applicantRemoteId ?? `person-${this.#next()}`;
    const now = new Date().toISOString();
    const existing = this.db.prepare('SELECT id FROM applicants WHERE account_id = ? AND remote_id = ?').get(accountId, applicantRemoteId) as { id: number } | undefined;
    const applicantId = existing?.id ?? Number(this.db.prepare(
      `INSERT INTO applicants (account_id, remote_id, first_name, last_name, email, institution, degree, degree_year, primary_field, raw_json, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, 'PhD', 2026, 'Labor Economics', '{}', ?)`,
    ).run(accountId, applicantRemoteId, person.first === undefined ? 'Ada' : person.first, person.last === undefined ? 'Lovelace' : person.last, person.email ?? null, person.institution === undefined ? 'University of Somewhere' : person.institution, now).lastInsertRowid);
    const remoteId = `app-${this.#next()}`;
    const id = Number(this.db.prepare(
      `INSERT INTO applications (account_id, remote_id, job_remote_id, applicant_remote_id, job_id, applicant_id, job_title, applied_at, letters_expected, raw_json, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '2026-10-01T12:00:00.000Z', ?, '{}', ?)`,
    ).run(accountId, remoteId, job?.remoteId ?? null, applicantRemoteId, job?.id ?? null, applicantId, job ? null : 'Open call', lettersExpected, now).lastInsertRowid);
    return { id, remoteId, applicantRemoteId };
  }

  /** Puts bytes in the content-addressed store as the sync does, and returns their sha256. */
  blob(bytes: Uint8Array): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = blobPath(this.paths.store, sha256);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    this.db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(sha256, bytes.length, new Date().toISOString());
    return sha256;
  }

  document(
    accountId: number,
    application: { remoteId: string; applicantRemoteId: string },
    kind: 'cv' | 'paper' | 'statement' | 'letter' | 'other' | 'link',
    options: { title?: string; fileName?: string | null; mimeType?: string | null; bytes?: Uint8Array | null } = {},
  ): number {
    const sha256 = options.bytes ? this.blob(options.bytes) : null;
    return Number(this.db.prepare(
      `INSERT INTO documents (account_id, remote_id, kind, applicant_remote_id, application_remote_id, title, file_name, mime_type, size, sha256, raw_json, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
    ).run(accountId, `doc-${this.#next()}`, kind, application.applicantRemoteId, application.remoteId, options.title ?? kind.toUpperCase(), options.fileName === undefined ? `${kind}.pdf` : options.fileName,
      options.mimeType === undefined ? 'application/pdf' : options.mimeType, options.bytes?.length ?? null, sha256, new Date().toISOString()).lastInsertRowid);
  }

  /** A letter with its document; `bytes: null` is a letter whose file was never downloaded. */
  letter(
    accountId: number,
    application: { remoteId: string; applicantRemoteId: string },
    writer: { name: string; institution?: string | null; receivedAt?: string | null },
    bytes: Uint8Array | null,
    fileName: string | null = 'letter.pdf',
  ): { letterId: number; documentId: number } {
    const documentId = this.document(accountId, application, 'letter', { title: `Letter from ${writer.name}`, fileName, bytes });
    const letterId = Number(this.db.prepare(
      `INSERT INTO letters (account_id, remote_id, application_remote_id, applicant_remote_id, writer_name, writer_institution, received_at, document_id, raw_json, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
    ).run(accountId, `letter-${this.#next()}`, application.remoteId, application.applicantRemoteId, writer.name, writer.institution ?? null,
      writer.receivedAt === undefined ? '2026-11-02T09:30:00.000Z' : writer.receivedAt, documentId, new Date().toISOString()).lastInsertRowid);
    return { letterId, documentId };
  }

  review(accountId: number, applicationRemoteId: string, review: { rating?: number | null; status?: string; note?: string; tags?: string[] }): void {
    this.db.prepare(
      `INSERT INTO reviews (account_id, application_remote_id, rating, status, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, application_remote_id) DO UPDATE SET rating = excluded.rating, status = excluded.status, note = excluded.note`,
    ).run(accountId, applicationRemoteId, review.rating ?? null, review.status ?? 'new', review.note ?? '', new Date().toISOString());
    for (const tag of review.tags ?? []) {
      this.db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(tag);
      const { id } = this.db.prepare('SELECT id FROM tags WHERE name = ?').get(tag) as { id: number };
      this.db.prepare('INSERT OR IGNORE INTO review_tags (account_id, application_remote_id, tag_id) VALUES (?, ?, ?)').run(accountId, applicationRemoteId, id);
    }
  }

  interview(accountId: number, applicationRemoteId: string | null, interview: { title: string; startsAt: string; endsAt: string; timeZone: string; place?: string | null; videoUrl?: string | null; interviewers?: string[]; status?: string; slotId?: number | null }): number {
    const now = new Date().toISOString();
    return Number(this.db.prepare(
      `INSERT INTO interviews (account_id, application_remote_id, slot_id, title, starts_at, ends_at, time_zone, place, video_url, interviewers_json, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(accountId, applicationRemoteId, interview.slotId ?? null, interview.title, interview.startsAt, interview.endsAt, interview.timeZone, interview.place ?? null, interview.videoUrl ?? null,
      JSON.stringify(interview.interviewers ?? []), interview.status ?? 'confirmed', now, now).lastInsertRowid);
  }

  slot(accountId: number, applicationRemoteId: string | null, slot: { startsAt: string; endsAt: string; timeZone: string; place?: string | null; conferenceName?: string | null }): number {
    return Number(this.db.prepare(
      `INSERT INTO interview_slots (account_id, remote_id, conference_name, starts_at, ends_at, time_zone, place, application_remote_id, raw_json, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
    ).run(accountId, `slot-${this.#next()}`, slot.conferenceName ?? null, slot.startsAt, slot.endsAt, slot.timeZone, slot.place ?? null, applicationRemoteId, new Date().toISOString()).lastInsertRowid);
  }

  savedView(name: string, filter: unknown): number {
    return Number(this.db.prepare('INSERT INTO saved_views (name, filter_json, created_at) VALUES (?, ?, ?)').run(name, JSON.stringify(filter), new Date().toISOString()).lastInsertRowid);
  }
}

let seed = 1;

/** A real PDF (pdf-lib, through the sandbox generator) of about `bytes` bytes. */
export function realPdf(kind: DocumentSpec['kind'], candidate: string, writer = 'Grace Hopper', bytes = 20 * 1024): Promise<Buffer> {
  seed += 1;
  return pdfBytes({ kind, seed, bytes, candidate: { name: candidate, institution: 'University of Somewhere' }, writer: { name: writer, institution: 'Institute of Elsewhere' } });
}
