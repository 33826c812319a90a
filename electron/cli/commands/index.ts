import type { Command } from 'commander';
import type { CommandContext } from '../io.ts';

export type RegisterCommand = (program: Command, context: () => CommandContext) => void;

/** A top-level command: what `dossier --help` lists, and how to load the file that defines it. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Loaded only when this command runs: a command's imports (the core, providers, PDF) cost start-up time. */
  readonly load: () => Promise<RegisterCommand>;
}

/** One line per top-level command; each command lives in its own file (writes.ts defines three). */
export const commands: readonly CommandEntry[] = [
  { name: 'status', summary: 'counts per account and kind, last sync, pending downloads', load: async () => (await import('./status.ts')).registerStatus },
  { name: 'accounts', summary: 'add, list and remove provider accounts', load: async () => (await import('./accounts.ts')).registerAccounts },
  { name: 'login', summary: 'sign an account in: prints the authorize URL and waits for the browser to come back; a pasted token is read from DOSSIER_TOKEN or standard input', load: async () => (await import('./login.ts')).registerLogin },
  { name: 'sync', summary: 'bring accounts up to date (all when no name is given): applicants, applications, letters, interviews, documents; sends queued changes first', load: async () => (await import('./sync.ts')).registerSync },
  { name: 'search', summary: 'full-text search over applicants, institutions, fields, answers, letter writers and document text', load: async () => (await import('./search.ts')).registerSearch },
  { name: 'export', summary: 'save letters, packets, the applicant table or interviews to files', load: async () => (await import('./export.ts')).registerExport },
  { name: 'apply', summary: 'apply the person of an application to another job of the same account (CareerPlug); queued, sent by the next sync. Without --job: the jobs and their questions', load: async () => (await import('./writes.ts')).registerWrites },
  { name: 'postings', summary: 'job postings on boards that take them (The Job Space)', load: async () => (await import('./writes.ts')).registerWrites },
  { name: 'outbox', summary: 'changes waiting to be sent to providers', load: async () => (await import('./writes.ts')).registerWrites },
  { name: 'serve', summary: 'serve the app to your browser on 127.0.0.1 (prints the address to open; Ctrl+C stops)', load: async () => (await import('./serve.ts')).registerServe },
  { name: 'sandbox', summary: 'runs one provider emulator on 127.0.0.1 and prints its ready line as JSON', load: async () => (await import('./sandbox.ts')).registerSandbox },
  { name: 'demo', summary: 'starts every provider sandbox with generated data, connects an account to each through the real sign-in path, syncs, and keeps the sandboxes running until Ctrl-C', load: async () => (await import('./demo.ts')).registerDemo },
  { name: 'vault', summary: 'the passphrase file that holds sign-ins where no system keyring is available', load: async () => (await import('./vault.ts')).registerVault },
  { name: 'manifest', summary: 'provider manifests for generic OAuth 2.0 accounts (docs/providers/manifests.md)', load: async () => (await import('./manifest.ts')).registerManifest },
  { name: 'committee', summary: 'review with a hiring committee across machines: create, invite, join, tally, split the reading; serve runs a committee server', load: async () => (await import('./committee.ts')).registerCommittee },
];

/**
 * The top-level command an argument list runs (`help X` asks about X), skipping the global
 * options before it; undefined for `dossier`, `dossier --help` or a name that is no command.
 */
export function commandOf(argv: readonly string[], optionsWithValue: ReadonlySet<string>): CommandEntry | undefined {
  let index = 0;
  while (index < argv.length && (argv[index] as string).startsWith('-')) index += optionsWithValue.has(argv[index] as string) ? 2 : 1;
  const name = argv[index] === 'help' ? argv[index + 1] : argv[index];
  return commands.find((command) => command.name === name);
}
