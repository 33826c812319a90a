import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/base/log.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import type { ApiInput } from '../../shared/contract.ts';
import { vaultThatRefuses } from '../helpers/vault.ts';

/** Choosing a folder never reads a secret: a vault that refuses every call proves it. */
const noSecrets = vaultThatRefuses('listing folders');

/** `files.folders` through the real core's dispatch (contract validation included) over real temporary folders. */
describe('files.folders', () => {
  let root: string;
  let core: Core;
  const previousHome = process.env.HOME;

  const list = (input: ApiInput<'files.folders'>) => core.dispatch('files.folders', input);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'dossier-folders-'));
    core = createCore({ dataDir: join(root, 'data'), vault: noSecrets, openExternal: async () => undefined, host: 'browser', documentUrl: (id) => `/documents/${id}`, logger: silentLogger });
  });

  afterAll(async () => {
    await core?.close();
    process.env.HOME = previousHome;
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the sub-folders sorted by name, leaving out hidden folders and files, with links to folders as folders', async () => {
    const folder = join(root, 'exports');
    for (const name of ['beta', 'Alpha', 'item 10', 'item 2', '.hidden', '.git']) mkdirSync(join(folder, name), { recursive: true });
    writeFileSync(join(folder, 'a file.txt'), 'not a folder');
    symlinkSync(join(folder, 'beta'), join(folder, 'gamma link'));
    symlinkSync(join(folder, 'a file.txt'), join(folder, 'link to a file'));

    const outcome = await list({ path: folder });
    expect(outcome).toEqual({
      ok: true,
      result: {
        path: folder,
        parent: root,
        folders: ['Alpha', 'beta', 'gamma link', 'item 2', 'item 10'].map((name) => ({ name, path: join(folder, name) })),
      },
    });
  });

  it('stops at 500 folders and gives the top of the disk no parent', async () => {
    const crowded = join(root, 'crowded');
    for (let index = 0; index < 520; index += 1) mkdirSync(join(crowded, `f${String(index).padStart(3, '0')}`), { recursive: true });
    const outcome = await list({ path: crowded });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { folders } = outcome.result as { folders: { name: string }[] };
    expect(folders).toHaveLength(500);
    expect(folders[0]?.name).toBe('f000');
    expect(folders.at(-1)?.name).toBe('f499');

    const top = await list({ path: '/' });
    expect(top).toMatchObject({ ok: true, result: { path: '/', parent: null } });
  });

  it('starts in Downloads when it exists, else in the home folder', async () => {
    const home = join(root, 'home');
    mkdirSync(home);
    process.env.HOME = home;
    expect(await list({})).toMatchObject({ ok: true, result: { path: home, parent: root } });
    mkdirSync(join(home, 'Downloads', 'Committee'), { recursive: true });
    expect(await list({})).toEqual({ ok: true, result: { path: join(home, 'Downloads'), parent: home, folders: [{ name: 'Committee', path: join(home, 'Downloads', 'Committee') }] } });
  });

  it('refuses a relative path, a file and a missing folder with input.invalid saying what to do', async () => {
    const relative = await list({ path: 'Downloads/exports' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    if (!relative.ok) expect(relative.error.message).toBe('Downloads/exports is not a full path. Give the whole path of a folder, starting from the top of the disk.');

    const file = join(root, 'notes.txt');
    writeFileSync(file, 'a file, not a folder');
    const notFolder = await list({ path: file });
    expect(notFolder).toMatchObject({ ok: false, error: { code: 'input.invalid', message: `${file} is not an existing folder. Choose a folder that exists.` } });

    const missing = await list({ path: join(root, 'no such folder') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'input.invalid' } });

    expect(await list({ path: '' })).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });
});
