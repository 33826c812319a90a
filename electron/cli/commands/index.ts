import type { Command } from 'commander';
import type { CommandContext } from '../io.ts';
import { registerAccounts } from './accounts.ts';
import { registerExport } from './export.ts';
import { registerLogin } from './login.ts';
import { registerManifest } from './manifest.ts';
import { registerSandbox } from './sandbox.ts';
import { registerServe } from './serve.ts';
import { registerDemo } from './demo.ts';
import { registerSearch } from './search.ts';
import { registerStatus } from './status.ts';
import { registerSync } from './sync.ts';
import { registerVault } from './vault.ts';
import { registerWrites } from './writes.ts';

export type RegisterCommand = (program: Command, context: () => CommandContext) => void;

/** One line per command; each command lives in its own file. */
export const commands: readonly RegisterCommand[] = [registerStatus, registerAccounts, registerLogin, registerExport, registerServe, registerSandbox, registerSync, registerSearch, registerDemo, registerVault, registerWrites, registerManifest];
