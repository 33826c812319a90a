import { describe, expect, it } from 'vitest';
import { jobspaceEmulator } from '../../electron/sandbox/jobspace/index.ts';
import { control, useProviderSandbox } from './emulators.ts';

const sandbox = useProviderSandbox(() => jobspaceEmulator.start({ scale: 'small', seed: 11 }));

function account(secret?: string): Promise<number> {
  return sandbox.account({ provider: 'jobspace', name: 'Board', ...(secret === undefined ? {} : { clientSecret: secret }) });
}

async function jobs(accountId: number): Promise<{ data: unknown[] }> {
  const session = await sandbox.core.core.services.auth.openSession(accountId);
  const response = await session.request({ method: 'GET', url: 'api/job', query: { 'page[size]': '5' } });
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as { data: unknown[] };
}

describe('The Job Space sandbox', () => {
  it('signs in with client credentials (multipart, versioned Accept) at the board\'s own /oauth/token and lists jobs', async () => {
    const id = await account();
    await sandbox.core.core.services.auth.signIn(id);
    const record = await sandbox.core.core.services.accounts.readTokens(id);
    expect(Date.parse(record?.expiresAt ?? '') - Date.parse(record?.obtainedAt ?? '')).toBe(86_400_000);
    expect((await jobs(id)).data.length).toBeGreaterThan(0);
  });

  it('expiry mid-request: a token the board calls expired is minted again and the request retried once', async () => {
    await control(sandbox.emulator.ready, 'faults', { tokenLifetimeSeconds: 600 });
    const id = await account();
    await sandbox.core.core.services.auth.signIn(id);
    const before = await sandbox.core.core.services.accounts.readTokens(id);
    await control(sandbox.emulator.ready, 'advance-clock', { seconds: 601 });
    expect((await jobs(id)).data.length).toBeGreaterThan(0);
    expect((await sandbox.core.core.services.accounts.readTokens(id))?.accessToken).not.toBe(before?.accessToken);
    expect(sandbox.emulator.sandbox.stats.get('POST /oauth/token')).toBe(2);
  });

  it('revocation of the token: minted again, the user notices nothing', async () => {
    const id = await account();
    await sandbox.core.core.services.auth.signIn(id);
    await control(sandbox.emulator.ready, 'revoke', {});
    expect((await jobs(id)).data.length).toBeGreaterThan(0);
  });

  it('a wrong secret is auth.invalid_client', async () => {
    const id = await account('wrong');
    await expect(sandbox.core.core.services.auth.signIn(id)).rejects.toMatchObject({ code: 'auth.invalid_client' });
    expect(sandbox.core.core.services.accounts.get(id).state).toBe('error');
  });
});
