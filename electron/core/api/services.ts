import type { AccountService } from '../accounts/service.ts';
import type { AuthService } from '../auth/service.ts';
import type { CommitteeService } from '../committee/service.ts';
import type { DemoService } from '../demo/service.ts';
import type { ExportService } from '../export/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { DocumentFiles } from '../review/document-files.ts';
import type { ReviewService } from '../review/service.ts';
import type { SearchService } from '../search/service.ts';
import type { Storage } from '../storage/storage.ts';
import type { SyncEngine } from '../sync/engine.ts';

/** What the hosting process is, as `app.info` reports it to the renderer. */
export type HostKind = 'electron' | 'browser' | 'cli';

/** Every service of a composed core (electron/core/core.ts builds each once); the handlers map the contract onto them. */
export interface CoreServices {
  readonly accounts: AccountService;
  readonly auth: AuthService;
  readonly sync: SyncEngine;
  readonly outbox: OutboxService;
  readonly search: SearchService;
  readonly review: ReviewService;
  readonly documents: DocumentFiles;
  readonly exports: ExportService;
  readonly demo: DemoService;
  readonly committees: CommitteeService;
  /** For what no service owns: whether the providers were last reachable, and the status counts. */
  readonly storage: Storage;
  readonly about: { readonly host: HostKind; readonly dataDir: string };
}
