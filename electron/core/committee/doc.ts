import type * as Y from 'yjs';
import { z } from 'zod';
import { MemberRole } from '../../../shared/committee.ts';
import { ReviewStatus } from '../../../shared/domain.ts';
import { candidateKey, openJson, randomId, sealJson } from './crypto.ts';

/**
 * The layout of a committee's shared Y.Doc (docs/decisions/0018-committee-review.md). Every value
 * is sealed with the committee key; the keys the server can see are member ids, HMACs of
 * application ids and random message ids. Each member writes only its own map, so edits made
 * apart never conflict; the chair alone writes `meta` and `revoked`.
 *
 * - `roster`: memberId → {name, role}, written by each member about itself
 * - `revoked`: memberId → {at}, written by the chair
 * - `meta`: 'committee' → {name, provider, jobRemoteIds, rubric}
 * - `member:<memberId>`: `<field>:<HMAC(application id)>` → {app, value}
 * - `assignments`: `<HMAC(application id)>:<memberId>` → {app, member}
 * - `discussion`: message id → {app, member, at, text}
 */

export const Rubric = z.object({
  scale: z.object({ min: z.number().int(), max: z.number().int() }),
  criteria: z.array(z.object({ name: z.string(), weight: z.number().positive() })),
});
export type CommitteeRubric = z.infer<typeof Rubric>;

export const Meta = z.object({ name: z.string(), provider: z.string(), jobRemoteIds: z.array(z.string()), rubric: Rubric });
export type CommitteeMeta = z.infer<typeof Meta>;

const RosterEntry = z.object({ name: z.string(), role: MemberRole });
export type RosterEntry = z.infer<typeof RosterEntry>;

/** What a member shares about one candidate; a field never set is absent. */
const fieldValues = {
  rating: z.number().int().nullable(),
  scores: z.record(z.string(), z.number().int()),
  sharedNote: z.string(),
  proposal: ReviewStatus.nullable(),
  read: z.literal(true),
} as const;
export type Field = keyof typeof fieldValues;
/** Each field's sealed entry, built once: a schema made per entry would cost more than opening it. */
const fieldEntry = (value: z.ZodType) => z.object({ app: z.string(), value });
const fieldEntries: Record<Field, z.ZodType<{ app: string; value: unknown }>> = {
  rating: fieldEntry(fieldValues.rating),
  scores: fieldEntry(fieldValues.scores),
  sharedNote: fieldEntry(fieldValues.sharedNote),
  proposal: fieldEntry(fieldValues.proposal),
  read: fieldEntry(fieldValues.read),
};
const AnyFieldEntry = z.object({ app: z.string(), value: z.unknown() });
const Revoked = z.object({ at: z.string() });
const Assignment = z.object({ app: z.string(), member: z.string() });
export type MemberCandidate = { -readonly [F in Field]?: z.infer<(typeof fieldValues)[F]> };

const Message = z.object({ app: z.string(), member: z.string(), at: z.string(), text: z.string() });
export type Message = z.infer<typeof Message> & { id: string };

const memberMapName = (memberId: string): string => `member:${memberId}`;

export class CommitteeDoc {
  readonly doc: Y.Doc;
  readonly #key: Uint8Array;
  readonly #memberId: string;
  readonly #onUnreadable: (place: string, error: unknown) => void;
  /** Each unreadable entry is reported once, not on every tally. */
  readonly #reported = new Set<string>();
  /**
   * What each place last opened to. A value is sealed with a fresh IV every time it is written, so an
   * unchanged sealed string is an unchanged value: a tally opens only what changed since the last one.
   */
  readonly #opened = new Map<string, { readonly sealed: string; readonly schema: z.ZodType; readonly value: unknown }>();

  constructor(doc: Y.Doc, key: Uint8Array, memberId: string, onUnreadable: (place: string, error: unknown) => void) {
    this.doc = doc;
    this.#key = key;
    this.#memberId = memberId;
    this.#onUnreadable = onUnreadable;
  }

  meta(): CommitteeMeta | null {
    return this.#read('meta', 'committee', Meta) ?? null;
  }

  writeMeta(meta: CommitteeMeta): void {
    this.#write('meta', 'committee', meta);
  }

  roster(): Map<string, RosterEntry> {
    return this.#readAll('roster', RosterEntry);
  }

  writeOwnRosterEntry(entry: RosterEntry): void {
    this.#write('roster', this.#memberId, entry);
  }

  revoked(): Set<string> {
    return new Set(this.#readAll('revoked', Revoked).keys());
  }

  markRevoked(memberId: string, at: string): void {
    this.#write('revoked', memberId, { at });
  }

  /** Sets (or, with undefined, clears) one of this machine's member's fields about a candidate; false when nothing changed. */
  setOwn<F extends Field>(field: F, applicationRemoteId: string, value: MemberCandidate[F] | undefined): boolean {
    const entryKey = `${field}:${candidateKey(this.#key, applicationRemoteId)}`;
    const map = memberMapName(this.#memberId);
    if (value === undefined) {
      if (!this.doc.getMap<string>(map).has(entryKey)) return false;
      this.doc.getMap<string>(map).delete(entryKey);
      return true;
    }
    const current = this.#read(map, entryKey, AnyFieldEntry);
    if (current !== undefined && JSON.stringify(current.value) === JSON.stringify(value)) return false;
    this.#write(map, entryKey, { app: applicationRemoteId, value });
    return true;
  }

  /** Everything a member has shared, by the provider's application id. */
  memberCandidates(memberId: string): Map<string, MemberCandidate> {
    const map = memberMapName(memberId);
    const byApplication = new Map<string, MemberCandidate>();
    for (const [entryKey, sealed] of this.doc.getMap<string>(map).entries()) {
      const field = entryKey.slice(0, entryKey.indexOf(':'));
      if (!Object.hasOwn(fieldValues, field)) continue;
      const entry = this.#open(map, entryKey, sealed, fieldEntries[field as Field]);
      if (entry === undefined) continue;
      const candidate = byApplication.get(entry.app) ?? {};
      (candidate as Record<string, unknown>)[field] = entry.value;
      byApplication.set(entry.app, candidate);
    }
    return byApplication;
  }

  setAssignment(applicationRemoteId: string, memberId: string, assigned: boolean): boolean {
    const entryKey = `${candidateKey(this.#key, applicationRemoteId)}:${memberId}`;
    const map = this.doc.getMap<string>('assignments');
    if (map.has(entryKey) === assigned) return false;
    if (assigned) this.#write('assignments', entryKey, { app: applicationRemoteId, member: memberId });
    else map.delete(entryKey);
    return true;
  }

  /** Application id → the members assigned to read it. */
  assignments(): Map<string, Set<string>> {
    const byApplication = new Map<string, Set<string>>();
    for (const entry of this.#readAll('assignments', Assignment).values()) {
      const members = byApplication.get(entry.app) ?? new Set<string>();
      members.add(entry.member);
      byApplication.set(entry.app, members);
    }
    return byApplication;
  }

  post(applicationRemoteId: string, text: string, at: string): void {
    this.#write('discussion', randomId(), { app: applicationRemoteId, member: this.#memberId, at, text });
  }

  /** Every message, oldest first. */
  discussion(): Message[] {
    return [...this.#readAll('discussion', Message).entries()]
      .map(([id, message]) => ({ id, ...message }))
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  #write(map: string, entryKey: string, value: unknown): void {
    this.doc.getMap<string>(map).set(entryKey, sealJson(this.#key, value, `${map}/${entryKey}`));
  }

  #read<T>(map: string, entryKey: string, schema: z.ZodType<T>): T | undefined {
    const sealed = this.doc.getMap<string>(map).get(entryKey);
    return sealed === undefined ? undefined : this.#open(map, entryKey, sealed, schema);
  }

  #readAll<T>(map: string, schema: z.ZodType<T>): Map<string, T> {
    const values = new Map<string, T>();
    for (const [entryKey, sealed] of this.doc.getMap<string>(map).entries()) {
      const value = this.#open(map, entryKey, sealed, schema);
      if (value !== undefined) values.set(entryKey, value);
    }
    return values;
  }

  /** One entry that does not open (another key, a tampered byte, a newer format) is skipped and reported once, never fatal. */
  #open<T>(map: string, entryKey: string, sealed: unknown, schema: z.ZodType<T>): T | undefined {
    const place = `${map}/${entryKey}`;
    const opened = this.#opened.get(place);
    if (opened !== undefined && opened.sealed === sealed && opened.schema === schema) return opened.value as T;
    try {
      if (typeof sealed !== 'string') throw new Error('not a sealed value');
      const value = schema.parse(openJson(this.#key, sealed, place));
      this.#opened.set(place, { sealed, schema, value });
      return value;
    } catch (error) {
      if (!this.#reported.has(place)) this.#onUnreadable(place, error);
      this.#reported.add(place);
      return undefined;
    }
  }
}
