import type { ApplicantRecord, ApplicationRecord, Batch, DocumentRecord, JobRecord, LetterRecord, LookupRecord, RemoteRecord, SlotRecord, Snapshot } from '../providers/kit/records.ts';
import { Table } from './table.ts';
import { writeTransaction } from './database.ts';

type Value = string | number | null;

/** How one synced table is written: its natural key and its mapped columns. */
interface TableSpec<Row extends RemoteRecord> {
  readonly table: 'jobs' | 'applicants' | 'applications' | 'documents' | 'letters' | 'interview_slots';
  /** Extra key columns beside account_id and remote_id (documents: kind; letters: application). */
  readonly keyColumns: readonly string[];
  readonly key: (row: Row) => readonly Value[];
  readonly columns: Readonly<Record<string, (row: Row) => Value>>;
  readonly hasVersion: boolean;
}

const jobsSpec: TableSpec<JobRecord> = {
  table: 'jobs',
  keyColumns: [],
  key: () => [],
  hasVersion: true,
  columns: {
    title: (row) => row.title,
    department: (row) => row.department,
    location: (row) => row.location,
    status: (row) => row.status,
    posted_at: (row) => row.postedAt,
    closes_at: (row) => row.closesAt,
  },
};

const applicantsSpec: TableSpec<ApplicantRecord> = {
  table: 'applicants',
  keyColumns: [],
  key: () => [],
  hasVersion: true,
  columns: {
    first_name: (row) => row.firstName,
    middle_name: (row) => row.middleName,
    last_name: (row) => row.lastName,
    email: (row) => row.email,
    phone: (row) => row.phone,
    country: (row) => row.country,
    nationality: (row) => row.nationality,
    url: (row) => row.url,
    institution: (row) => row.institution,
    degree: (row) => row.degree,
    degree_year: (row) => row.degreeYear,
    current_position: (row) => row.currentPosition,
    current_institution: (row) => row.currentInstitution,
    primary_field: (row) => row.primaryField,
    fields_json: (row) => JSON.stringify(row.fields),
  },
};

const applicationsSpec: TableSpec<ApplicationRecord> = {
  table: 'applications',
  keyColumns: [],
  key: () => [],
  hasVersion: true,
  columns: {
    job_remote_id: (row) => row.jobRemoteId,
    applicant_remote_id: (row) => row.applicantRemoteId,
    job_title: (row) => row.jobTitle,
    applied_at: (row) => row.appliedAt,
    remote_status: (row) => row.remoteStatus,
    letters_expected: (row) => row.lettersExpected,
    answers_json: (row) => JSON.stringify(row.answers),
  },
};

const documentsSpec: TableSpec<DocumentRecord> = {
  table: 'documents',
  keyColumns: ['kind'],
  key: (row) => [row.kind],
  hasVersion: true,
  columns: {
    applicant_remote_id: (row) => row.applicantRemoteId,
    application_remote_id: (row) => row.applicationRemoteId,
    title: (row) => row.title,
    file_name: (row) => row.fileName,
    mime_type: (row) => row.mimeType,
    size: (row) => row.size,
    external_url: (row) => row.externalUrl,
    remote_sha1: (row) => row.remoteSha1,
  },
};

const lettersSpec: TableSpec<LetterRecord> = {
  table: 'letters',
  keyColumns: ['application_remote_id'],
  key: (row) => [row.applicationRemoteId],
  hasVersion: true,
  columns: {
    applicant_remote_id: (row) => row.applicantRemoteId,
    writer_name: (row) => row.writerName,
    writer_email: (row) => row.writerEmail,
    writer_institution: (row) => row.writerInstitution,
    writer_department: (row) => row.writerDepartment,
    received_at: (row) => row.receivedAt,
    document_remote_id: (row) => row.documentRemoteId,
  },
};

const slotsSpec: TableSpec<SlotRecord> = {
  table: 'interview_slots',
  keyColumns: [],
  key: () => [],
  hasVersion: false,
  columns: {
    conference_remote_id: (row) => row.conferenceRemoteId,
    conference_name: (row) => row.conferenceName,
    group_name: (row) => row.groupName,
    starts_at: (row) => row.startsAt,
    ends_at: (row) => row.endsAt,
    time_zone: (row) => row.timeZone,
    place: (row) => row.place,
    application_remote_id: (row) => row.applicationRemoteId,
    applicant_remote_id: (row) => row.applicantRemoteId,
  },
};

/** Local ids of rows that were added, changed, removed or restored: what the search index must refresh. */
export interface WriteOutcome {
  readonly changed: Record<'jobs' | 'applicants' | 'applications' | 'documents' | 'letters' | 'interview_slots', number[]>;
  readonly removed: number;
}

/** The synced tables (jobs, applicants, applications, documents, letters, interview slots, lookups) as a sync writes them. */
export class SyncedRecordsTable extends Table {
  /**
   * Writes one snapshot for an account in a single transaction. Unchanged rows (same raw JSON, linked
   * to the same records) are not touched, so a no-change re-sync writes nothing; rows absent from a complete list are
   * marked `removed_at`, never deleted, and the reviewer's tables are never touched.
   */
  write(accountId: number, snapshot: Snapshot, now: string): WriteOutcome {
    const changed: WriteOutcome['changed'] = { jobs: [], applicants: [], applications: [], documents: [], letters: [], interview_slots: [] };
    let removed = 0;
    writeTransaction(this.db, () => {
      const apply = <Row extends RemoteRecord>(spec: TableSpec<Row>, batch: Batch<Row> | undefined) => {
        if (!batch) return;
        const result = this.#upsertBatch(accountId, spec, batch, now);
        changed[spec.table].push(...result.changed);
        removed += result.removed;
      };
      apply(jobsSpec, snapshot.jobs);
      apply(applicantsSpec, snapshot.applicants);
      apply(applicationsSpec, snapshot.applications);
      apply(documentsSpec, snapshot.documents);
      apply(lettersSpec, snapshot.letters);
      apply(slotsSpec, snapshot.slots);
      if (snapshot.documents) this.#queueDownloads(accountId, changed.documents, now);
      if (snapshot.lookups) this.#replaceLookups(accountId, snapshot.lookups);
      this.#linkRows(accountId);
    });
    return { changed, removed };
  }

  #upsertBatch<Row extends RemoteRecord>(accountId: number, spec: TableSpec<Row>, batch: Batch<Row>, now: string): { changed: number[]; removed: number } {
    const keyColumns = ['account_id', ...spec.keyColumns, 'remote_id'];
    const mapped = Object.keys(spec.columns);
    const versionColumns = spec.hasVersion ? ['remote_version'] : [];
    const allColumns = [...keyColumns, ...mapped, ...versionColumns, 'raw_json', 'removed_at', 'synced_at'];
    // The columns naming another record. A mapping that now links the same raw JSON elsewhere (decision 0014
    // re-keyed applicants) rewrites the row; other columns may be filled in after the sync (a download's size).
    const links = mapped.filter((column) => column.endsWith('_remote_id'));
    // Each row is looked up by its key as it comes, its stored JSON compared in SQL: nothing is held per
    // existing row, so what one table's write holds is its batch and the local ids it has seen.
    const find = this.sql<Value[], Record<string, Value>>(
      `SELECT id, raw_json = ? AS same, removed_at${links.map((column) => `, ${column}`).join('')} FROM ${spec.table} WHERE ${keyColumns.map((column) => `${column} IS ?`).join(' AND ')}`,
    );
    const insert = this.sql<Value[]>(`INSERT INTO ${spec.table} (${allColumns.join(', ')}) VALUES (${allColumns.map(() => '?').join(', ')})`);
    const update = this.sql<Value[]>(
      `UPDATE ${spec.table} SET ${[...mapped, ...versionColumns, 'raw_json'].map((column) => `${column} = ?`).join(', ')}, removed_at = NULL, synced_at = ? WHERE id = ?`,
    );
    const restore = this.sql<[number]>(`UPDATE ${spec.table} SET removed_at = NULL WHERE id = ?`);

    const changed: number[] = [];
    const seen = new Set<number>();
    for (const row of batch.rows) {
      const values = mapped.map((column) => (spec.columns[column] as (row: Row) => Value)(row));
      const version = spec.hasVersion ? [row.remoteVersion] : [];
      const raw = JSON.stringify(row.raw);
      const current = find.get(raw, accountId, ...spec.key(row), row.remoteId);
      if (!current) {
        const id = Number(insert.run(accountId, ...spec.key(row), row.remoteId, ...values, ...version, raw, null, now).lastInsertRowid);
        seen.add(id);
        changed.push(id);
        continue;
      }
      const id = Number(current.id);
      // A key listed twice keeps its first row, as the providers' lists do.
      if (seen.has(id)) continue;
      seen.add(id);
      if (current.same !== 1 || keyOf(links.map((column) => current[column] ?? null)) !== keyOf(links.map((column) => (spec.columns[column] as (row: Row) => Value)(row)))) {
        update.run(...values, ...version, raw, now, id);
        changed.push(id);
      } else if (current.removed_at !== null) {
        restore.run(id);
        changed.push(id);
      }
    }
    let removed = 0;
    if (batch.complete) {
      const gone = this.sql<[string, number, string], { id: number }>(
        `UPDATE ${spec.table} SET removed_at = ? WHERE account_id = ? AND removed_at IS NULL AND id NOT IN (SELECT value FROM json_each(?)) RETURNING id`,
      ).all(now, accountId, JSON.stringify([...seen]));
      for (const { id } of gone) changed.push(id);
      removed = gone.length;
    }
    return { changed, removed };
  }

  /**
   * Puts every changed document that needs bytes on the download ledger. A document whose verified
   * bytes belong to its current version stays verified, so an unchanged re-sync downloads nothing.
   */
  #queueDownloads(accountId: number, documentIds: readonly number[], now: string): void {
    const needsBytes = this.sql<[number, number]>(
      `SELECT 1 FROM documents d LEFT JOIN downloads l ON l.document_id = d.id
       WHERE d.id = ? AND d.account_id = ? AND d.kind <> 'link' AND d.removed_at IS NULL
         AND (l.document_id IS NULL OR l.state <> 'verified' OR d.sha256 IS NULL OR l.remote_version IS NOT d.remote_version)`,
    );
    const pending = this.sql<[number, string]>(
      `INSERT INTO downloads (document_id, state, attempts, last_error, bytes, updated_at) VALUES (?, 'pending', 0, NULL, 0, ?)
       ON CONFLICT (document_id) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL, updated_at = excluded.updated_at
       WHERE downloads.state <> 'pending'`,
    );
    for (const id of documentIds) {
      if (needsBytes.get(id, accountId)) pending.run(id, now);
    }
  }

  #replaceLookups(accountId: number, batch: Batch<LookupRecord>): void {
    const kinds = new Set(batch.rows.map((row) => row.kind));
    if (batch.complete) for (const kind of kinds) this.sql<[number, string]>('DELETE FROM lookups WHERE account_id = ? AND kind = ?').run(accountId, kind);
    const insert = this.sql<[number, string, string, string, string]>('INSERT OR REPLACE INTO lookups (account_id, kind, remote_id, label, raw_json) VALUES (?, ?, ?, ?, ?)');
    for (const row of batch.rows) insert.run(accountId, row.kind, row.remoteId, row.label, JSON.stringify(row.raw));
  }

  /** Resolves remote ids to local foreign keys, writing only rows whose link actually changes. */
  #linkRows(accountId: number): void {
    this.sql<[number]>(
      `UPDATE applications SET
         job_id = (SELECT j.id FROM jobs j WHERE j.account_id = applications.account_id AND j.remote_id = applications.job_remote_id),
         applicant_id = (SELECT a.id FROM applicants a WHERE a.account_id = applications.account_id AND a.remote_id = applications.applicant_remote_id)
       WHERE account_id = ? AND (
         job_id IS NOT (SELECT j.id FROM jobs j WHERE j.account_id = applications.account_id AND j.remote_id = applications.job_remote_id) OR
         applicant_id IS NOT (SELECT a.id FROM applicants a WHERE a.account_id = applications.account_id AND a.remote_id = applications.applicant_remote_id))`,
    ).run(accountId);
    const letterDocument = `(SELECT d.id FROM documents d WHERE d.account_id = letters.account_id AND d.kind = 'letter' AND d.remote_id = letters.document_remote_id)`;
    this.sql<[number]>(`UPDATE letters SET document_id = ${letterDocument} WHERE account_id = ? AND document_id IS NOT ${letterDocument}`).run(accountId);
  }
}

function keyOf(values: readonly Value[]): string {
  return values.map((value) => String(value ?? '')).join('\u0000');
}
