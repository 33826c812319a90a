import type { Vault } from '../auth/vault.ts';
import type { CoreContext } from '../context.ts';
import type { CoreEvents } from '../events.ts';

/** What every area of the core receives when the host composes it (see electron/core/app.ts). */
export interface CoreDeps {
  readonly context: CoreContext;
  readonly events: CoreEvents;
  readonly vault: Vault;
  /** Opens a URL in the system browser: shell.openExternal in the app, a printed line in the CLI. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly host: 'electron' | 'browser' | 'cli';
  /** The transport-specific URL the renderer loads a stored document from. */
  readonly documentUrl: (documentId: number) => string;
}
