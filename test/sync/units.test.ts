import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Storage } from '../../electron/core/storage/storage.ts';
import { SearchTerms, searchPhrases } from '../../shared/search-terms.ts';
import { ftsMatch } from '../../electron/core/storage/fts-query.ts';
import { blobPath } from '../../electron/core/blobs/layout.ts';
import { commitBlob, stageBlob, sweepTempFiles, type BlobSink } from '../../electron/core/blobs/store.ts';
import { toUtcIso } from '../../electron/core/providers/kit/dates.ts';
import { backoff, retryAfterMs } from '../../electron/core/providers/kit/http.ts';
import { Base64Decoder, decodeJsonBlob } from '../../electron/core/providers/ejm/json-blob.ts';
import { parseJsonBody } from '../../electron/core/providers/kit/validate.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-sync-unit-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The body split into pieces of `size` bytes, as a socket would deliver it. */
function pieces(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  return Readable.from((function* () {
    for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
  })());
}

function memorySink(): BlobSink & { bytes: number; data(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    async write(chunk) {
      chunks.push(chunk);
    },
    get bytes() {
      return chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    },
    data: () => Buffer.concat(chunks),
  };
}

/** base64 as EJM's PHP writes it inside JSON: 76-character lines joined by `\n` escapes, `/` escaped as `\/`. */
function phpBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/(.{76})/g, '$1\\n').replaceAll('/', '\\/');
}

const where = { provider: 'ejm', endpoint: 'files/1' };

describe('streaming base64-inside-JSON decoder', () => {
  const document = randomBytes(30_001);
  const content = phpBase64(document);

  it.each([1, 3, 7, 64, 4096, 1 << 20])('decodes every documented reply shape split into %i-byte pieces', async (size) => {
    const shapes = [
      `{"file_id":1,"blobid":2,"filename":"paper 4.pdf","filecontent":"${content}","sha1_hash":"abc"}`,
      `{"file_id":1,"files":[{"blobid":2,"filecontent":"${content}"}]}`,
      `[{"blobid":2,"filecontent":"${content}"}]`,
      `{"0":{"blobid":2,"filecontent":"${content}"}}`,
    ];
    for (const body of shapes) {
      const sink = memorySink();
      const decoded = await decodeJsonBlob(pieces(body, size), 'filecontent', sink, where);
      expect(decoded.hadContent).toBe(true);
      expect(decoded.fields.blobid).toBe(2);
      expect(sink.data().equals(document)).toBe(true);
    }
  });

  it('undoes every JSON escape a server may use, even when a piece ends inside one', async () => {
    const unicodeEscaped = document.toString('base64').replaceAll('/', '\\u002F').replaceAll('+', '\\u002b');
    const body = `{"file\\u0063ontent":"${unicodeEscaped}\\r\\n\\t","filename":"a \\"quoted\\" \\\\ name.pdf"}`;
    for (const size of [1, 2, 5, 6, 7]) {
      const sink = memorySink();
      const decoded = await decodeJsonBlob(pieces(body, size), 'filecontent', sink, where);
      expect(sink.data().equals(document)).toBe(true);
      expect(decoded.fields.filename).toBe('a "quoted" \\ name.pdf');
    }
    const quoteInside = await decodeJsonBlob(pieces('{"filecontent":"QU\\"JD"}', 3), 'filecontent', memorySink(), where).catch((caught: unknown) => caught);
    expect(quoteInside).toMatchObject({ code: 'provider.malformed_response', detail: { field: 'filecontent' } });
  });

  it("reads PHP's escapes (every / as \\/, lines broken with \\n) in pieces of any size, and refuses a raw control character as JSON does", async () => {
    const php = (document.toString('base64').match(/.{1,76}/g) ?? []).join('\\n').replaceAll('/', '\\/');
    for (const size of [1, 2, 3, 77, 4096]) {
      const sink = memorySink();
      await decodeJsonBlob(pieces(`{"filecontent":"${php}"}`, size), 'filecontent', sink, where);
      expect(sink.data().equals(document)).toBe(true);
    }
    const rawNewline = await decodeJsonBlob(pieces(`{"filecontent":"${php.replace('\\n', '\n')}"}`, 4096), 'filecontent', memorySink(), where).catch((caught: unknown) => caught);
    expect(rawNewline).toMatchObject({ code: 'provider.malformed_response', detail: { field: 'filecontent' } });
  });

  it('keeps the metadata that follows the content (sha1_hash after filecontent)', async () => {
    const sink = memorySink();
    const decoded = await decodeJsonBlob(pieces(`{"file_id":1,"filecontent":"${content}","sha1_hash":"75fb1050517312ec299f484548bd152ae52dea17"}`, 999), 'filecontent', sink, where);
    expect(decoded.fields).toMatchObject({ file_id: 1, sha1_hash: '75fb1050517312ec299f484548bd152ae52dea17' });
  });

  it('refuses what is not a document reply, naming the provider, endpoint and field', async () => {
    const refuse = async (body: string) => {
      const error = await decodeJsonBlob(pieces(body, 50), 'filecontent', memorySink(), where).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'provider.malformed_response', detail: { provider: 'ejm', endpoint: 'files/1' } });
      return error as { detail: { field: string } };
    };
    await refuse('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>');
    expect((await refuse('{"filecontent":"not*base64!"}')).detail.field).toBe('filecontent');
    await refuse('{"a":{"b":{"filecontent":"QUJD"}}}');
    await refuse('[{"filecontent":"QUJD"},{"filecontent":"QUJD"}]');
    await refuse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    await refuse(`{"filename":"${'x'.repeat(100_000)}","filecontent":"QUJD"}`);
  });

  it('reports a reply cut off mid-document as a network failure worth retrying, not as malformed', async () => {
    const body = `{"file_id":1,"filecontent":"${content}","sha1_hash":null}`;
    const error = await decodeJsonBlob(pieces(body.slice(0, body.length / 2), 4096), 'filecontent', memorySink(), where).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('decodes base64 groups split anywhere, with padding arriving in its own piece', () => {
    const bytes = Buffer.from('any carnal pleasure.');
    const text = bytes.toString('base64');
    for (let cut = 0; cut <= text.length; cut += 1) {
      const decoder = new Base64Decoder();
      const head = decoder.push(text.slice(0, cut));
      const tail = decoder.push(`\n${text.slice(cut)}`);
      const end = decoder.end();
      expect(head && tail && end && Buffer.concat([head, tail, end]).equals(bytes)).toBe(true);
    }
    const bad = new Base64Decoder();
    bad.push('QUJD=');
    bad.push('QUJD');
    expect(bad.end()).toBe(null);
  });
});

describe('provider dates to UTC', () => {
  it('reads every format the providers use', () => {
    const zone = 'America/Los_Angeles';
    expect(toUtcIso('2018-10-07 09:10:25', zone)).toBe('2018-10-07T16:10:25.000Z');
    expect(toUtcIso('2018-12-07 09:10:25', zone)).toBe('2018-12-07T17:10:25.000Z');
    expect(toUtcIso('2018-10-07 09:10:25', 'UTC')).toBe('2018-10-07T09:10:25.000Z');
    expect(toUtcIso('2011-05-31T09:09:20.000+0000', zone)).toBe('2011-05-31T09:09:20.000Z');
    expect(toUtcIso('2017-09-13T20:00:00-04:00', zone)).toBe('2017-09-14T00:00:00.000Z');
    expect(toUtcIso('2024-05-01T14:03:00Z', zone)).toBe('2024-05-01T14:03:00.000Z');
    expect(toUtcIso('2019-01-04 00:00:00 UTC', zone)).toBe('2019-01-04T00:00:00.000Z');
    expect(toUtcIso('2018-06-26', 'Europe/Madrid')).toBe('2018-06-25T22:00:00.000Z');
    expect(toUtcIso(1547526152, zone)).toBe('2019-01-15T04:22:32.000Z');
    expect(toUtcIso('1547526152', zone)).toBe('2019-01-15T04:22:32.000Z');
    // The hour that does not exist (spring forward) and the one that happens twice still convert.
    expect(toUtcIso('2025-03-09 02:30:00', zone)).toMatch(/^2025-03-09T(09|10):30:00.000Z$/);
    expect(toUtcIso('2025-11-02 01:30:00', zone)).toMatch(/^2025-11-02T0[89]:30:00.000Z$/);
  });

  it('returns null for anything else rather than guessing', () => {
    for (const value of ['', '0000-00-00 00:00:00', 'next Tuesday', '2018-02-30 10:00:00', '2018-13-01', '13 Sep 2017 20:00:00', null, {}, '2018-10-07T25:00:00Z']) {
      expect(toUtcIso(value, 'UTC')).toBe(null);
    }
  });
});

describe('JSON replies', () => {
  it('refuses HTML pages, invalid JSON and absurd nesting with a clear error', () => {
    expect(() => parseJsonBody('<html><body>Forbidden</body></html>', where)).toThrow(/HTML page/);
    expect(() => parseJsonBody('{"a":', where)).toThrow(/not valid JSON/);
    expect(() => parseJsonBody(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, where)).toThrow(/nested deeper/);
    // Brackets inside strings are text, not nesting.
    expect(parseJsonBody(JSON.stringify({ a: '['.repeat(500) }), where)).toEqual({ a: '['.repeat(500) });
  });
});

describe('retry timing', () => {
  it('honours Retry-After as seconds or a date, capped', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('99999')).toBe(120_000);
    expect(retryAfterMs(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8000);
    expect(retryAfterMs('soon')).toBe(null);
    expect(retryAfterMs(undefined)).toBe(null);
  });

  it('backs off exponentially with jitter up to a cap', () => {
    expect(backoff(1, 200, 20_000, 1, () => 0)).toBe(100);
    expect(backoff(1, 200, 20_000, 1, () => 1)).toBe(200);
    expect(backoff(4, 200, 20_000, 1, () => 1)).toBe(1600);
    expect(backoff(30, 200, 20_000, 1, () => 1)).toBe(20_000);
  });
});

describe('search query', () => {
  it('quotes every phrase so FTS5 syntax is inert, prefix-matching the last', () => {
    expect(ftsMatch(searchPhrases('labor econ'))).toBe('"labor" "econ"*');
    expect(ftsMatch(searchPhrases('  "NEAR(a b)" OR -x * '))).toBe('"NEAR(a b)" "OR" "-x"*');
    expect(ftsMatch(searchPhrases('Institute of "University of'))).toBe('"Institute" "University of"*');
    expect(ftsMatch(searchPhrases(' * " '))).toBe('');
  });

  it('cuts a marked excerpt around the first match of a long text, or returns null when the text has none', () => {
    const text = `${'Intro text. '.repeat(500)}This paper studies labor Economics and the labour market. ${'More words. '.repeat(500)}`;
    const excerpt = new SearchTerms([{ text: 'labor', prefix: false }, { text: 'econ', prefix: true }]).excerptAround(text);
    expect(excerpt).toMatch(/^…/);
    expect(excerpt).toContain('\uE000labor\uE001 \uE000Economics\uE001');
    expect(excerpt).not.toContain('\uE000labour');
    expect((excerpt ?? '').length).toBeLessThan(200);
    expect(new SearchTerms([{ text: 'absent', prefix: false }]).excerptAround(text)).toBe(null);
  });
});

describe('document store', () => {
  it('stages, verifies and commits a blob, and never shows a partial file', async () => {
    const dataDir = tempDir();
    const storage = Storage.open(join(dataDir, 'dossier.db'));
    const bytes = randomBytes(200_000);
    const staged = await stageBlob(join(dataDir, 'tmp'), async (sink) => {
      for (let offset = 0; offset < bytes.length; offset += 7000) await sink.write(bytes.subarray(offset, offset + 7000));
    });
    expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(staged.sha1).toBe(createHash('sha1').update(bytes).digest('hex'));
    expect(existsSync(join(dataDir, 'store'))).toBe(false);
    let inStoreWhenRecorded = false;
    const target = await commitBlob(join(dataDir, 'store'), staged, () => {
      inStoreWhenRecorded = readFileSync(blobPath(join(dataDir, 'store'), staged.sha256)).equals(bytes);
      storage.durably(() => storage.downloads.recordBlob(staged));
    });
    expect(inStoreWhenRecorded).toBe(true);
    expect(target).toBe(blobPath(join(dataDir, 'store'), staged.sha256));
    expect(readFileSync(target).equals(bytes)).toBe(true);
    expect(storage.db.prepare('SELECT size FROM blobs WHERE sha256 = ?').pluck().get(staged.sha256)).toBe(bytes.length);
    expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
    storage.close();
  });

  it('removes the temp file when the producer fails, and records nothing', async () => {
    const dataDir = tempDir();
    const error = await stageBlob(join(dataDir, 'tmp'), async (sink) => {
      await sink.write(Buffer.from('half a document'));
      throw new Error('connection reset');
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('sweeps temp files of dead processes and leaves live ones alone', () => {
    const dir = join(tempDir(), 'tmp');
    mkdirSync(dir);
    writeFileSync(join(dir, '999999999-aa.part'), 'stale');
    writeFileSync(join(dir, `${process.pid}-bb.part`), 'mine, in progress');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    expect(sweepTempFiles(dir)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`${process.pid}-bb.part`, 'notes.txt']);
  });
});
