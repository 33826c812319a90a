import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeZip, type ZipEntry } from '../../electron/core/export/zip.ts';
import { entryNames, testAndExtract } from './unzip.ts';

const mtime = new Date('2026-01-01T00:00:00Z');

/** A source that gives its bytes only after `ms`: the entry the archive is busy with while later ones are read ahead. */
function slowSource(bytes: string, ms: number): Readable {
  let given = false;
  return new Readable({
    read() {
      if (given) return;
      given = true;
      setTimeout(() => {
        this.push(Buffer.from(bytes));
        this.push(null);
      }, ms);
    },
  });
}

/** A source that fails on its own as soon as it opens, whether or not anyone reads it yet (a damaged letter found by the reader's worker). */
function failingSource(error: Error): Readable {
  const stream = new Readable({ read: () => undefined });
  setImmediate(() => stream.destroy(error));
  return stream;
}

describe('ZIP writer', () => {
  const folders: string[] = [];
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-zip-'));
    folders.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the archive with the error of a source read ahead that fails before its turn, instead of an uncaught exception and a hang', async () => {
    const damaged = Object.assign(new Error('damaged'), { code: 'document.hash_mismatch' });
    const entries: ZipEntry[] = [
      { name: 'first.txt', compress: false, mtime, open: () => slowSource('first', 300) },
      { name: 'second.pdf', compress: false, mtime, open: () => failingSource(damaged) },
      { name: 'third.txt', compress: false, mtime, open: () => Readable.from([Buffer.from('third')]) },
    ];
    await expect(writeZip(join(folder(), 'out.zip'), entries, undefined, { readAhead: 2, collectEvery: 1024 * 1024 })).rejects.toBe(damaged);
  });

  it('writes every entry in order when the sources read ahead all succeed', async () => {
    const file = join(folder(), 'out.zip');
    const written: string[] = [];
    const entries: ZipEntry[] = ['a', 'b', 'c', 'd'].map((name, index) => ({
      name: `${name}.txt`,
      compress: index % 2 === 0,
      mtime,
      open: () => slowSource(name.repeat(1000), 20 * (4 - index)),
      onWritten: () => written.push(name),
    }));
    await writeZip(file, entries, undefined, { readAhead: 2, collectEvery: 1024 * 1024 });
    expect(entryNames(file)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    expect(written).toEqual(['a', 'b', 'c', 'd']);
    const { files } = testAndExtract(file);
    expect(files.get('c.txt')?.toString()).toBe('c'.repeat(1000));
  });
});
