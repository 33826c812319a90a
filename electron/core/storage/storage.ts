import { AccountsTable } from './accounts.ts';
import { AnnotationsTable } from './annotations.ts';
import { CommitteesTable } from './committees.ts';
import { ApplicationsQuery } from './applications-query.ts';
import { durably, openDatabase, writeTransaction, type Db } from './database.ts';
import { DocumentReadsTable } from './document-reads.ts';
import { DocumentTextsTable } from './document-texts.ts';
import { DocumentsTable } from './documents.ts';
import { DownloadsTable } from './downloads.ts';
import { ExportRecordsQuery } from './export-records.ts';
import { InterviewsTable } from './interviews.ts';
import { JobsTable } from './jobs.ts';
import { LookupsTable } from './lookups.ts';
import { OutboxTable } from './outbox.ts';
import { PacketQuery } from './packet.ts';
import { SavedViewsTable } from './saved-views.ts';
import { ScorecardsTable } from './scorecards.ts';
import { SearchIndexTable } from './search-index.ts';
import { SearchQueries } from './search-queries.ts';
import { SettingsTable } from './settings.ts';
import { AccountStatusQuery } from './status.ts';
import { SyncRunsTable } from './sync-runs.ts';
import { SyncedRecordsTable } from './synced-records.ts';
import { WriteSourcesQuery } from './write-sources.ts';

/**
 * The profile database and every statement that reads or writes it: the one place in Dossier that
 * knows SQL. Each table (or group of tables read together) is a class with typed rows; services
 * receive the tables they use from the composition root (electron/core/core.ts).
 */
export class Storage {
  readonly db: Db;
  readonly accounts: AccountsTable;
  readonly syncRuns: SyncRunsTable;
  readonly statuses: AccountStatusQuery;
  readonly syncedRecords: SyncedRecordsTable;
  readonly downloads: DownloadsTable;
  readonly documentTexts: DocumentTextsTable;
  readonly searchIndex: SearchIndexTable;
  readonly jobs: JobsTable;
  readonly lookups: LookupsTable;
  readonly outbox: OutboxTable;
  readonly applications: ApplicationsQuery;
  readonly packets: PacketQuery;
  readonly documents: DocumentsTable;
  readonly documentReads: DocumentReadsTable;
  readonly annotations: AnnotationsTable;
  readonly savedViews: SavedViewsTable;
  readonly scorecards: ScorecardsTable;
  readonly settings: SettingsTable;
  readonly interviews: InterviewsTable;
  readonly exportRecords: ExportRecordsQuery;
  readonly search: SearchQueries;
  readonly writeSources: WriteSourcesQuery;
  readonly committees: CommitteesTable;

  private constructor(db: Db) {
    this.db = db;
    this.accounts = new AccountsTable(db);
    this.syncRuns = new SyncRunsTable(db);
    this.statuses = new AccountStatusQuery(db);
    this.syncedRecords = new SyncedRecordsTable(db);
    this.downloads = new DownloadsTable(db);
    this.documentTexts = new DocumentTextsTable(db);
    this.searchIndex = new SearchIndexTable(db);
    this.jobs = new JobsTable(db);
    this.lookups = new LookupsTable(db);
    this.outbox = new OutboxTable(db);
    this.applications = new ApplicationsQuery(db);
    this.packets = new PacketQuery(db);
    this.documents = new DocumentsTable(db);
    this.documentReads = new DocumentReadsTable(db);
    this.annotations = new AnnotationsTable(db);
    this.savedViews = new SavedViewsTable(db);
    this.scorecards = new ScorecardsTable(db);
    this.settings = new SettingsTable(db);
    this.interviews = new InterviewsTable(db);
    this.exportRecords = new ExportRecordsQuery(db);
    this.search = new SearchQueries(db);
    this.writeSources = new WriteSourcesQuery(db);
    this.committees = new CommitteesTable(db);
  }

  /** Opens (creating and migrating) the database at `file`; see openDatabase. */
  static open(file: string): Storage {
    return new Storage(openDatabase(file));
  }

  /** Runs `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  /** Like `transaction`, with a commit that survives a power loss (the one recording a finished document). */
  durably<T>(work: () => T): T {
    return durably(this.db, work);
  }

  close(): void {
    this.db.close();
  }
}
