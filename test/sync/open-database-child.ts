/**
 * Opens (creating and migrating) the database in argv[2] at the moment argv[3] (ms since the
 * epoch), so many processes meet the new file at once. Run with Node 24 directly, not by vitest.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../electron/core/storage/database.ts';

const [file, at] = process.argv.slice(2);
if (file === undefined || at === undefined) throw new Error('usage: open-database-child.ts FILE AT_MS');
await sleep(Math.max(0, Number(at) - Date.now()));
openDatabase(file).close();
process.stdout.write('opened\n');
