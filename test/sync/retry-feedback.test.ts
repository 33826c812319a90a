import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { careerplugEmulator } from '../../electron/sandbox/careerplug/index.ts';
import type { StartedEmulator } from '../../electron/sandbox/emulator.ts';
import { withCommandHint } from '../../electron/cli/hints.ts';
import { addSandboxAccount, consentInPlace, control, setFaults, syncCore, type SyncCore } from './helpers.ts';

/**
 * What a sync tells the user while a provider fails: the waits between attempts ride on
 * `sync.progress` (the real HTTP layer against the CareerPlug emulator's 503 storm), and the
 * final error names the account as the user named it, in words without a terminal command.
 */

let emulator: StartedEmulator;
const cores: SyncCore[] = [];
beforeAll(async () => {
  emulator = await careerplugEmulator.start({ scale: 'small', seed: 5 });
});
afterAll(async () => {
  for (const core of cores) await core.close();
  await emulator.close();
});

async function core(): Promise<SyncCore> {
  const created = await syncCore();
  cores.push(created);
  return created;
}

describe('a sync against a failing provider', () => {
  it('announces each wait with its attempt, reason and end, then clears it once requests flow again', async () => {
    const target = await core();
    const accountId = await addSandboxAccount(target, 'careerplug', emulator.ready, { name: 'Hiring at Acme' });
    await setFaults(emulator.ready.baseUrl, { errorStorm: 3, errorStatus: 503 });
    try {
      const before = Date.now();
      const [result] = await target.engine.run({ documents: false });
      expect(result?.error ?? null).toBe(null);
      const progress = target.on('sync.progress').filter((event) => event.accountId === accountId);
      const waits = progress.filter((event) => event.retrying);
      expect(waits.map((event) => event.retrying?.attempt)).toEqual([1, 2, 3]);
      for (const wait of waits) {
        expect(wait.retrying).toMatchObject({ reason: 'unavailable', status: 503 });
        // The wait ends after it was announced, within the test's backoff cap (200 ms) plus slack.
        const until = Date.parse(wait.retrying?.until ?? '');
        expect(until).toBeGreaterThanOrEqual(before);
        expect(until - Date.now()).toBeLessThan(1_000);
      }
      // The announcement repeats where the sync stood, so the UI keeps its phase and counts.
      const [firstWait] = waits;
      if (!firstWait) throw new Error('no wait was announced');
      expect(firstWait.phase).toBe(progress[progress.indexOf(firstWait) - 1]?.phase);
      // After the storm the next progress says nothing is being waited for.
      const last = progress.at(-1);
      expect(last).toMatchObject({ phase: 'done', retrying: null });
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
    }
  });

  it('gives up with a message naming the account by its name and no command, which the command line adds itself', async () => {
    const target = await core();
    const accountId = await addSandboxAccount(target, 'careerplug', emulator.ready, { name: 'Hiring at Acme' });
    // More failures than the test's attempts: the sync gives up.
    await setFaults(emulator.ready.baseUrl, { errorStorm: 1_000, errorStatus: 503 });
    try {
      const [result] = await target.engine.run({ documents: false });
      expect(result?.ok).toBe(false);
      expect(result?.error?.code).toBe('provider.unavailable');
      expect(result?.error?.message).toContain('"Hiring at Acme"');
      expect(result?.error?.message).not.toMatch(/careerplug|dossier /);
      expect(target.on('sync.finished').at(-1)).toMatchObject({ accountId, ok: false });
      expect(target.core.services.accounts.get(accountId)).toMatchObject({ state: 'error', stateMessage: expect.stringContaining('"Hiring at Acme"') });
    } finally {
      await control(emulator.ready.baseUrl, 'reset-faults');
    }
  }, 60_000);
});

describe('requests still in flight when a sync fails', () => {
  it('stop and say nothing more once the sync has ended, so the UI sees it end for good', async () => {
    const { startEjm } = await import('../../electron/sandbox/ejm/index.ts');
    const ejm = await startEjm({ scale: 'small', seed: 11 });
    try {
      const target = await core();
      const accountId = await addSandboxAccount(target, 'ejm', ejm.ready, { name: 'Econ search' });
      // A clean first sync lays down cursors; the second pulls several resources at once, and every one of them fails.
      await target.engine.run({ documents: false });
      await setFaults(ejm.ready.baseUrl, { errorStorm: 100_000, errorStatus: 503 });
      const [result] = await target.engine.run({ documents: false });
      expect(result?.error?.code).toBe('provider.unavailable');
      const finishedAt = target.events.findLastIndex((event) => event.name === 'sync.finished');
      const requests = () => [...ejm.sandbox.stats.values()].reduce((sum, count) => sum + count, 0);
      // A request sent before the end may reach the emulator well after it on a loaded machine; one
      // still retrying would keep asking (every 200 ms at most), so it still shows in the window below.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const requestsBefore = requests();
      // Longer than the test's largest wait between attempts (200 ms): a sibling still retrying would have spoken and asked again by now.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const after = target.events.slice(finishedAt + 1).filter((event) => event.name === 'sync.progress' && (event.payload as { accountId: number }).accountId === accountId);
      expect(after).toEqual([]);
      expect(requests()).toBe(requestsBefore);
    } finally {
      await ejm.close();
    }
  });
});

describe('a browser sign-in', () => {
  it('tells the UI the address it waits on, and keeps waiting when no browser can be opened', async () => {
    const { infojobsEmulator } = await import('../../electron/sandbox/infojobs/index.ts');
    const infojobs = await infojobsEmulator.start({ scale: 'small', seed: 3 });
    try {
      const target = await syncCore(undefined, false, () => Promise.reject(new Error('no browser on this machine')));
      cores.push(target);
      const account = await target.core.services.accounts.add({
        provider: 'infojobs',
        name: 'Madrid office',
        baseUrl: infojobs.ready.baseUrl,
        tokenUrl: infojobs.ready.tokenUrl,
        ...(infojobs.ready.authorizeUrl ? { authorizeUrl: infojobs.ready.authorizeUrl } : {}),
        clientId: infojobs.ready.clientId,
        clientSecret: infojobs.ready.clientSecret,
        grant: 'authorization_code',
      });
      const waiting = new Promise<string>((resolve) => target.core.events.on('auth.waiting', (event) => resolve(event.authorizeUrl)));
      const signIn = target.core.services.auth.signIn(account.id);
      const url = await waiting;
      expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
      // The user opens the address by hand (here over HTTP) and the sign-in completes.
      await consentInPlace(url);
      await expect(signIn).resolves.toMatchObject({ state: 'signed_in' });
    } finally {
      await infojobs.close();
    }
  });
});

describe('the command line', () => {
  it('adds its own command to the host-neutral messages', () => {
    expect(withCommandHint({ code: 'auth.needs_login', message: 'Sign in again.', detail: { accountName: 'Econ "A"' } })).toBe('Sign in again. Run: dossier login "Econ \\"A\\""');
    expect(withCommandHint({ code: 'auth.expired', message: 'Sign in again.' }, 'Econ')).toBe('Sign in again. Run: dossier login "Econ"');
    expect(withCommandHint({ code: 'provider.too_large', message: 'Too large.', detail: { limitBytes: 64 * 1024 * 1024 } })).toBe('Too large. Run: dossier sync --max-reply-mb 256');
    expect(withCommandHint({ code: 'input.invalid', message: 'Paste the token.', detail: { field: 'token' } })).toBe('Paste the token. Give it in DOSSIER_TOKEN or on standard input.');
    expect(withCommandHint({ code: 'provider.unavailable', message: 'Later.' })).toBe('Later.');
  });
});
