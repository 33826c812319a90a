import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, getAccount } from '../../electron/core/accounts/store.ts';
import { signIn } from '../../electron/core/auth/login.ts';
import { openSession } from '../../electron/core/auth/session.ts';
import { readTokens } from '../../electron/core/auth/tokens.ts';
import { jobspaceEmulator } from '../../electron/core/providers/jobspace/emulator/index.ts';
import type { StartedEmulator } from '../../electron/core/sandbox/registry.ts';
import { control } from './emulators.ts';
import { testCore, type TestCore } from './helpers.ts';

let core: TestCore;
let board: StartedEmulator;

beforeEach(async () => {
  core = await testCore();
  board = await jobspaceEmulator.start({ scale: 'small', seed: 11 });
});
afterEach(async () => {
  core.close();
  await board.close();
});

async function account(secret = board.ready.clientSecret): Promise<number> {
  return (await addAccount(core.deps, { provider: 'jobspace', name: 'Board', baseUrl: board.ready.baseUrl, clientId: board.ready.clientId, clientSecret: secret })).id;
}

async function jobs(accountId: number): Promise<{ data: unknown[] }> {
  const session = await openSession(core.deps, accountId);
  const response = await session.request({ method: 'GET', url: 'api/job', query: { 'page[size]': '5' } });
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as { data: unknown[] };
}

describe('The Job Space sandbox', () => {
  it('signs in with client credentials (multipart, versioned Accept) at the board\'s own /oauth/token and lists jobs', async () => {
    const id = await account();
    await signIn(core.deps, id);
    const record = await readTokens(core.vault, id);
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(86_400_000);
    expect((await jobs(id)).data.length).toBeGreaterThan(0);
  });

  it('expiry mid-request: a token the board calls expired is minted again and the request retried once', async () => {
    await control(board.ready, 'faults', { tokenLifetimeSeconds: 600 });
    const id = await account();
    await signIn(core.deps, id);
    const before = await readTokens(core.vault, id);
    await control(board.ready, 'advance-clock', { seconds: 601 });
    expect((await jobs(id)).data.length).toBeGreaterThan(0);
    expect((await readTokens(core.vault, id))?.accessToken).not.toBe(before?.accessToken);
    expect(board.sandbox.stats.get('POST /oauth/token')).toBe(2);
  });

  it('revocation of the token: minted again, the user notices nothing', async () => {
    const id = await account();
    await signIn(core.deps, id);
    await control(board.ready, 'revoke', {});
    expect((await jobs(id)).data.length).toBeGreaterThan(0);
  });

  it('a wrong secret is auth.invalid_client', async () => {
    const id = await account('wrong');
    await expect(signIn(core.deps, id)).rejects.toMatchObject({ code: 'auth.invalid_client' });
    expect(getAccount(core.deps.context.db, id).state).toBe('error');
  });
});
