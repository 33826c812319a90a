import type { Command } from 'commander';
import type { CommandContext } from '../io.ts';
import { registerStatus } from './status.ts';

export type RegisterCommand = (program: Command, context: () => CommandContext) => void;

/** One line per command; each command lives in its own file. */
export const commands: readonly RegisterCommand[] = [registerStatus];
