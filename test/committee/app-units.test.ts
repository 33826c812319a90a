import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CommitteeMember } from '../../shared/api/committee.ts';
import { candidateKey, inviteSecrets, newCommitteeKey, openJson, randomSecret, sealJson, unwrapCommitteeKey, wrapCommitteeKey } from '../../electron/core/committee/crypto.ts';
import { CommitteeDoc } from '../../electron/core/committee/doc.ts';
import { computeTally, weightedScore } from '../../electron/core/committee/tally.ts';

/** The committee's sealing, naming and tally, on their own (the end-to-end behaviour is in app.test.ts). */

describe('committee crypto', () => {
  it('opens a sealed value only with the same key and at the same place', () => {
    const key = newCommitteeKey();
    const sealed = sealJson(key, { rating: 5 }, 'member:a/rating:x');
    expect(openJson(key, sealed, 'member:a/rating:x')).toEqual({ rating: 5 });
    // Moved to another candidate, opened with another key, or with one byte changed: refused.
    expect(() => openJson(key, sealed, 'member:a/rating:y')).toThrow();
    expect(() => openJson(newCommitteeKey(), sealed, 'member:a/rating:x')).toThrow();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[20] = (bytes[20] as number) ^ 1;
    expect(() => openJson(key, bytes.toString('base64url'), 'member:a/rating:x')).toThrow();
    // A fresh IV each time: equal values do not look equal to the server.
    expect(sealJson(key, { rating: 5 }, 'p')).not.toBe(sealJson(key, { rating: 5 }, 'p'));
    expect(sealed).not.toContain(Buffer.from('rating').toString('base64url'));
  });

  it('names a candidate by a keyed hash, stable per committee and different across committees', () => {
    const key = newCommitteeKey();
    expect(candidateKey(key, '12345')).toBe(candidateKey(Buffer.from(key), '12345'));
    expect(candidateKey(key, '12345')).not.toBe(candidateKey(newCommitteeKey(), '12345'));
    expect(candidateKey(key, '12345')).not.toContain('12345');
  });

  it('unwraps the committee key only with the invite token it was wrapped for', () => {
    const key = newCommitteeKey();
    const token = randomSecret();
    const secrets = inviteSecrets(token);
    const wrapped = wrapCommitteeKey(secrets.wrapKey, key);
    expect(unwrapCommitteeKey(inviteSecrets(token).wrapKey, wrapped).equals(key)).toBe(true);
    expect(() => unwrapCommitteeKey(inviteSecrets(randomSecret()).wrapKey, wrapped)).toThrow();
    // The server gets the proof's hash at invite time and the proof at redeem time; neither is the token or the wrap key.
    expect(secrets.proofHash).not.toBe(secrets.proof);
    expect([secrets.proof, secrets.proofHash]).not.toContain(token);
    expect(secrets.proof).not.toBe(secrets.wrapKey.toString('base64url'));
  });
});

describe('committee document', () => {
  it('skips and reports an entry that does not open instead of failing the whole read', () => {
    const key = newCommitteeKey();
    const unreadable: string[] = [];
    const doc = new CommitteeDoc(new Y.Doc(), key, 'memberA', (place) => unreadable.push(place));
    doc.setOwn('rating', 'app-1', 4);
    doc.setOwn('rating', 'app-2', 2);
    // A value sealed under another committee's key, as a confused or hostile writer could put there.
    const map = doc.doc.getMap<string>('member:memberA');
    const [victim] = [...map.keys()];
    map.set(victim as string, sealJson(newCommitteeKey(), { app: 'app-1', value: 1 }, `member:memberA/${victim}`));
    const shared = doc.memberCandidates('memberA');
    expect(shared.size).toBe(1);
    expect(unreadable).toEqual([`member:memberA/${victim}`]);
  });
});

const member = (memberId: string, revoked = false): CommitteeMember => ({ memberId, name: memberId, role: 'member', revoked, connected: null, isMe: memberId === 'a' });

describe('committee tally', () => {
  const rubric = { scale: { min: 1, max: 5 }, criteria: [{ name: 'Research', weight: 3 }, { name: 'Teaching', weight: 1 }] };
  const applications = ['x', 'y', 'z', 'w'].map((remoteId, index) => ({ id: index + 1, accountId: 1, remoteId, jobRemoteId: 'job', name: `Candidate ${remoteId}`, jobTitle: 'Economist' }));
  const shared = new Map([
    ['a', new Map([['x', { rating: 5 }], ['y', { scores: { Research: 4, Teaching: 2 } }], ['z', { rating: 1 }], ['w', { read: true as const }]])],
    ['b', new Map([['x', { rating: 1 }], ['y', { rating: 3 }], ['z', { rating: 5 }], ['remote-only', { rating: 2 }]])],
    ['gone', new Map([['x', { rating: 5 }]])],
  ]);
  const input = {
    committeeId: 'c', myMemberId: 'a', members: [member('a'), member('b'), member('gone', true)], rubric, applications, shared,
    assignments: new Map([['x', new Set(['a'])], ['w', new Set(['b'])]]), discussion: new Map([['x', 2]]),
  };

  it('weighs scores on the committee criteria and prefers them to the rating', () => {
    expect(weightedScore(rubric, { Research: 4, Teaching: 2 })).toBe(3.5);
    expect(weightedScore(rubric, { Unknown: 5 })).toBeNull();
    const y = computeTally(input, 'name', 'all').rows.find((row) => row.applicationRemoteId === 'y');
    expect(y?.verdicts.map((verdict) => verdict.value)).toEqual([3.5, 3]);
    expect(y?.mean).toBe(3.25);
    expect(y?.spread).toBe(0.5);
  });

  it('ranks by mean with shared ranks for ties, counts readers, and leaves revoked members out', () => {
    const tally = computeTally(input, 'rank', 'all');
    expect(tally.rows.map((row) => [row.applicationRemoteId, row.rank])).toEqual([['y', 1], ['x', 2], ['z', 2], ['remote-only', 4], ['w', null]]);
    expect(tally.rows.every((row) => row.verdicts.length === 2)).toBe(true);
    const w = tally.rows.find((row) => row.applicationRemoteId === 'w');
    expect(w).toMatchObject({ readBy: 1, unreadBy: ['b'], mean: null });
    const remoteOnly = tally.rows.find((row) => row.applicationRemoteId === 'remote-only');
    expect(remoteOnly).toMatchObject({ applicationId: null, unreadBy: ['a'] });
    expect(tally.rows.find((row) => row.applicationRemoteId === 'x')?.discussion).toBe(2);
  });

  it('puts disagreements first and counts every filter whichever is applied', () => {
    const tally = computeTally(input, 'disagreement', 'disagreements');
    expect(tally.rows.map((row) => row.applicationRemoteId)).toEqual(['x', 'z']);
    expect(tally.total).toBe(5);
    expect(tally.counts).toEqual({ all: 5, assignedToMe: 1, unreadByMe: 1, disagreements: 2 });
    expect(computeTally(input, 'disagreement', 'all').rows.map((row) => row.applicationRemoteId).slice(0, 3)).toEqual(['x', 'z', 'y']);
    expect(computeTally(input, 'name', 'assignedToMe').rows.map((row) => row.applicationRemoteId)).toEqual(['x']);
    expect(computeTally(input, 'name', 'unreadByMe').rows.map((row) => row.applicationRemoteId)).toEqual(['remote-only']);
  });
});
