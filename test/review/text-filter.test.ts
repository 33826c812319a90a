import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

/**
 * The applicant table's text filter and the search read what was typed by the same rules (decision
 * 0019): common words dropped outside quotes, a quoted part an exact phrase.
 */
let fixture: ReviewFixture;
/** Application id by the institution given to its applicant here. */
const byInstitution = new Map<string, number>();

const institutions = [
  // Written without the "at" a person may type.
  'University of California, Berkeley',
  'Massachusetts Institute of Technology',
  // Holds "Institute", "of" and "Technology", but not as the phrase "Institute of Technology".
  'Institute for Advanced Study of Technology Policy',
];

beforeAll(async () => {
  fixture = await reviewFixture({ applications: 12, documents: 'none', seed: 11 });
  const { db } = fixture.core.storage;
  const rows = db.prepare('SELECT a.id, a.applicant_id AS applicantId FROM applications a ORDER BY a.id LIMIT ?').all(institutions.length) as { id: number; applicantId: number }[];
  const rename = db.prepare('UPDATE applicants SET institution = ?, current_institution = NULL WHERE id = ?');
  rows.forEach((row, index) => {
    const institution = institutions[index] as string;
    rename.run(institution, row.applicantId);
    byInstitution.set(institution, row.id);
  });
  fixture.core.storage.searchIndex.reindex({ applicants: rows.map((row) => row.applicantId) });
});
afterAll(() => fixture.close());

const sorted = (ids: Iterable<number | null>) => [...new Set(ids)].filter((id): id is number => id !== null).sort((left, right) => left - right);
const tableFinds = async (text: string) => sorted((await fixture.call('applicants.list', { filter: { text } })).rows.map((row) => row.applicationId));
const searchFinds = async (text: string) => sorted((await fixture.call('search.query', { query: text, limit: 200 })).map((hit) => hit.applicationId));

describe('the applicant table\'s text filter', () => {
  it('drops common words as the search does: a stopword the stored name lacks still finds it', async () => {
    const berkeley = byInstitution.get('University of California, Berkeley');
    const found = await tableFinds('University of California at Berkeley');
    expect(found).toContain(berkeley);
    expect(found).toEqual(await searchFinds('University of California at Berkeley'));
  });

  it('takes a quoted part as one exact phrase, finding the same applications as the search', async () => {
    const mit = byInstitution.get('Massachusetts Institute of Technology');
    const policy = byInstitution.get('Institute for Advanced Study of Technology Policy');
    const quoted = await tableFinds('"Institute of Technology"');
    expect(quoted).toContain(mit);
    expect(quoted).not.toContain(policy);
    expect(quoted).toEqual(await searchFinds('"Institute of Technology"'));
    // Unquoted, the same words in any order and place find both.
    const loose = await tableFinds('Institute of Technology');
    expect(loose).toEqual(expect.arrayContaining([mit, policy]));
    expect(loose).toEqual(await searchFinds('Institute of Technology'));
  });

  it('still searches a common word typed alone', async () => {
    expect((await tableFinds('of')).length).toBeGreaterThan(0);
  });
});
