import type { Migration } from '../migrate.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-search-records.ts';
import { migration0003 } from './0003-documents-by-content.ts';
import { migration0004 } from './0004-account-identities.ts';
import { migration0005 } from './0005-scorecards.ts';
import { migration0006 } from './0006-document-reads.ts';
import { migration0007 } from './0007-account-redirect-port.ts';
import { migration0008 } from './0008-account-manifests.ts';
import { migration0009 } from './0009-committees.ts';

/** One entry per schema version, in order. Add a file per new version; never edit a released one. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009];
