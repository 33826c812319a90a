import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsHandlers } from '../../electron/core/api/handlers/accounts.ts';
import { dispatch, type Handlers } from '../../electron/core/api/dispatch.ts';
import { clientSecretKey, tokensKey } from '../../electron/core/secrets/tokens.ts';
import { testCore, type TestCore } from './helpers.ts';

let core: TestCore;
let handlers: ReturnType<typeof accountsHandlers>;

beforeEach(async () => {
  core = await testCore();
  handlers = accountsHandlers(core.core.services);
});
afterEach(() => core.close());

/** Through the real entry point, so inputs are validated against the contract's schemas. */
const call = (name: string, input: unknown) => dispatch(handlers as unknown as Handlers, name, input, core.core.log);

describe('accounts store and handlers', () => {
  it('adds with provider defaults, keeps the secret only in the vault, and never echoes it', async () => {
    const added = await call('accounts.add', { provider: 'careerplug', name: 'Acme', clientId: 'app-1', clientSecret: 's3cret-value' });
    expect(added).toMatchObject({ ok: true, result: { provider: 'careerplug', baseUrl: 'https://api.careerplug.com/', grant: 'client_credentials', state: 'signed_out', tokenUrl: null } });
    expect(JSON.stringify(added)).not.toContain('s3cret-value');
    const id = (added as { result: { id: number } }).result.id;
    expect(await core.core.services.accounts.clientSecret(id)).toBe('s3cret-value');
    const row = core.core.storage.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id);
    expect(JSON.stringify(row)).not.toContain('s3cret-value');
    expect(await call('accounts.list', {})).toMatchObject({ ok: true, result: [{ id, name: 'Acme' }] });
  });

  it('refuses bad input with actionable errors and writes nothing', async () => {
    expect(await call('accounts.add', { provider: 'ejm', name: 'EJM', clientId: 'k' })).toMatchObject({ ok: false, error: { code: 'input.invalid', message: expect.stringContaining('client secret') } });
    expect(await call('accounts.add', { provider: 'oauth2', name: 'X', clientId: 'k', grant: 'authorization_code' })).toMatchObject({ ok: false, error: { code: 'input.invalid', message: expect.stringContaining('base URL') } });
    expect(await call('accounts.add', { provider: 'jobspace', name: 'X', grant: 'token' })).toMatchObject({ ok: false, error: { code: 'input.invalid', message: expect.stringContaining('client_credentials') } });
    expect(await call('accounts.add', { provider: 'nope', name: 'X' })).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(await call('accounts.add', { provider: 'jymob', name: 'X', grant: 'token', baseUrl: 'http://api.example.com/v1' })).toMatchObject({
      ok: false,
      error: { code: 'input.invalid', message: expect.stringContaining('https://') },
    });
    expect(await call('accounts.list', {})).toEqual({ ok: true, result: [] });
    await call('accounts.add', { provider: 'jymob', name: 'Mine', grant: 'token' });
    expect(await call('accounts.add', { provider: 'jymob', name: 'mine', grant: 'token' })).toMatchObject({ ok: false, error: { code: 'account.exists' } });
  });

  it('updating the sign-in settings drops the tokens and says to sign in again; a rename does not', async () => {
    const { result } = (await call('accounts.add', { provider: 'ejm', name: 'EJM', clientId: 'k', clientSecret: 'old' })) as { result: { id: number } };
    await core.core.services.accounts.writeTokens(result.id, { accessToken: 'at', refreshToken: undefined, expiresAt: undefined, obtainedAt: new Date().toISOString(), grant: 'client_credentials', scope: undefined, redirectUri: undefined });
    expect(await call('accounts.update', { id: result.id, name: 'EJM 2026' })).toMatchObject({ ok: true, result: { name: 'EJM 2026' } });
    expect(await core.vault.get(tokensKey(result.id))).toBeDefined();
    expect(await call('accounts.update', { id: result.id, clientSecret: 'new' })).toMatchObject({ ok: true, result: { state: 'signed_out', stateMessage: expect.stringContaining('sign in again') } });
    expect(await core.vault.get(tokensKey(result.id))).toBeUndefined();
    expect(await core.core.services.accounts.clientSecret(result.id)).toBe('new');
    expect(core.states.at(-1)).toMatchObject({ id: result.id, state: 'signed_out' });
  });

  it('removing an account deletes its cached rows and its vault keys, and nothing of other accounts', async () => {
    const a = ((await call('accounts.add', { provider: 'ejm', name: 'A', clientId: 'k', clientSecret: 'sa' })) as { result: { id: number } }).result.id;
    const b = ((await call('accounts.add', { provider: 'ejm', name: 'B', clientId: 'k', clientSecret: 'sb' })) as { result: { id: number } }).result.id;
    await core.vault.set(`account:${a}:tokens`, 'x');
    core.core.storage.db
      .prepare(`INSERT INTO jobs (account_id, remote_id, title, raw_json, synced_at) VALUES (?, '1', 'Assistant Professor', '{}', ?)`)
      .run(a, new Date().toISOString());
    expect(await call('accounts.remove', { id: a })).toMatchObject({ ok: true, result: { removed: true, revocation: { outcome: 'not_signed_in' } } });
    expect(await core.vault.get(`account:${a}:tokens`)).toBeUndefined();
    expect(await core.vault.get(clientSecretKey(a))).toBeUndefined();
    expect(await core.core.services.accounts.clientSecret(b)).toBe('sb');
    expect(core.core.storage.db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 0 });
    expect(await call('accounts.remove', { id: a })).toMatchObject({ ok: false, error: { code: 'account.not_found' } });
  });

  it('describes every provider for onboarding, and each one\'s capabilities', async () => {
    const providers = (await call('accounts.providers', {})) as { result: { id: string; capabilities: { grants: string[] } }[] };
    expect(providers.result.map((provider) => provider.id)).toEqual(['ejm', 'careerplug', 'infojobs', 'jobspace', 'jymob', 'oauth2']);
    expect(await call('accounts.capabilities', { provider: 'infojobs' })).toMatchObject({ ok: true, result: { grants: ['authorization_code'] } });
  });

  it('signs out: the tokens go, the client secret stays', async () => {
    const { result } = (await call('accounts.add', { provider: 'ejm', name: 'EJM', clientId: 'k', clientSecret: 'keep' })) as { result: { id: number } };
    await core.vault.set(tokensKey(result.id), '{}');
    expect(await call('auth.logout', { id: result.id })).toMatchObject({ ok: true, result: { state: 'signed_out' } });
    expect(await core.vault.get(tokensKey(result.id))).toBeUndefined();
    expect(await core.core.services.accounts.clientSecret(result.id)).toBe('keep');
  });
});
