import type { Migration } from '../migrate.ts';

/**
 * The fixed loopback port of an account's browser sign-in. A provider that registers redirect URIs
 * may compare them exactly, port included, so such an account keeps the port it was given when it
 * was added, and every sign-in redirects to the URI the user registered. NULL: a new port each time.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'account redirect port',
  up(db) {
    db.exec('ALTER TABLE accounts ADD COLUMN redirect_port INTEGER CHECK (redirect_port IS NULL OR redirect_port BETWEEN 1 AND 65535);');
  },
};
