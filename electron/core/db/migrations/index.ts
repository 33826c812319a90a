import type { Migration } from '../migrate.ts';
import { migration0001 } from './0001-initial.ts';

/** One entry per schema version, in order. Add a file per new version; never edit a released one. */
export const migrations: readonly Migration[] = [migration0001];
