import type { ReviewStatus } from '../../../shared/domain.ts';
import { nowIso } from '../base/time.ts';
import type { ApplicationKey } from './applications-query.ts';
import { Table } from './table.ts';
import { writeTransaction } from './database.ts';

/** The reviewer's data about one application, as every annotation call returns it. */
export interface Annotation {
  applicationId: number;
  rating: number | null;
  status: ReviewStatus;
  tags: string[];
  note: string;
}

interface ReviewRow {
  rating: number | null;
  status: ReviewStatus;
  note: string;
}

type Value = number | string | null;

/** One application's new status in a change of several. */
export interface StatusChange {
  readonly key: ApplicationKey;
  readonly status: ReviewStatus;
}

/** What a status change did: the annotations after it, and each application's status before it (what an undo restores). */
export interface StatusesChanged {
  annotations: Annotation[];
  previous: { applicationId: number; status: ReviewStatus }[];
}

/**
 * The reviewer's ratings, statuses and notes (`reviews`) and tags (`tags`, `review_tags`). They
 * are keyed by (account, remote id), which no sync writes, so they survive any re-sync or
 * re-creation of the application row. Each change runs in one transaction and returns the
 * annotations of the applications it changed, read back.
 */
export class AnnotationsTable extends Table {
  read(keys: readonly ApplicationKey[]): Annotation[] {
    const review = this.sql<[number, string], ReviewRow>('SELECT rating, status, note FROM reviews WHERE account_id = ? AND application_remote_id = ?');
    const tags = this.sql<[number, string], string>(`SELECT t.name FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
      WHERE rt.account_id = ? AND rt.application_remote_id = ? ORDER BY t.name COLLATE NOCASE`).pluck();
    return keys.map((key) => {
      const row = review.get(key.accountId, key.remoteId);
      return {
        applicationId: key.id,
        rating: row?.rating ?? null,
        status: row?.status ?? 'new',
        tags: tags.all(key.accountId, key.remoteId),
        note: row?.note ?? '',
      };
    });
  }

  setRating(keys: readonly ApplicationKey[], rating: number | null): Annotation[] {
    return this.#setReview('rating', keys, rating);
  }

  setStatus(keys: readonly ApplicationKey[], status: ReviewStatus): Annotation[] {
    return this.#setReview('status', keys, status);
  }

  setNote(keys: readonly ApplicationKey[], note: string): Annotation[] {
    return this.#setReview('note', keys, note);
  }

  /**
   * Gives each application its own status, all in one transaction: a bulk change and its undo
   * either happen whole or not at all. The statuses before are read inside the same transaction.
   */
  changeStatuses(changes: readonly StatusChange[]): StatusesChanged {
    const statusOf = this.sql<[number, string], ReviewStatus>('SELECT status FROM reviews WHERE account_id = ? AND application_remote_id = ?').pluck();
    const upsert = this.#upsert('status');
    return writeTransaction(this.db, () => {
      const previous = changes.map(({ key }) => ({ applicationId: key.id, status: statusOf.get(key.accountId, key.remoteId) ?? 'new' }));
      const now = nowIso();
      for (const { key, status } of changes) upsert.run(key.accountId, key.remoteId, status, now);
      return { annotations: this.read(changes.map(({ key }) => key)), previous };
    });
  }

  /** Adds a tag; a tag that exists in another letter case is reused, so "Macro" and "macro" stay one tag. */
  addTag(keys: readonly ApplicationKey[], tag: string): Annotation[] {
    return writeTransaction(this.db, () => {
      this.sql<[string]>('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(tag);
      const insert = this.sql<[number, string, string]>(
        'INSERT OR IGNORE INTO review_tags (account_id, application_remote_id, tag_id) SELECT ?, ?, id FROM tags WHERE name = ?',
      );
      for (const key of keys) insert.run(key.accountId, key.remoteId, tag);
      return this.read(keys);
    });
  }

  /** Removes a tag; once no application carries it, it leaves the tag list too. */
  removeTag(keys: readonly ApplicationKey[], tag: string): Annotation[] {
    return writeTransaction(this.db, () => {
      const tagId = this.sql<[string], number>('SELECT id FROM tags WHERE name = ?').pluck().get(tag);
      if (tagId !== undefined) {
        const remove = this.sql<[number, string, number]>('DELETE FROM review_tags WHERE account_id = ? AND application_remote_id = ? AND tag_id = ?');
        for (const key of keys) remove.run(key.accountId, key.remoteId, tagId);
        this.sql<[number, number]>('DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM review_tags WHERE tag_id = ?)').run(tagId, tagId);
      }
      return this.read(keys);
    });
  }

  /** Every tag with how many applications carry it, the most used first. */
  tags(): { name: string; count: number }[] {
    return this.sql<[], { name: string; count: number }>(
      `SELECT t.name, count(rt.tag_id) AS count FROM tags t LEFT JOIN review_tags rt ON rt.tag_id = t.id
       GROUP BY t.id ORDER BY count DESC, t.name COLLATE NOCASE`,
    ).all();
  }

  #upsert(column: 'rating' | 'status' | 'note') {
    return this.sql<[number, string, Value, string]>(`INSERT INTO reviews (account_id, application_remote_id, ${column}, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (account_id, application_remote_id) DO UPDATE SET ${column} = excluded.${column}, updated_at = excluded.updated_at`);
  }

  #setReview(column: 'rating' | 'status' | 'note', keys: readonly ApplicationKey[], value: Value): Annotation[] {
    const upsert = this.#upsert(column);
    return writeTransaction(this.db, () => {
      const now = nowIso();
      for (const key of keys) upsert.run(key.accountId, key.remoteId, value, now);
      return this.read(keys);
    });
  }
}
