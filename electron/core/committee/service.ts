import { writeFile } from 'node:fs/promises';
import * as Y from 'yjs';
import type {
  Committee, CommitteeCandidate, CommitteeConnection, CommitteeMember, Tally,
} from '../../../shared/api/committee.ts';
import { decodeInviteCode, encodeInviteCode, type MemberRole } from '../../../shared/committee.ts';
import type { ReviewStatus } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { CoreEvents } from '../base/events.ts';
import type { Logger } from '../base/log.ts';
import { nowIso } from '../base/time.ts';
import { csvDocument, type Cell } from '../export/csv.ts';
import { writeAtomically } from '../export/output.ts';
import type { ReviewChange, ReviewService } from '../review/service.ts';
import type { Vault } from '../secrets/vault.ts';
import type { CommitteeRow } from '../storage/committees.ts';
import type { Storage } from '../storage/storage.ts';
import { CommitteeConnectionLink } from './connection.ts';
import { inviteSecrets, newCommitteeKey, randomId, randomSecret, unwrapCommitteeKey, wrapCommitteeKey } from './crypto.ts';
import { CommitteeDoc, type CommitteeRubric, type MemberCandidate } from './doc.ts';
import { committeeServer, type MemberCredentials } from './server-client.ts';
import { computeTally, weightedScore, type TallyFilterName, type TallySortName } from './tally.ts';

/** The vault keys of one committee: this machine's member credentials and the committee key. */
export const committeeKeyPrefix = (committeeId: string): string => `committee:${committeeId}:`;
const credentialsKey = (committeeId: string): string => `${committeeKeyPrefix(committeeId)}credentials`;

interface StoredCredentials extends MemberCredentials {
  readonly committeeKey: string;
}

export interface CommitteeServiceOptions {
  readonly storage: Storage;
  readonly vault: Vault;
  readonly events: CoreEvents;
  readonly log: Logger;
  readonly review: ReviewService;
  /** How long `join` waits for the first exchange with the server before answering offline. */
  readonly firstSyncTimeoutMs?: number | undefined;
}

/** One committee opened on this machine: its document, key and live link. */
interface OpenCommittee {
  row: CommitteeRow;
  readonly key: Buffer;
  readonly credentials: MemberCredentials;
  readonly doc: CommitteeDoc;
  link: CommitteeConnectionLink | null;
  connection: CommitteeConnection;
  changedTimer: NodeJS.Timeout | undefined;
}

/** The transaction origin of this machine's own edits; everything else in a document arrived from the server. */
const localEdit = Symbol('local committee edit');

/** How long closing waits for edits still on their way to a reachable server. */
const closeFlushMs = 3_000;

/** Remote edits come in bursts (a reconnect delivers everything at once): one event per burst. */
const changedDebounceMs = 100;

/**
 * Committee review across machines (docs/decisions/0018-committee-review.md): each committee is a
 * Y.Doc kept in SQLite and synced through a Hocuspocus server, every value in it sealed with the
 * committee key. The reviewer's own ratings and scores on the committee's jobs are published as
 * they are made; the private note never is.
 */
export class CommitteeService {
  readonly #storage: Storage;
  readonly #vault: Vault;
  readonly #events: CoreEvents;
  readonly #log: Logger;
  readonly #review: ReviewService;
  readonly #firstSyncTimeoutMs: number;
  readonly #open = new Map<string, OpenCommittee>();
  /** Committees that could not be opened (a locked vault, say), with why: a call about one says so. */
  readonly #unopened = new Map<string, unknown>();
  #started: Promise<void> | undefined;
  /** Every committee joined here has been opened (or found unopenable): a review change is published at once. */
  #opened = false;
  #closed = false;

  constructor(options: CommitteeServiceOptions) {
    this.#storage = options.storage;
    this.#vault = options.vault;
    this.#events = options.events;
    this.#log = options.log;
    this.#review = options.review;
    this.#firstSyncTimeoutMs = options.firstSyncTimeoutMs ?? 10_000;
    options.review.onChange((change) => this.#reviewChanged(change));
  }

  /**
   * Opens and connects every committee this machine has joined, once. A host showing the UI calls it
   * as it starts, for live updates; every call about committees (and a review change on a job a
   * committee reviews) awaits it first. A command that touches no committee (`dossier status`,
   * search) never calls it, so it never opens the vault for a committee's keys.
   */
  start(): Promise<void> {
    this.#started ??= (async () => {
      for (const row of this.#storage.committees.list()) {
        try {
          await this.#openCommittee(row);
        } catch (error) {
          this.#unopened.set(row.id, error);
          this.#log.warn('committee.open_failed', { committeeId: row.id, error });
        }
      }
      this.#opened = true;
    })();
    return this.#started;
  }

  /**
   * Gives edits not yet on the server a moment to get there (a command-line run lasts a second),
   * then closes every connection; whatever is still unsent stays on disk and goes at the next start.
   */
  async close(): Promise<void> {
    this.#closed = true;
    // A review change waiting for the committees to open was chained on this same opening first, so it is published by now.
    await this.#started;
    const deadline = Date.now() + closeFlushMs;
    const unsent = (open: OpenCommittee) => (open.connection === 'online' || open.connection === 'connecting') && this.#pending(open) > 0;
    while (Date.now() < deadline && [...this.#open.values()].some(unsent)) await new Promise((resolve) => setTimeout(resolve, 25));
    for (const open of this.#open.values()) this.#shut(open);
    this.#open.clear();
  }

  /**
   * Waits until the committee has had its first exchange with the server since the core started,
   * or is known to be offline or revoked, or `timeoutMs` passed: a command-line run reads what the
   * others wrote rather than the copy from its last run. The app needs no such wait (it listens).
   */
  async settle(committeeId: string, timeoutMs = this.#firstSyncTimeoutMs): Promise<CommitteeConnection> {
    const open = await this.#get(committeeId);
    const deadline = Date.now() + timeoutMs;
    while (open.connection === 'connecting' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return open.connection;
  }

  async list(): Promise<Committee[]> {
    await this.start();
    return [...this.#open.values()].map((open) => this.#describe(open));
  }

  async create(input: { name: string; serverUrl: string; accountId: number; jobIds: readonly number[]; memberName: string }): Promise<Committee> {
    await this.start();
    const account = this.#storage.accounts.get(input.accountId);
    if (!account) throw new DossierError('input.invalid', 'That account is not on this machine. Choose one from the account list.', { field: 'accountId' });
    const jobRemoteIds = input.jobIds.map((jobId) => {
      const remoteId = this.#storage.jobs.remoteIdOf(jobId, input.accountId);
      if (remoteId === undefined) throw new DossierError('input.invalid', `Job ${jobId} is not a job of “${account.name}” in the local copy. Sync the account, then choose its jobs.`, { field: 'jobIds', jobId });
      return remoteId;
    });
    const committeeId = randomId();
    const credentials: MemberCredentials = { memberId: randomId(), authKey: randomSecret() };
    const key = newCommitteeKey();
    await committeeServer.create(input.serverUrl, { committeeId, chair: credentials });

    const doc = new CommitteeDoc(new Y.Doc(), key, credentials.memberId, this.#unreadable(committeeId));
    doc.doc.transact(() => {
      doc.writeMeta({ name: input.name, provider: account.provider, jobRemoteIds, rubric: this.#localRubric(input.jobIds[0] as number) });
      doc.writeOwnRosterEntry({ name: input.memberName, role: 'chair' });
    }, localEdit);
    const row = await this.#record(committeeId, {
      name: input.name, serverUrl: input.serverUrl, role: 'chair', memberName: input.memberName, accountId: input.accountId, jobRemoteIds,
    }, credentials, key, doc.doc);
    const open = await this.#openCommittee(row);
    this.#publishAll(open);
    const synced = (await open.link?.firstSync(this.#firstSyncTimeoutMs)) ?? false;
    this.#log.info('committee.created', { committeeId, jobs: jobRemoteIds.length, synced });
    return this.#describe(open);
  }

  async invite(committeeId: string, days: number): Promise<{ code: string; expiresAt: string }> {
    const open = await this.#get(committeeId);
    this.#assertChair(open);
    this.#assertActive(open);
    const token = randomSecret();
    const inviteId = randomId();
    const secrets = inviteSecrets(token);
    const expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
    await committeeServer.invite(open.row.serverUrl, committeeId, open.credentials, {
      inviteId, proofHash: secrets.proofHash, wrappedKey: wrapCommitteeKey(secrets.wrapKey, open.key), role: 'member', expiresAt,
    });
    this.#log.info('committee.invited', { committeeId, inviteId, expiresAt });
    return { code: encodeInviteCode({ v: 1, server: open.row.serverUrl, committeeId, inviteId, token }), expiresAt };
  }

  async join(input: { code: string; memberName: string; accountId?: number | undefined }): Promise<Committee> {
    await this.start();
    let code;
    try {
      code = decodeInviteCode(input.code);
    } catch (error) {
      throw new DossierError('committee.invite', (error as Error).message);
    }
    if (this.#storage.committees.get(code.committeeId)) throw new DossierError('input.invalid', 'This machine is already a member of that committee.', { field: 'code' });
    const accountId = this.#accountToJoinWith(input.accountId);
    const credentials: MemberCredentials = { memberId: randomId(), authKey: randomSecret() };
    const secrets = inviteSecrets(code.token);
    const redeemed = await committeeServer.redeem(code.server, code.committeeId, code.inviteId, { proof: secrets.proof, ...credentials });
    let key: Buffer;
    try {
      key = unwrapCommitteeKey(secrets.wrapKey, redeemed.wrappedKey);
    } catch (error) {
      throw new DossierError('committee.invite', 'This invite code does not open the committee’s key; it may have been mistyped. Ask the chair for a new one.', undefined, { cause: error });
    }
    const doc = new CommitteeDoc(new Y.Doc(), key, credentials.memberId, this.#unreadable(code.committeeId));
    doc.doc.transact(() => doc.writeOwnRosterEntry({ name: input.memberName, role: redeemed.role }), localEdit);
    // The committee's name and jobs are in its document, readable once it has synced.
    const row = await this.#record(code.committeeId, {
      name: 'Committee', serverUrl: code.server, role: redeemed.role, memberName: input.memberName, accountId, jobRemoteIds: [],
    }, credentials, key, doc.doc);
    const open = await this.#openCommittee(row);
    const synced = (await open.link?.firstSync(this.#firstSyncTimeoutMs)) ?? false;
    if (synced) this.#adoptDescription(open);
    else this.#log.warn('committee.join_offline', { committeeId: row.id });
    this.#log.info('committee.joined', { committeeId: row.id, synced });
    return this.#describe(open);
  }

  async leave(committeeId: string): Promise<{ left: string }> {
    const open = await this.#get(committeeId);
    this.#shut(open);
    this.#open.delete(committeeId);
    this.#storage.committees.remove(committeeId);
    await this.#vault.deletePrefix(committeeKeyPrefix(committeeId));
    this.#events.emit('committee.changed', { committeeId });
    return { left: committeeId };
  }

  async members(committeeId: string): Promise<CommitteeMember[]> {
    const open = await this.#get(committeeId);
    const local = this.#members(open);
    if (open.connection === 'revoked') return local;
    try {
      const server = await committeeServer.members(open.row.serverUrl, committeeId, open.credentials);
      const byId = new Map(server.map((member) => [member.memberId, member]));
      const known = new Set(local.map((member) => member.memberId));
      return [
        ...local.map((member) => ({ ...member, revoked: member.revoked || byId.get(member.memberId)?.revokedAt != null, connected: byId.get(member.memberId)?.connected ?? false })),
        // Joined on the server, their own roster entry not synced here yet.
        ...server.filter((member) => !known.has(member.memberId)).map((member) => ({
          memberId: member.memberId, name: 'A member joining', role: member.role, revoked: member.revokedAt !== null, connected: member.connected, isMe: false,
        })),
      ];
    } catch (error) {
      this.#log.info('committee.members_offline', { committeeId, code: error instanceof DossierError ? error.code : 'internal' });
      return local;
    }
  }

  async revoke(committeeId: string, memberId: string): Promise<CommitteeMember[]> {
    const open = await this.#get(committeeId);
    this.#assertChair(open);
    this.#assertActive(open);
    if (memberId === open.row.memberId) throw new DossierError('input.invalid', 'The chair cannot remove themselves; leave the committee instead.', { field: 'memberId' });
    await committeeServer.revoke(open.row.serverUrl, committeeId, open.credentials, memberId);
    open.doc.doc.transact(() => open.doc.markRevoked(memberId, nowIso()), localEdit);
    this.#log.info('committee.revoked_member', { committeeId, memberId });
    return this.members(committeeId);
  }

  async tally(committeeId: string, sort: TallySortName, filter: TallyFilterName, jobId?: number): Promise<Tally> {
    const open = await this.#get(committeeId);
    const members = this.#members(open);
    const rubric = this.#rubric(open);
    const onlyJob = jobId === undefined ? undefined : this.#storage.jobs.remoteIdOf(jobId, open.row.accountId);
    const jobRemoteIds = jobId === undefined ? open.row.jobRemoteIds : open.row.jobRemoteIds.filter((remoteId) => remoteId === onlyJob);
    const applications = this.#storage.committees.applications(open.row.accountId, jobRemoteIds);
    const discussion = new Map<string, number>();
    for (const message of open.doc.discussion()) discussion.set(message.app, (discussion.get(message.app) ?? 0) + 1);
    return computeTally({
      committeeId,
      myMemberId: open.row.memberId,
      members,
      rubric,
      applications,
      shared: new Map(members.map((member) => [member.memberId, open.doc.memberCandidates(member.memberId)])),
      assignments: open.doc.assignments(),
      discussion,
    }, sort, filter);
  }

  async candidate(committeeId: string, applicationId: number): Promise<CommitteeCandidate> {
    const open = await this.#get(committeeId);
    return this.#candidate(open, this.#applicationOf(open, applicationId));
  }

  async forApplication(applicationId: number): Promise<Committee[]> {
    await this.start();
    const application = this.#storage.scorecards.scoredApplication(applicationId);
    if (!application) throw new DossierError('input.invalid', 'That application is not in the local cache. Reload the list and try again.', { field: 'applicationId' });
    return [...this.#open.values()]
      .filter((open) => open.row.accountId === application.accountId && application.jobRemoteId !== null && open.row.jobRemoteIds.includes(application.jobRemoteId))
      .map((open) => this.#describe(open));
  }

  async setSharedNote(committeeId: string, applicationId: number, note: string): Promise<CommitteeCandidate> {
    return this.#editOwn(committeeId, applicationId, (doc, remoteId) => doc.setOwn('sharedNote', remoteId, note.length === 0 ? undefined : note));
  }

  async propose(committeeId: string, applicationId: number, status: ReviewStatus | null): Promise<CommitteeCandidate> {
    return this.#editOwn(committeeId, applicationId, (doc, remoteId) => doc.setOwn('proposal', remoteId, status ?? undefined));
  }

  async post(committeeId: string, applicationId: number, text: string): Promise<CommitteeCandidate> {
    return this.#editOwn(committeeId, applicationId, (doc, remoteId) => doc.post(remoteId, text, nowIso()));
  }

  async assign(committeeId: string, memberId: string, applicationIds: readonly number[], assigned: boolean): Promise<{ changed: number }> {
    const open = await this.#get(committeeId);
    this.#assertActive(open);
    if (!this.#members(open).some((member) => member.memberId === memberId && !member.revoked)) {
      throw new DossierError('input.invalid', 'That member is not an active member of this committee.', { field: 'memberId' });
    }
    const remoteIds = applicationIds.map((applicationId) => this.#applicationOf(open, applicationId));
    let changed = 0;
    open.doc.doc.transact(() => {
      for (const remoteId of remoteIds) if (open.doc.setAssignment(remoteId, memberId, assigned)) changed += 1;
    }, localEdit);
    return { changed };
  }

  /** Each candidate to `readers` active members, turn by turn, so every member reads about as many; earlier assignments of these candidates are replaced. */
  async split(committeeId: string, readers: number): Promise<{ assignments: { memberId: string; count: number }[] }> {
    const open = await this.#get(committeeId);
    this.#assertActive(open);
    const members = this.#members(open).filter((member) => !member.revoked).map((member) => member.memberId);
    const perCandidate = Math.min(readers, members.length);
    const counts = new Map(members.map((memberId) => [memberId, 0]));
    const applications = this.#storage.committees.applications(open.row.accountId, open.row.jobRemoteIds);
    open.doc.doc.transact(() => {
      applications.forEach((application, index) => {
        const chosen = new Set(Array.from({ length: perCandidate }, (_, offset) => members[(index * perCandidate + offset) % members.length] as string));
        for (const memberId of members) open.doc.setAssignment(application.remoteId, memberId, chosen.has(memberId));
        for (const memberId of chosen) counts.set(memberId, (counts.get(memberId) ?? 0) + 1);
      });
    }, localEdit);
    return { assignments: [...counts].map(([memberId, count]) => ({ memberId, count })) };
  }

  async exportTally(committeeId: string, out: string, overwrite: boolean): Promise<{ path: string; rows: number }> {
    const tally = await this.tally(committeeId, 'rank', 'all');
    const round = (value: number | null): Cell => (value === null ? null : Math.round(value * 100) / 100);
    const nameOf = new Map(tally.members.map((member) => [member.memberId, member.name]));
    const header = [
      'Candidate', 'Job', 'Application ID', 'Rank', 'Mean', 'Spread', 'Read by', 'Discussion',
      ...tally.members.filter((member) => !member.revoked).flatMap((member) => [`${member.name}: rating`, `${member.name}: score`]),
      'Not read by',
    ];
    const rows = tally.rows.map((row) => [
      row.name, row.jobTitle, row.applicationRemoteId, row.rank, round(row.mean), round(row.spread), row.readBy, row.discussion,
      ...row.verdicts.flatMap((verdict) => [verdict.rating, round(verdict.score)]),
      row.unreadBy.map((memberId) => nameOf.get(memberId) ?? memberId).join('; '),
    ]);
    const text = csvDocument(header, rows);
    const outcome = await writeAtomically(out, { overwrite }, async (temporary) => {
      await writeFile(temporary, text, 'utf8');
      return rows.length;
    });
    return { path: outcome.file, rows: rows.length };
  }

  // ---- inside

  async #get(committeeId: string): Promise<OpenCommittee> {
    await this.start();
    const open = this.#open.get(committeeId);
    const failure = this.#unopened.get(committeeId);
    if (!open && failure instanceof DossierError) throw failure;
    if (!open) throw new DossierError('input.invalid', 'This machine is not a member of that committee (it may have been left). Reload the committee list.', { field: 'committeeId' });
    return open;
  }

  #assertChair(open: OpenCommittee): void {
    if (open.row.role !== 'chair') throw new DossierError('committee.not_chair', `Only the chair of “${open.row.name}” can do this; ask them.`);
  }

  #assertActive(open: OpenCommittee): void {
    if (open.connection === 'revoked') {
      throw new DossierError('committee.revoked', `You were removed from “${open.row.name}”: what was shared until then stays readable here, but nothing you change reaches the others.`);
    }
  }

  /** The account a joining member's records are matched against: the one given, else the only one on this machine. */
  #accountToJoinWith(accountId: number | undefined): number {
    const accounts = this.#storage.accounts.list();
    if (accountId !== undefined) {
      if (!accounts.some((account) => account.id === accountId)) throw new DossierError('input.invalid', 'That account is not on this machine. Choose one from the account list.', { field: 'accountId' });
      return accountId;
    }
    if (accounts.length === 1) return (accounts[0] as (typeof accounts)[number]).id;
    if (accounts.length === 0) throw new DossierError('input.invalid', 'Add and sync the account of the committee’s job platform first: the committee’s records are matched against it.', { field: 'accountId' });
    throw new DossierError(
      'input.invalid',
      `Choose the account whose applications this committee reviews: ${accounts.map((account) => `${account.id} “${account.name}” (${account.provider})`).join(', ')}.`,
      { field: 'accountId', choices: accounts.map((account) => account.id) },
    );
  }

  async #record(committeeId: string, fields: Pick<CommitteeRow, 'name' | 'serverUrl' | 'role' | 'memberName' | 'accountId' | 'jobRemoteIds'>, credentials: MemberCredentials, key: Buffer, doc: Y.Doc): Promise<CommitteeRow> {
    const stored: StoredCredentials = { ...credentials, committeeKey: key.toString('base64url') };
    await this.#vault.set(credentialsKey(committeeId), JSON.stringify(stored));
    try {
      this.#storage.committees.insert({ id: committeeId, ...fields, memberId: credentials.memberId, joinedAt: nowIso() }, Y.encodeStateAsUpdate(doc));
    } catch (error) {
      await this.#vault.deletePrefix(committeeKeyPrefix(committeeId));
      throw error;
    }
    return this.#storage.committees.get(committeeId) as CommitteeRow;
  }

  /** Loads the document from its updates (merging them into one), then connects unless the member was revoked. */
  async #openCommittee(row: CommitteeRow): Promise<OpenCommittee> {
    const text = await this.#vault.get(credentialsKey(row.id));
    if (text === undefined) throw new DossierError('committee.server', `The keys of committee “${row.name}” are missing from this machine's vault; leave it and ask the chair for a new invite.`);
    const stored = JSON.parse(text) as StoredCredentials;
    const key = Buffer.from(stored.committeeKey, 'base64url');
    const ydoc = new Y.Doc();
    const updates = this.#storage.committees.updates(row.id);
    Y.transact(ydoc, () => {
      for (const update of updates) Y.applyUpdate(ydoc, update);
    });
    if (updates.length > 1) this.#storage.committees.compact(row.id, Y.encodeStateAsUpdate(ydoc), updates.length);
    const open: OpenCommittee = {
      row,
      key,
      credentials: { memberId: stored.memberId, authKey: stored.authKey },
      doc: new CommitteeDoc(ydoc, key, stored.memberId, this.#unreadable(row.id)),
      link: null,
      connection: row.state === 'revoked' ? 'revoked' : 'offline',
      changedTimer: undefined,
    };
    ydoc.on('update', (update: Uint8Array, origin: unknown) => {
      const local = origin === localEdit;
      this.#storage.committees.appendUpdate(row.id, update, local);
      // A local edit changes the view too (the tally, the pending count), online or not.
      this.#changed(open);
    });
    this.#open.set(row.id, open);
    if (row.state !== 'revoked' && !this.#closed) this.#connect(open);
    return open;
  }

  #connect(open: OpenCommittee): void {
    const committeeId = open.row.id;
    open.connection = 'connecting';
    open.link = new CommitteeConnectionLink(open.row.serverUrl, committeeId, open.credentials, open.doc.doc, {
      onState: (state) => {
        open.connection = state;
        if (state === 'revoked') {
          this.#storage.committees.setState(committeeId, 'revoked');
          open.row = { ...open.row, state: 'revoked' };
          this.#log.warn('committee.revoked', { committeeId });
        }
        this.#events.emit('committee.changed', { committeeId });
      },
      onSynced: () => {
        this.#storage.committees.markSynced(committeeId, nowIso());
        open.row = this.#storage.committees.get(committeeId) ?? open.row;
        this.#events.emit('committee.changed', { committeeId });
      },
      onPending: (pending) => {
        if (pending !== 0 || open.connection !== 'online') return;
        this.#storage.committees.markSynced(committeeId, nowIso());
        this.#events.emit('committee.changed', { committeeId });
      },
    });
  }

  #shut(open: OpenCommittee): void {
    clearTimeout(open.changedTimer);
    open.link?.close();
    open.link = null;
    open.doc.doc.destroy();
  }

  /** What arrived may carry the committee's description (a member's first sync): adopt it, then tell the UI once per burst. */
  #changed(open: OpenCommittee): void {
    if (open.changedTimer !== undefined) return;
    open.changedTimer = setTimeout(() => {
      open.changedTimer = undefined;
      this.#adoptDescription(open);
      this.#events.emit('committee.changed', { committeeId: open.row.id });
    }, changedDebounceMs);
  }

  /**
   * A member learns the committee's name, jobs and rubric from its document. The rubric goes into
   * the member's own rubric of the first job when that has none, so scores are given on the same
   * criteria (they are shared by name); then the member's existing work on those jobs is published.
   */
  #adoptDescription(open: OpenCommittee): void {
    const meta = open.doc.meta();
    if (meta === null) return;
    const described = meta.name === open.row.name && JSON.stringify(meta.jobRemoteIds) === JSON.stringify(open.row.jobRemoteIds);
    if (described) return;
    this.#storage.committees.setDescription(open.row.id, meta.name, meta.jobRemoteIds);
    open.row = this.#storage.committees.get(open.row.id) ?? open.row;
    const [firstJob] = this.#storage.committees.jobIds(open.row.accountId, meta.jobRemoteIds.slice(0, 1));
    if (firstJob !== undefined && meta.rubric.criteria.length > 0 && this.#review.rubric(firstJob).criteria.length === 0) {
      try {
        this.#review.saveRubric({ jobId: firstJob, scale: meta.rubric.scale, criteria: meta.rubric.criteria });
      } catch (error) {
        this.#log.warn('committee.rubric_not_adopted', { committeeId: open.row.id, error });
      }
    }
    this.#publishAll(open);
  }

  /** The chair's rubric of the first job, or their rating scale when that job has no criteria. */
  #localRubric(jobId: number): CommitteeRubric {
    const rubric = this.#review.rubric(jobId);
    if (rubric.criteria.length > 0) return { scale: rubric.scale, criteria: rubric.criteria.map(({ name, weight }) => ({ name, weight })) };
    const scheme = this.#review.ratingScheme();
    return { scale: { min: scheme.min, max: scheme.max }, criteria: [] };
  }

  #rubric(open: OpenCommittee): CommitteeRubric {
    return open.doc.meta()?.rubric ?? { scale: { min: 1, max: 5 }, criteria: [] };
  }

  #members(open: OpenCommittee): CommitteeMember[] {
    const revoked = open.doc.revoked();
    const members = [...open.doc.roster()].map(([memberId, entry]) => ({
      memberId,
      name: entry.name,
      role: entry.role as MemberRole,
      revoked: revoked.has(memberId) || (memberId === open.row.memberId && open.connection === 'revoked'),
      connected: null,
      isMe: memberId === open.row.memberId,
    }));
    return members.sort((a, b) => Number(b.role === 'chair') - Number(a.role === 'chair') || a.name.localeCompare(b.name));
  }

  #describe(open: OpenCommittee): Committee {
    const row = open.row;
    const stored = this.#storage.committees.get(row.id) ?? row;
    return {
      id: row.id,
      name: row.name,
      serverUrl: row.serverUrl,
      role: row.role,
      memberId: row.memberId,
      memberName: row.memberName,
      accountId: row.accountId,
      jobIds: this.#storage.committees.jobIds(row.accountId, row.jobRemoteIds),
      jobRemoteIds: [...row.jobRemoteIds],
      connection: open.connection,
      pendingChanges: this.#pending(open),
      lastSyncedAt: stored.lastSyncedAt,
      memberCount: this.#members(open).filter((member) => !member.revoked).length,
    };
  }

  /** Local edits the server has not acknowledged: the live count while online, else those counted on disk since the last full sync. */
  #pending(open: OpenCommittee): number {
    if (open.connection === 'online') return open.link?.unsyncedChanges ?? 0;
    return this.#storage.committees.get(open.row.id)?.unsyncedLocal ?? 0;
  }

  /** The provider's id of an application of one of the committee's jobs, or input.invalid. */
  #applicationOf(open: OpenCommittee, applicationId: number): string {
    const application = this.#storage.scorecards.scoredApplication(applicationId);
    if (!application || application.accountId !== open.row.accountId || application.jobRemoteId === null || !open.row.jobRemoteIds.includes(application.jobRemoteId)) {
      throw new DossierError('input.invalid', `That application is not one of the jobs committee “${open.row.name}” reviews.`, { field: 'applicationId' });
    }
    return application.applicationRemoteId;
  }

  async #editOwn(committeeId: string, applicationId: number, edit: (doc: CommitteeDoc, remoteId: string) => void): Promise<CommitteeCandidate> {
    const open = await this.#get(committeeId);
    this.#assertActive(open);
    const remoteId = this.#applicationOf(open, applicationId);
    open.doc.doc.transact(() => edit(open.doc, remoteId), localEdit);
    return this.#candidate(open, remoteId);
  }

  #candidate(open: OpenCommittee, remoteId: string): CommitteeCandidate {
    const rubric = this.#rubric(open);
    const assigned = open.doc.assignments().get(remoteId);
    const members = this.#members(open);
    const names = new Map(members.map((member) => [member.memberId, member.name]));
    return {
      committeeId: open.row.id,
      applicationRemoteId: remoteId,
      members: members.map((member) => {
        const shared: MemberCandidate = open.doc.memberCandidates(member.memberId).get(remoteId) ?? {};
        const score = weightedScore(rubric, shared.scores);
        return {
          ...member,
          rating: shared.rating ?? null,
          scores: Object.entries(shared.scores ?? {}).map(([criterion, value]) => ({ criterion, score: value })),
          score,
          sharedNote: shared.sharedNote ?? '',
          proposal: shared.proposal ?? null,
          read: shared.read === true || shared.rating != null || score !== null,
          assigned: assigned?.has(member.memberId) ?? false,
        };
      }),
      discussion: open.doc.discussion().filter((message) => message.app === remoteId)
        .map((message) => ({ id: message.id, memberId: message.member, memberName: names.get(message.member) ?? 'A former member', at: message.at, text: message.text })),
    };
  }

  /**
   * A review change reaches the committees once they are open. Until then the vault stays closed
   * unless a committee joined here reviews the change's job: then they are opened to publish it.
   */
  #reviewChanged(change: ReviewChange): void {
    if (this.#opened) {
      this.#publishChange(change);
      return;
    }
    const job = change.kind === 'rubric' ? this.#storage.scorecards.jobKey(change.jobId) : this.#storage.scorecards.scoredApplication(change.applicationId);
    const jobRemoteId = job?.jobRemoteId ?? null;
    if (!job || jobRemoteId === null || this.#closed) return;
    if (!this.#storage.committees.list().some((row) => row.accountId === job.accountId && row.jobRemoteIds.includes(jobRemoteId))) return;
    // The reviewer's own change is saved either way; a committee that fails to take it catches up at the next one.
    this.start().then(() => this.#publishChange(change)).catch((error: unknown) => this.#log.error('committee.publish_failed', { error }));
  }

  /** A rating, a score or an opened packet of the reviewer's: published to every open committee reviewing that application's job. */
  #publishChange(change: ReviewChange): void {
    if (change.kind === 'rubric') {
      this.#rubricChanged(change.jobId);
      return;
    }
    const application = this.#storage.scorecards.scoredApplication(change.applicationId);
    if (!application || application.jobRemoteId === null) return;
    for (const open of this.#open.values()) {
      if (open.connection === 'revoked' || open.row.accountId !== application.accountId || !open.row.jobRemoteIds.includes(application.jobRemoteId)) continue;
      try {
        open.doc.doc.transact(() => {
          if (change.kind === 'opened') open.doc.setOwn('read', application.applicationRemoteId, true);
          else this.#publish(open, { id: change.applicationId, remoteId: application.applicationRemoteId, jobRemoteId: application.jobRemoteId });
        }, localEdit);
      } catch (error) {
        // The reviewer's own change is saved either way; the committee catches up at the next one.
        this.#log.error('committee.publish_failed', { committeeId: open.row.id, error });
      }
    }
  }

  /** Criteria renamed or removed change the shared scores of every application of the job. */
  #rubricChanged(jobId: number): void {
    const job = this.#storage.scorecards.jobKey(jobId);
    if (!job) return;
    for (const open of this.#open.values()) {
      if (open.connection === 'revoked' || open.row.accountId !== job.accountId || !open.row.jobRemoteIds.includes(job.jobRemoteId)) continue;
      const applications = this.#storage.committees.applications(job.accountId, [job.jobRemoteId]);
      open.doc.doc.transact(() => {
        for (const application of applications) this.#publish(open, application);
      }, localEdit);
    }
  }

  /** The member's rating and scores (by criterion name) of one application, as this machine has them. Never the private note. */
  #publish(open: OpenCommittee, application: { id: number; remoteId: string; jobRemoteId: string | null }): void {
    const [annotation] = this.#storage.annotations.read([{ id: application.id, accountId: open.row.accountId, remoteId: application.remoteId }]);
    open.doc.setOwn('rating', application.remoteId, annotation?.rating ?? undefined);
    const criteria = application.jobRemoteId === null ? [] : this.#storage.scorecards.criteria({ accountId: open.row.accountId, jobRemoteId: application.jobRemoteId });
    const names = new Map(criteria.map((criterion) => [criterion.id, criterion.name]));
    const scores: Record<string, number> = {};
    for (const score of this.#storage.scorecards.scores({ accountId: open.row.accountId, applicationRemoteId: application.remoteId })) {
      const name = names.get(score.criterionId);
      if (name !== undefined) scores[name] = score.score;
    }
    open.doc.setOwn('scores', application.remoteId, Object.keys(scores).length === 0 ? undefined : scores);
  }

  /** Everything the member already rated or scored on the committee's jobs (at create, and when a member learns the jobs). */
  #publishAll(open: OpenCommittee): void {
    const applications = this.#storage.committees.applications(open.row.accountId, open.row.jobRemoteIds);
    open.doc.doc.transact(() => {
      for (const application of applications) this.#publish(open, application);
    }, localEdit);
  }

  #unreadable(committeeId: string): (place: string, error: unknown) => void {
    return (place, error) => this.#log.warn('committee.entry_unreadable', { committeeId, place, error: error instanceof Error ? error.message : String(error) });
  }
}
