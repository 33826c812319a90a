import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobspaceEmulator } from '../../electron/sandbox/jobspace/index.ts';
import { startJobSpaceEmulator, versionMediaType, type JobSpaceEmulator } from '../../electron/sandbox/jobspace/server.ts';
import { pageCaps, type StrictnessProfile } from '../../electron/sandbox/strictness.ts';
import { expectSeedDecidesDataset } from './seeds.ts';

let emulator: JobSpaceEmulator;
let token: string;

const control = (name: string, body: unknown = {}) =>
  fetch(`${emulator.baseUrl}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json() as Promise<Record<string, unknown>>);

/** FormData makes fetch send multipart/form-data, the documented encoding. */
function multipart(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

const tokenRequest = (fields: Record<string, string>, accept = versionMediaType) =>
  fetch(emulator.ready.tokenUrl, { method: 'POST', headers: { accept }, body: multipart({ client_id: emulator.ready.clientId, client_secret: emulator.ready.clientSecret, ...fields }) });

const api = (path: string, init: RequestInit = {}, accessToken = token) =>
  fetch(`${emulator.baseUrl}${path}`, { ...init, headers: { accept: versionMediaType, authorization: `Bearer ${accessToken}`, ...init.headers } });
const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const validJob = { reference: 'REF-00001', name: 'Data Analyst', description: 'Crunch numbers', job_category: 'ANALYST', job_type: 'perm_fulltime', open_date: '2026-12-01', close_date: '2026-12-31', country: 'GB' };

beforeAll(async () => {
  emulator = await startJobSpaceEmulator({ seed: 4 });
  token = (await json(await tokenRequest({ grant_type: 'client_credentials' }))).access_token as string;
});
afterAll(() => emulator.close());

describe('The Job Space emulator', () => {
  it('mints client-credentials tokens from a multipart body, and password tokens that refresh', async () => {
    const response = await tokenRequest({ grant_type: 'client_credentials' });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 86400, access_token: expect.any(String) });
    expect(body.refresh_token).toBeUndefined();
    const password = await json(await tokenRequest({ grant_type: 'password', username: 'recruiter@northern.example', password: 'sandbox' }));
    expect(password.refresh_token).toEqual(expect.any(String));
    const refreshed = await json(await tokenRequest({ grant_type: 'refresh_token', refresh_token: password.refresh_token }));
    expect(refreshed.refresh_token).not.toBe(password.refresh_token);
    const replay = await tokenRequest({ grant_type: 'refresh_token', refresh_token: password.refresh_token });
    expect(replay.status).toBe(401);
    expect((await api('/api/job', {}, refreshed.access_token)).status).toBe(401);
    const wrong = await tokenRequest({ grant_type: 'client_credentials', client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await json(wrong)).toMatchObject({ error: 'invalid_client' });
  });

  it('requires Accept: application/vnd.jb.v1+json on every call (406 otherwise)', async () => {
    expect((await tokenRequest({ grant_type: 'client_credentials' }, 'application/json')).status).toBe(406);
    const response = await fetch(`${emulator.baseUrl}/api/job`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(406);
    expect(await json(response)).toEqual({ data: { message: 'Not Acceptable', status_code: 406 } });
  });

  it('answers 401 Unauthenticated without a valid Bearer token', async () => {
    const response = await api('/api/job', {}, 'nope');
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ data: { message: 'Unauthenticated', status_code: 401 } });
  });

  it('pages jobs with page[number]/page[size] and meta.pagination', async () => {
    const first = await json(await api('/api/job'));
    expect(first.meta.pagination).toEqual(expect.objectContaining({ total: emulator.jobs.size, count: 25, per_page: 25, current_page: 1, total_pages: Math.ceil(emulator.jobs.size / 25) }));
    const job = first.data[0];
    expect(job.open_date).toEqual({ utc: expect.stringMatching(/\+00:00$/), converted: expect.stringMatching(/[+-]\d{2}:\d{2}$/), formatted: expect.any(String) });
    expect(job.organisation).toEqual({ data: expect.objectContaining({ id: 10 }) });
    expect(typeof job.location.geo.lat).toBe('string');
    expect(job.links.apply).toMatch(/\/api\/job\/\d+\/apply$/);
    const second = await json(await api('/api/job?page[number]=2&page[size]=10'));
    expect(second.meta.pagination).toMatchObject({ count: 10, per_page: 10, current_page: 2 });
    expect(second.data[0].id).toBe([...emulator.jobs.keys()][10]);
  });

  it('serves one job in the flatter detail shape, numbers as strings', async () => {
    const id = [...emulator.jobs.keys()][0];
    const body = await json(await api(`/api/job/${id}`));
    expect(body.data).toMatchObject({ id, name: expect.any(String), salary_from: expect.stringMatching(/^\d+\.\d{2}$/), country_id: expect.any(String), salary_currency: { data: { iso_code: 'GBP' } } });
    expect(body.meta.similarity_boxes).toEqual([]);
    expect((await api('/api/job/999999')).status).toBe(404);
  });

  it('serves the lookups and the admin options', async () => {
    expect((await json(await api('/api/address/country'))).data).toContainEqual({ id: 229, iso: 'GB', name: 'United Kingdom' });
    expect((await json(await api('/api/job/type'))).data[0]).toMatchObject({ id: 1, handle: 'perm_fulltime', created_at: { utc: expect.any(String) } });
    expect((await json(await api('/api/job/category'))).data[0]).toMatchObject({ handle: 'root' });
    const options = (await json(await api('/admin/api/job/options'))).data;
    expect(Object.keys(options).sort()).toEqual(['apply_type', 'country', 'job_category', 'job_type', 'salary_currency', 'salary_frequency']);
  });

  it('creates, updates and deletes jobs, refusing a duplicate reference', async () => {
    const created = await api('/admin/api/job', { method: 'POST', body: multipart(validJob) });
    expect(created.status).toBe(201);
    const job = (await json(created)).data;
    expect(job).toMatchObject({ reference: 'REF-00001', name: 'Data Analyst' });
    const again = await api('/api/job', { method: 'POST', body: multipart(validJob) });
    expect(again.status).toBe(422);
    expect(await json(again)).toEqual({ data: { message: '422 Unprocessable Entity', errors: { reference: ['The reference has already been taken.'] }, status_code: 422 } });
    const updated = await api(`/admin/api/job/${job.id}/update`, { method: 'POST', body: multipart({ name: 'Senior Data Analyst' }) });
    expect((await json(updated)).data.name).toBe('Senior Data Analyst');
    const viaOldPath = await api(`/api/job/${job.id}/update`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'salary_from=30000' });
    expect((await json(viaOldPath)).data.salary_from).toBe('30000.00');
    const deleted = await api(`/admin/api/job/${job.id}/delete`, { method: 'POST' });
    expect(await json(deleted)).toEqual({ data: { acknowledged: true } });
    expect((await api(`/api/job/${job.id}`)).status).toBe(404);
  });

  it('validates required fields and lengths with a 422 errors map', async () => {
    const response = await api('/admin/api/job', { method: 'POST', body: multipart({ reference: 'abc', summary: 'x'.repeat(301), apply_type: 'EMAIL', apply_data: 'not-an-email' }) });
    expect(response.status).toBe(422);
    const { errors, status_code: status } = (await json(response)).data;
    expect(status).toBe(422);
    expect(errors.reference).toEqual(['The reference must be between 5 and 191 characters.']);
    expect(errors.name).toEqual(['The name field is required.']);
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['description', 'job_category', 'job_type', 'summary', 'apply_data']));
  });

  it('answers 402 Insufficient Credits when the organisation has none left', async () => {
    await control('credits', { credits: 0 });
    const response = await api('/admin/api/job', { method: 'POST', body: multipart({ ...validJob, reference: 'REF-00002' }) });
    expect(response.status).toBe(402);
    expect(await json(response)).toEqual({ data: { message: 'Insufficient Credits', status_code: 402 } });
    await control('credits', { credits: 5 });
  });

  it('throttles with 429 Too Many Attempts and applies the harness faults', async () => {
    await control('faults', { throttle: 1, errorStorm: 1, reset: 1 });
    const throttled = await api('/api/job');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect(await json(throttled)).toEqual({ data: { message: 'Too Many Attempts.', status_code: 429 } });
    expect((await api('/api/job')).status).toBe(503);
    await expect(api('/api/job').then((response) => response.text())).rejects.toThrow();
    expect((await api('/api/job')).status).toBe(200);
  });

  it('expires and revokes tokens', async () => {
    await control('faults', { tokenLifetimeSeconds: 10 });
    const short = await json(await tokenRequest({ grant_type: 'client_credentials' }));
    await control('reset-faults');
    expect(short.expires_in).toBe(10);
    await control('advance-clock', { seconds: 11 });
    expect((await api('/api/job', {}, short.access_token)).status).toBe(401);
    await control('revoke', {});
    expect((await api('/api/job')).status).toBe(401);
    token = (await json(await tokenRequest({ grant_type: 'client_credentials' }))).access_token;
  });

  it('mutates jobs between runs', async () => {
    const before = (await json(await api('/api/job'))).meta.pagination.total as number;
    const result = (await control('mutate', { add: 3, change: 2, remove: 1 })) as { added: number[]; changed: number[]; removed: number[] };
    const after = await json(await api('/api/job?page[size]=100'));
    expect(after.meta.pagination.total).toBe(before + 2);
    const ids = after.data.map((job: { id: number }) => job.id);
    for (const id of result.added) expect(ids).toContain(id);
    expect(ids).not.toContain(result.removed[0]);
    const changed = after.data.find((job: { id: number }) => job.id === result.changed[0]);
    expect(changed.job_title).toContain('(updated');
  });
  it('generates the same dataset and credentials from the same seed, another from another seed', () =>
    expectSeedDecidesDataset(startJobSpaceEmulator, (emulator) => [...emulator.jobs.values()].map((job) => job.name)));
});

describe('The Job Space emulator: strictness profiles (README, "Strictness profiles")', () => {
  /** Through the factory, as `dossier sandbox --strictness` starts it; a number of jobs needs the start function itself. */
  async function started(strictness: StrictnessProfile, jobs?: number) {
    const running = jobs === undefined ? await jobspaceEmulator.start({ scale: 'small', seed: 4, strictness }) : await startJobSpaceEmulator({ scale: String(jobs), seed: 4, strictness });
    const mint = (fields: Record<string, string>) =>
      fetch(running.ready.tokenUrl, { method: 'POST', headers: { accept: versionMediaType }, body: multipart({ client_id: running.ready.clientId, client_secret: running.ready.clientSecret, ...fields }) });
    const minted = await json(await mint({ grant_type: 'client_credentials' }));
    const get = (path: string) => fetch(`${running.ready.baseUrl}${path}`, { headers: { accept: versionMediaType, authorization: `Bearer ${minted.access_token as string}` } });
    return { running, mint, get };
  }

  it('board=2017-05 (through the factory): only the 2017-05 routes and grant; the admin API answers 404', async () => {
    const { running, mint, get } = await started({ board: '2017-05' });
    try {
      expect((await get('/api/job')).status).toBe(200);
      expect((await get('/api/address/country')).status).toBe(200);
      const options = await get('/admin/api/job/options');
      expect(options.status).toBe(404);
      expect(await json(options)).toEqual({ data: { message: '404 Not Found', status_code: 404 } });
      const password = await mint({ grant_type: 'password', username: 'recruiter@northern.example', password: 'sandbox' });
      expect(password.status).toBe(400);
      expect(await json(password)).toMatchObject({ error: 'unsupported_grant_type' });
    } finally {
      await running.close();
    }
  });

  it('board=current serves the admin API and the password grant', async () => {
    const { running, mint, get } = await started({ board: 'current' });
    try {
      expect((await get('/admin/api/job/options')).status).toBe(200);
      expect((await mint({ grant_type: 'password', username: 'recruiter@northern.example', password: 'sandbox' })).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it.each(pageCaps.map((cap) => [cap === null ? 'none' : String(cap), cap] as const))('pageCap=%s: page[size] is served up to the cap, and meta.pagination says so', async (_name, cap) => {
    const { running, get } = await started({ pageCap: cap }, 120);
    try {
      const page = await json(await get('/api/job?page[size]=110'));
      const served = Math.min(110, cap ?? 110);
      expect(page.data).toHaveLength(served);
      expect(page.meta.pagination).toMatchObject({ per_page: served, total: 120, total_pages: Math.ceil(120 / served) });
      await fetch(`${running.ready.baseUrl}/__sandbox/ignore-page`, { method: 'POST', body: JSON.stringify({ on: true }) });
      const again = await json(await get('/api/job?page[number]=2&page[size]=110'));
      expect(again.data.map((job: { id: number }) => job.id)).toEqual(page.data.map((job: { id: number }) => job.id));
    } finally {
      await running.close();
    }
  });
});
