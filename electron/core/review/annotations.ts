import type { ReviewStatus } from '../../../shared/domain.ts';
import { type Db } from '../storage/database.ts';
import { nowIso } from '../base/time.ts';
import { DossierError } from '../base/errors.ts';
import { applicationKeys, type ApplicationKey } from './applications.ts';
import { ratingScheme } from './settings.ts';

/** The reviewer's data about one application, as every annotation call returns it. */
export interface Annotation {
  applicationId: number;
  rating: number | null;
  status: ReviewStatus;
  tags: string[];
  note: string;
}

/**
 * Reads back annotations. They live in `reviews`/`review_tags`, keyed by (account, remote id),
 * which no sync writes, so they survive any re-sync or re-creation of the application row.
 */
function annotations(db: Db, keys: readonly ApplicationKey[]): Annotation[] {
  const review = db.prepare('SELECT rating, status, note FROM reviews WHERE account_id = ? AND application_remote_id = ?');
  const tags = db.prepare(`SELECT t.name FROM review_tags rt JOIN tags t ON t.id = rt.tag_id
    WHERE rt.account_id = ? AND rt.application_remote_id = ? ORDER BY t.name COLLATE NOCASE`).pluck();
  return keys.map((key) => {
    const row = review.get(key.accountId, key.remoteId) as { rating: number | null; status: ReviewStatus; note: string } | undefined;
    return {
      applicationId: key.id,
      rating: row?.rating ?? null,
      status: row?.status ?? 'new',
      tags: tags.all(key.accountId, key.remoteId) as string[],
      note: row?.note ?? '',
    };
  });
}

function upsertReview(db: Db, column: 'rating' | 'status' | 'note', keys: readonly ApplicationKey[], value: unknown): void {
  const statement = db.prepare(`INSERT INTO reviews (account_id, application_remote_id, ${column}, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (account_id, application_remote_id) DO UPDATE SET ${column} = excluded.${column}, updated_at = excluded.updated_at`);
  const now = nowIso();
  for (const key of keys) statement.run(key.accountId, key.remoteId, value, now);
}

export function setRating(db: Db, applicationId: number, rating: number | null): Annotation {
  const scheme = ratingScheme(db);
  if (rating !== null && (rating < scheme.min || rating > scheme.max)) {
    throw new DossierError('input.invalid', `Ratings run from ${scheme.min} to ${scheme.max}. Pick a value in that range, or change the scheme in Settings.`, { field: 'rating', rating });
  }
  return db.transaction(() => {
    const keys = applicationKeys(db, [applicationId]);
    upsertReview(db, 'rating', keys, rating);
    return annotations(db, keys)[0] as Annotation;
  })();
}

export function setNote(db: Db, applicationId: number, note: string): Annotation {
  return db.transaction(() => {
    const keys = applicationKeys(db, [applicationId]);
    upsertReview(db, 'note', keys, note);
    return annotations(db, keys)[0] as Annotation;
  })();
}

export function setStatus(db: Db, applicationIds: readonly number[], status: ReviewStatus): Annotation[] {
  return db.transaction(() => {
    const keys = applicationKeys(db, applicationIds);
    upsertReview(db, 'status', keys, status);
    return annotations(db, keys);
  })();
}

function tagId(db: Db, name: string): number {
  db.prepare('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(name);
  return (db.prepare('SELECT id FROM tags WHERE name = ?').get(name) as { id: number }).id;
}

/** Adds a tag; a tag that exists in another letter case is reused, so "Macro" and "macro" stay one tag. */
export function addTag(db: Db, applicationIds: readonly number[], tag: string): Annotation[] {
  return db.transaction(() => {
    const keys = applicationKeys(db, applicationIds);
    const id = tagId(db, tag);
    const insert = db.prepare('INSERT OR IGNORE INTO review_tags (account_id, application_remote_id, tag_id) VALUES (?, ?, ?)');
    for (const key of keys) insert.run(key.accountId, key.remoteId, id);
    return annotations(db, keys);
  })();
}

/** Removes a tag; once no application carries it, it leaves the tag list too. */
export function removeTag(db: Db, applicationIds: readonly number[], tag: string): Annotation[] {
  return db.transaction(() => {
    const keys = applicationKeys(db, applicationIds);
    const existing = db.prepare('SELECT id FROM tags WHERE name = ?').get(tag) as { id: number } | undefined;
    if (existing) {
      const remove = db.prepare('DELETE FROM review_tags WHERE account_id = ? AND application_remote_id = ? AND tag_id = ?');
      for (const key of keys) remove.run(key.accountId, key.remoteId, existing.id);
      db.prepare('DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM review_tags WHERE tag_id = ?)').run(existing.id, existing.id);
    }
    return annotations(db, keys);
  })();
}

export function listTags(db: Db): { name: string; count: number }[] {
  return db
    .prepare(`SELECT t.name, count(rt.tag_id) AS count FROM tags t LEFT JOIN review_tags rt ON rt.tag_id = t.id
      GROUP BY t.id ORDER BY count DESC, t.name COLLATE NOCASE`)
    .all() as { name: string; count: number }[];
}
