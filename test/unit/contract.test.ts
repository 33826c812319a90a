import { describe, expect, it } from 'vitest';
import { api, events, isApiName, parseInput } from '../../shared/contract.ts';
import { errorCodes } from '../../shared/errors.ts';

describe('API contract', () => {
  it('names every entry area.verb and lists only known error codes', () => {
    for (const [name, entry] of Object.entries(api)) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      for (const code of entry.errors) expect(errorCodes).toContain(code);
    }
    for (const name of Object.keys(events)) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });

  it('recognises only its own names', () => {
    expect(isApiName('accounts.list')).toBe(true);
    expect(isApiName('toString')).toBe(false);
    expect(isApiName('__proto__')).toBe(false);
    expect(isApiName(42)).toBe(false);
  });

  it('accepts well-formed input and applies defaults', () => {
    const parsed = parseInput('applicants.list', {});
    expect(parsed).toEqual({ ok: true, value: { filter: {}, offset: 0, limit: 20000 } });
    expect(parseInput('accounts.add', { provider: 'ejm', name: 'Econ 2026', baseUrl: 'http://127.0.0.1:4000' }).ok).toBe(true);
  });

  it('rejects malformed input with a message naming the field and the rule', () => {
    const badProvider = parseInput('accounts.add', { provider: 'linkedin', name: 'x' });
    expect(badProvider.ok).toBe(false);
    if (!badProvider.ok) expect(badProvider.message).toMatch(/^accounts\.add: provider: /);

    const emptyName = parseInput('accounts.add', { provider: 'ejm', name: '   ' });
    expect(emptyName.ok).toBe(false);
    if (!emptyName.ok) expect(emptyName.message).toContain('name: give the account a name');

    const badUrl = parseInput('accounts.add', { provider: 'ejm', name: 'a', baseUrl: 'javascript:alert(1)' });
    expect(badUrl.ok).toBe(false);
    if (!badUrl.ok) expect(badUrl.message).toContain('baseUrl: must be an http(s) URL');

    const badZone = parseInput('accounts.add', { provider: 'ejm', name: 'a', timeZone: 'Mars/Olympus' });
    expect(badZone.ok).toBe(false);
    if (!badZone.ok) expect(badZone.message).toContain('IANA time zone');

    const badInterview = parseInput('interviews.save', {
      applicationId: 1, title: 'Flyout', startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T09:00:00Z', timeZone: 'America/Chicago',
    });
    expect(badInterview.ok).toBe(false);
    if (!badInterview.ok) expect(badInterview.message).toContain('endsAt: an interview must end after it starts');

    const notAnObject = parseInput('annotations.setRating', 'five stars');
    expect(notAnObject.ok).toBe(false);

    const wrongType = parseInput('annotations.setRating', { applicationId: '1; DROP TABLE reviews', rating: 5 });
    expect(wrongType.ok).toBe(false);
    if (!wrongType.ok) expect(wrongType.message).toContain('applicationId');
  });
});
