import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';

/**
 * The statements of one table (or one group of tables read together), each prepared on first use
 * and kept for the connection's life: on paths that run per document or per keystroke, preparing
 * cost as much as the work itself. Statements whose text depends on the request (filters, sorts)
 * are prepared by `prepareOnce`, which does not keep them.
 */
export abstract class Table {
  protected readonly db: Db;
  readonly #prepared = new Map<string, Statement<unknown[], unknown>>();

  constructor(db: Db) {
    this.db = db;
  }

  /** A statement of fixed text, typed by its parameters and the row it returns. */
  protected sql<Params extends unknown[] = unknown[], Row = unknown>(text: string): Statement<Params, Row> {
    let statement = this.#prepared.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.#prepared.set(text, statement);
    }
    return statement as unknown as Statement<Params, Row>;
  }

  /** A statement built for one request: prepared, used and dropped. */
  protected prepareOnce<Params extends unknown[] = unknown[], Row = unknown>(text: string): Statement<Params, Row> {
    return this.db.prepare<Params, Row>(text);
  }
}
