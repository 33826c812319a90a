import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewFixture, type ReviewFixture } from './helpers.ts';

/** Rubrics per job, scores on them and the committee score (their weighted mean), on a real SQLite profile. */

let fixture: ReviewFixture;
let jobId: number;
let otherJobId: number;
let ids: number[];

beforeAll(async () => {
  fixture = await reviewFixture({ applications: 30, documents: 'none', seed: 5 });
  [jobId, otherJobId] = fixture.seeded.jobIds as [number, number];
  ids = (await fixture.call('applicants.list', { filter: { jobId } })).rows.map((row) => row.applicationId);
});
afterAll(() => fixture.close());

const criteriaOf = async (job: number) => (await fixture.call('scorecards.rubric', { jobId: job })).criteria;
async function criterion(name: string): Promise<{ id: number }> {
  const found = (await criteriaOf(jobId)).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no criterion ${name}`);
  return found;
}

describe('rubrics', () => {
  it('start empty on a 1–5 scale, are saved per job, renamed and reweighted by id', async () => {
    expect(await fixture.call('scorecards.rubric', { jobId })).toEqual({ jobId, scale: { min: 1, max: 5 }, criteria: [] });
    const saved = await fixture.call('scorecards.saveRubric', {
      jobId,
      scale: { min: 1, max: 5 },
      criteria: [{ name: 'Research', weight: 3 }, { name: 'Teaching', weight: 1 }, { name: 'Fit', weight: 1 }, { name: 'Letters', weight: 2 }],
    });
    expect(saved.criteria.map((criterion) => [criterion.name, criterion.weight, criterion.scoreCount])).toEqual([['Research', 3, 0], ['Teaching', 1, 0], ['Fit', 1, 0], ['Letters', 2, 0]]);
    expect(await criteriaOf(otherJobId)).toEqual([]);

    const [research, teaching, fit, letters] = saved.criteria as [typeof saved.criteria[number], typeof saved.criteria[number], typeof saved.criteria[number], typeof saved.criteria[number]];
    const renamed = await fixture.call('scorecards.saveRubric', {
      jobId,
      scale: { min: 1, max: 5 },
      criteria: [{ id: research.id, name: 'Research', weight: 3 }, { id: letters.id, name: 'Letters', weight: 2 }, { id: teaching.id, name: 'Teaching', weight: 1 }, { id: fit.id, name: 'Fit with the department', weight: 1 }],
    });
    expect(renamed.criteria.map((criterion) => [criterion.id, criterion.name])).toEqual([[research.id, 'Research'], [letters.id, 'Letters'], [teaching.id, 'Teaching'], [fit.id, 'Fit with the department']]);
  });

  it('refuses bad rubrics with a message that says what to do, and changes nothing', async () => {
    const before = await fixture.call('scorecards.rubric', { jobId });
    expect((await fixture.fail('scorecards.saveRubric', { jobId, scale: { min: 5, max: 1 }, criteria: [] })).message).toMatch(/top must be above its bottom/);
    expect((await fixture.fail('scorecards.saveRubric', { jobId, scale: { min: 1, max: 5 }, criteria: [{ name: 'A', weight: 0 }] })).message).toMatch(/above zero/);
    expect((await fixture.fail('scorecards.saveRubric', { jobId, scale: { min: 1, max: 5 }, criteria: [{ name: 'A', weight: 1 }, { name: 'a', weight: 1 }] })).message).toMatch(/once/);
    const foreign = await fixture.fail('scorecards.saveRubric', { jobId: otherJobId, scale: { min: 1, max: 5 }, criteria: [{ id: before.criteria[0]?.id, name: 'Stolen', weight: 1 }] });
    expect(foreign).toMatchObject({ code: 'input.invalid' });
    expect(await criteriaOf(otherJobId)).toEqual([]);
    expect(await fixture.call('scorecards.rubric', { jobId })).toEqual(before);
  });
});

describe('scores and the committee score', () => {
  it('is the weighted mean of the scored criteria, null until one is scored', async () => {
    const [research, letters, teaching] = [await criterion('Research'), await criterion('Letters'), await criterion('Teaching')];
    const [first, second, third] = ids as [number, number, number];
    expect((await fixture.call('scorecards.get', { applicationId: first })).committeeScore).toBeNull();

    await fixture.call('scorecards.setScore', { applicationId: first, criterionId: research.id, score: 5 });
    const card = await fixture.call('scorecards.setScore', { applicationId: first, criterionId: teaching.id, score: 1 });
    // (3·5 + 1·1) / (3 + 1)
    expect(card.committeeScore).toBe(4);
    expect(card.scores).toEqual(expect.arrayContaining([{ criterionId: research.id, score: 5 }, { criterionId: teaching.id, score: 1 }]));
    await fixture.call('scorecards.setScore', { applicationId: first, criterionId: letters.id, score: 2 });
    // (3·5 + 2·2 + 1·1) / (3 + 2 + 1)
    expect((await fixture.call('scorecards.get', { applicationId: first })).committeeScore).toBeCloseTo(20 / 6, 10);

    await fixture.call('scorecards.setScore', { applicationId: second, criterionId: research.id, score: 4 });
    await fixture.call('scorecards.setScore', { applicationId: third, criterionId: research.id, score: 2 });
    await fixture.call('scorecards.setScore', { applicationId: third, criterionId: research.id, score: null });
    expect((await fixture.call('scorecards.get', { applicationId: third })).committeeScore).toBeNull();

    const rows = (await fixture.call('applicants.list', { filter: { jobId } })).rows;
    expect(rows.find((row) => row.applicationId === first)?.committeeScore).toBeCloseTo(20 / 6, 10);
    expect(rows.find((row) => row.applicationId === second)?.committeeScore).toBe(4);
    expect(rows.find((row) => row.applicationId === third)?.committeeScore).toBeNull();
  });

  it('refuses a score off the scale or on another job’s criterion', async () => {
    const research = await criterion('Research');
    const [first] = ids as [number];
    expect((await fixture.fail('scorecards.setScore', { applicationId: first, criterionId: research.id, score: 6 })).message).toBe('Score “Research” from 1 to 5.');
    const elsewhere = (await fixture.call('applicants.list', { filter: { jobId: otherJobId } })).rows[0]?.applicationId as number;
    expect((await fixture.fail('scorecards.setScore', { applicationId: elsewhere, criterionId: research.id, score: 3 })).message).toMatch(/not on this applicant’s job’s rubric/);
  });

  it('sorts the table by committee score, unscored applicants last either way', async () => {
    const [first, second] = ids as [number, number];
    const sorted = async (direction: 'asc' | 'desc') => (await fixture.call('applicants.list', { filter: { jobId }, sort: { key: 'committeeScore', direction } })).rows;
    const descending = await sorted('desc');
    expect(descending.slice(0, 2).map((row) => row.applicationId)).toEqual([second, first]);
    expect(descending.slice(2).every((row) => row.committeeScore === null)).toBe(true);
    const ascending = await sorted('asc');
    expect(ascending.slice(0, 2).map((row) => row.applicationId)).toEqual([first, second]);
    expect(ascending.at(-1)?.committeeScore).toBeNull();
  });

  it('refuses a narrower scale that would leave scores outside it, then removes a criterion with its scores', async () => {
    const rubric = await fixture.call('scorecards.rubric', { jobId });
    const research = rubric.criteria.find((criterion) => criterion.name === 'Research');
    expect(research?.scoreCount).toBe(2);
    const kept = rubric.criteria.map(({ id, name, weight }) => ({ id, name, weight }));
    const refused = await fixture.fail('scorecards.saveRubric', { jobId, scale: { min: 1, max: 3 }, criteria: kept });
    expect(refused.message).toBe('2 scores lie outside 1–3. Keep a scale that includes them, or change those scores first.');
    expect(await fixture.call('scorecards.rubric', { jobId })).toEqual(rubric);

    const [first] = ids as [number];
    await fixture.call('scorecards.saveRubric', { jobId, scale: { min: 1, max: 5 }, criteria: kept.filter((criterion) => criterion.name !== 'Teaching') });
    // Research 5 ·3 and Letters 2 ·2 remain: 19 / 5.
    expect((await fixture.call('scorecards.get', { applicationId: first })).committeeScore).toBeCloseTo(19 / 5, 10);
  });

  it('exports the committee score and each criterion’s score in the applicant CSV', async () => {
    const out = join(fixture.dataDir, 'scored.csv');
    await fixture.call('export.applicants', { selection: { jobId }, out });
    const rows = parse(readFileSync(out), { bom: true, columns: true }) as Record<string, string>[];
    const [first, second] = ids as [number, number];
    const byId = (id: number) => rows.find((row) => row['Application ID'] === String(id));
    expect(byId(first)).toMatchObject({ 'Committee score': '3.8', Scores: 'Research 5; Letters 2' });
    expect(byId(second)).toMatchObject({ 'Committee score': '4', Scores: 'Research 4' });
    expect(byId(ids[2] as number)).toMatchObject({ 'Committee score': '', Scores: '' });
  });
});
