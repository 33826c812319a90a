import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFormFields, basicCredentials } from '../../electron/sandbox/forms.ts';
import { buildPdf, minimumPdfBytes, pdfBytes, pdfSha1, pdfText, type DocumentSpec } from '../../electron/sandbox/pdf.ts';
import { asciiSlug, makePerson, zonelessDateTime } from '../../electron/sandbox/people.ts';
import { Random } from '../../electron/sandbox/random.ts';
import { emulators } from '../../electron/sandbox/index.ts';
import { applyRequestFaults, sendJson, startSandbox, type RunningSandbox } from '../../electron/sandbox/server.ts';
import { runCli } from '../helpers/cli.ts';

/** Text of every page, as a reader's search would see it. */
async function pdfPlainText(bytes: Buffer): Promise<{ pages: number; text: string }> {
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const pdf = await task.promise;
  let text = '';
  for (let page = 1; page <= pdf.numPages; page += 1) {
    const content = await (await pdf.getPage(page)).getTextContent();
    text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
  }
  const pages = pdf.numPages;
  await task.destroy();
  return { pages, text };
}

const letterSpec = (bytes: number, seed = 11): DocumentSpec => ({
  kind: 'letter',
  seed,
  bytes,
  candidate: { name: 'Søren Ødegård', institution: 'Norges Handelshøyskole', field: 'Labor Economics' },
  writer: { name: 'Małgorzata Wójcik', institution: 'Universität Zürich', title: 'Professor' },
  title: 'Assistant Professor 2026',
});

describe('sandbox people', () => {
  it('draws the same people from the same seed, with accented and non-Latin names among them', () => {
    const draw = (seed: number) => Array.from({ length: 400 }, (_, index) => makePerson(new Random(seed).fork(index)));
    const first = draw(3);
    expect(draw(3)).toEqual(first);
    expect(draw(4)).not.toEqual(first);
    const names = first.map((person) => `${person.first} ${person.last}`);
    expect(names.some((name) => /[À-ž]/.test(name))).toBe(true);
    expect(names.some((name) => /[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u3040-\u9fff\uac00-\ud7af]/.test(name))).toBe(true);
    for (const person of first) {
      expect(person.email).toMatch(/^[a-z]+\.[a-z]+\d*@[a-z0-9.-]+$/);
      expect(`${person.latinFirst} ${person.latinLast}`).not.toMatch(/[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u3040-\u9fff\uac00-\ud7af]/);
    }
  });

  it('writes zoneless EJM dates and ASCII slugs', () => {
    expect(zonelessDateTime(new Date('2025-01-04T09:05:07Z'))).toBe('2025-01-04 09:05:07');
    expect(asciiSlug('Łukasz Ødegård-Müller')).toBe('lukaszodegardmuller');
  });
});

describe('sandbox PDFs', () => {
  it('produces valid PDFs of the exact requested size whose text is searchable', async () => {
    for (const bytes of [minimumPdfBytes, 50_001, 300_000]) {
      const pdf = await pdfBytes(letterSpec(bytes));
      expect(pdf.length).toBe(bytes);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
      const { pages, text } = await pdfPlainText(pdf);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(text).toContain('Søren Ødegård');
      expect(text).toContain('Malgorzata Wójcik');
      expect(text).toContain('Assistant Professor 2026');
      expect(text).toContain('Appendix — supplementary scanned material');
    }
  });

  it('keeps a multi-megabyte document valid and streams it in bounded chunks', async () => {
    const size = 5 * 1024 * 1024 + 17;
    const document = await buildPdf({ ...letterSpec(size), kind: 'paper', title: 'Trade Shocks and Local Labor Markets' });
    expect(document.size).toBe(size);
    const chunks = [...document.chunks(64 * 1024)];
    const pixelChunks = chunks.slice(1, -1);
    expect(Math.max(...pixelChunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(64 * 1024);
    const whole = Buffer.concat(chunks);
    expect(whole.length).toBe(size);
    const { text } = await pdfPlainText(whole);
    expect(text).toContain('Trade Shocks and Local Labor Markets');
    expect(text).toContain('Abstract');
    expect(pdfSha1(document)).toBe(createHash('sha1').update(whole).digest('hex'));
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const a = pdfSha1(await buildPdf(letterSpec(40_000, 1)));
    expect(pdfSha1(await buildPdf(letterSpec(40_000, 1)))).toBe(a);
    expect(pdfSha1(await buildPdf(letterSpec(40_000, 2)))).not.toBe(a);
  });

  it('refuses sizes below the minimum and folds text the standard font cannot draw', async () => {
    await expect(buildPdf(letterSpec(minimumPdfBytes - 1))).rejects.toThrow(/at least/);
    expect(pdfText('Łukasz Dvořák 王伟')).toBe('Lukasz Dvorák ??');
  });
});

describe('sandbox harness', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      provider: 'test',
      async handle(request, response, context) {
        if (await applyRequestFaults(response, context, (reply) => reply.writeHead(403, { 'content-type': 'text/html' }).end('<html>throttled</html>'))) return;
        if (context.url.pathname === '/form') return sendJson(response, context, 200, { fields: await readFormFields(request, context), basic: basicCredentials(request) });
        sendJson(response, context, 200, { hello: 'x'.repeat(2000) });
      },
      controls: { echo: (body) => ({ echoed: body }) },
    });
  });
  afterAll(() => sandbox.close());

  const control = (name: string, body: unknown) => fetch(`${sandbox.baseUrl}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) }).then((reply) => reply.json() as Promise<unknown>);

  it('parses urlencoded and multipart forms and Basic credentials', async () => {
    const urlencoded = await fetch(`${sandbox.baseUrl}/form`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'é/+' }) }).then((reply) => reply.json() as Promise<{ fields: unknown }>);
    expect(urlencoded.fields).toEqual({ a: '1', b: 'é/+' });
    const multipart = new FormData();
    multipart.set('grant_type', 'client_credentials');
    const basic = `Basic ${Buffer.from('client:s3cr%t').toString('base64')}`;
    const parsed = await fetch(`${sandbox.baseUrl}/form`, { method: 'POST', body: multipart, headers: { authorization: basic } }).then((reply) => reply.json());
    expect(parsed).toEqual({ fields: { grant_type: 'client_credentials' }, basic: { id: 'client', secret: 's3cr%t' } });
  });

  it('applies the counted faults to the next requests only', async () => {
    await control('faults', { rateLimitEvery: 1, retryAfterSeconds: 7 });
    const limited = await fetch(`${sandbox.baseUrl}/x`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    await control('faults', { rateLimitEvery: 0, errorStorm: 2, errorStatus: 500 });
    expect((await fetch(`${sandbox.baseUrl}/x`)).status).toBe(500);
    expect((await fetch(`${sandbox.baseUrl}/x`)).status).toBe(500);
    expect((await fetch(`${sandbox.baseUrl}/x`)).status).toBe(200);
    await control('faults', { throttle: 1 });
    expect(await (await fetch(`${sandbox.baseUrl}/x`)).text()).toContain('throttled');
    await control('faults', { malformed: 1 });
    const html = await fetch(`${sandbox.baseUrl}/x`);
    expect(html.headers.get('content-type')).toContain('text/html');
    await control('faults', { truncate: 1 });
    await expect(fetch(`${sandbox.baseUrl}/x`).then((reply) => reply.text())).rejects.toThrow();
    await control('faults', { reset: 1 });
    await expect(fetch(`${sandbox.baseUrl}/x`).then((reply) => reply.text())).rejects.toThrow();
    expect(((await fetch(`${sandbox.baseUrl}/x`).then((reply) => reply.json())) as { hello: string }).hello).toHaveLength(2000);
    expect(await control('echo', { a: 1 })).toEqual({ echoed: { a: 1 } });
    const stats = (await fetch(`${sandbox.baseUrl}/__sandbox/stats`).then((reply) => reply.json())) as Record<string, number>;
    expect(stats['GET /x']).toBeGreaterThanOrEqual(9);
  });
});

describe('dossier sandbox', () => {
  it('lists an emulator for EconJobMarket', () => {
    expect(Object.keys(emulators)).toContain('ejm');
  });

  it('prints one JSON ready line, serves, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/dossier.js'), 'sandbox', 'ejm', '--seed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('sandbox exited before its ready line')));
    });
    const ready = JSON.parse(line) as { provider: string; tokenUrl: string; clientId: string; clientSecret: string };
    expect(Object.keys(ready)).toEqual(['provider', 'baseUrl', 'tokenUrl', 'authorizeUrl', 'clientId', 'clientSecret']);
    expect(ready.provider).toBe('ejm');
    expect(ready.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/token\/$/);
    const token = await fetch(ready.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.clientId, client_secret: ready.clientSecret }),
    }).then((reply) => reply.json() as Promise<{ token_type: string }>);
    expect(token.token_type).toBe('bearer');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('rejects an unknown provider and scale', async () => {
    const unknown = await runCli(['sandbox', 'nosuch']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('There is no sandbox for "nosuch"');
    const scale = await runCli(['sandbox', 'ejm', '--scale', 'huge']);
    expect(scale.stderr).toContain('Unknown scale "huge"');
  });
});
