import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

let fixture: ReviewFixture;
beforeAll(async () => {
  fixture = await reviewFixture({ applications: 80, documents: 'none', seed: 3 });
});
afterAll(() => fixture.close());

const slots = () => fixture.seeded.snapshot.slots?.rows ?? [];

describe('interviews', () => {
  it('lists the provider slots imported by the sync, with the applicant resolved', async () => {
    expect(slots().length).toBeGreaterThan(0);
    const listed = await fixture.call('interviews.list', {});
    const provider = listed.filter((interview) => interview.source === 'provider');
    expect(provider).toHaveLength(slots().length);
    for (const interview of provider) {
      expect(interview.applicationId).not.toBeNull();
      expect(interview.applicantName).toBeTruthy();
      expect(interview.title).toContain('Allied Social Sciences Association');
    }
  });

  it('stores the instant in UTC and keeps the zone it was planned in', async () => {
    const applicationId = fixture.seeded.applicationIds[0] as number;
    const saved = await fixture.call('interviews.save', {
      applicationId, title: 'Zoom first round', startsAt: '2027-01-05T09:00:00-05:00', endsAt: '2027-01-05T09:45:00-05:00', timeZone: 'America/New_York',
      videoUrl: 'https://zoom.example/j/1', interviewers: ['A. Chair', 'B. Member'], status: 'confirmed',
    });
    expect(saved).toMatchObject({ source: 'local', startsAt: '2027-01-05T14:00:00.000Z', endsAt: '2027-01-05T14:45:00.000Z', timeZone: 'America/New_York', interviewers: ['A. Chair', 'B. Member'] });
    const stored = fixture.core.storage.db.prepare('SELECT starts_at FROM interviews WHERE id = ?').pluck().get(saved.id);
    expect(stored).toBe('2027-01-05T14:00:00.000Z');

    // A range given in another zone selects by instant: 15:30 in Paris is 14:30 UTC, inside the interview.
    const overlapping = await fixture.call('interviews.list', { from: '2027-01-05T15:30:00+01:00', to: '2027-01-05T15:31:00+01:00' });
    expect(overlapping.map((interview) => interview.id)).toContain(saved.id);
    const before = await fixture.call('interviews.list', { from: '2027-01-05T13:00:00Z', to: '2027-01-05T14:00:00Z' });
    expect(before.filter((interview) => interview.source === 'local').map((interview) => interview.id)).not.toContain(saved.id);
    const packet = await fixture.call('applicants.packet', { applicationId });
    expect(packet.interviews.map((interview) => interview.id)).toContain(saved.id);
  });

  it('updates, validates and removes local interviews', async () => {
    const created = await fixture.call('interviews.save', {
      applicationId: null, title: 'Committee meeting', startsAt: '2027-01-10T16:00:00Z', endsAt: '2027-01-10T17:00:00Z', timeZone: 'Europe/Madrid',
    });
    expect(created.applicationId).toBeNull();
    expect(created.accountId).toBe(fixture.seeded.accountId);
    const updated = await fixture.call('interviews.save', {
      id: created.id, applicationId: null, title: 'Committee meeting', startsAt: '2027-01-10T16:00:00Z', endsAt: '2027-01-10T17:00:00Z',
      timeZone: 'Europe/Madrid', status: 'done', evaluation: 'Agreed on the shortlist.',
    });
    expect(updated).toMatchObject({ id: created.id, status: 'done', evaluation: 'Agreed on the shortlist.' });
    const backwards = await fixture.fail('interviews.save', { applicationId: null, title: 'x', startsAt: '2027-01-10T17:00:00Z', endsAt: '2027-01-10T16:00:00Z', timeZone: 'UTC' });
    expect(backwards.message).toContain('end after it starts');
    expect((await fixture.fail('interviews.save', { applicationId: null, title: 'x', startsAt: '2027-01-10T16:00:00Z', endsAt: '2027-01-10T17:00:00Z', timeZone: 'Mars/Base' })).code).toBe('input.invalid');
    expect((await fixture.fail('interviews.save', { id: 987_654, applicationId: null, title: 'x', startsAt: '2027-01-10T16:00:00Z', endsAt: '2027-01-10T17:00:00Z', timeZone: 'UTC' })).message).toContain('no longer exists');
    expect(await fixture.call('interviews.remove', { id: created.id })).toEqual({ removed: true });
    expect(await fixture.call('interviews.remove', { id: created.id })).toEqual({ removed: false });
  });

  it('never gives a local interview the id of an imported slot, so one agenda can key both by id', async () => {
    const listed = await fixture.call('interviews.list', {});
    expect(listed.some((interview) => interview.source === 'local')).toBe(true);
    expect(new Set(listed.map((interview) => interview.id)).size).toBe(listed.length);
    expect(Math.min(...listed.filter((interview) => interview.source === 'local').map((interview) => interview.id))).toBeGreaterThanOrEqual(1_000_000_000);
  });

  it('adopts an imported slot when the reviewer saves over it, so it is listed once', async () => {
    const slot = (await fixture.call('interviews.list', {})).find((interview) => interview.source === 'provider');
    if (!slot) throw new Error('the seed produced no slot');
    const adopted = await fixture.call('interviews.save', {
      applicationId: slot.applicationId, title: slot.title, startsAt: slot.startsAt, endsAt: slot.endsAt, timeZone: slot.timeZone,
      interviewers: ['C. Reader'], notes: 'Strong on identification.', status: 'done',
    });
    const listed = await fixture.call('interviews.list', { applicationId: slot.applicationId as number });
    expect(listed.map((interview) => `${interview.source}:${interview.id}`)).toEqual([`local:${adopted.id}`]);
    expect(listed[0]).toMatchObject({ notes: 'Strong on identification.', interviewers: ['C. Reader'] });
  });
});
