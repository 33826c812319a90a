import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DossierError } from '../../electron/core/base/errors.ts';
import { fileLogger } from '../../electron/core/base/log.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function logged(write: (log: ReturnType<typeof fileLogger>) => void): { lines: Record<string, unknown>[]; text: string; file: string } {
  const folder = mkdtempSync(join(tmpdir(), 'dossier-log-'));
  folders.push(folder);
  const file = join(folder, 'logs', 'dossier.log');
  write(fileLogger(file));
  const text = readFileSync(file, 'utf8');
  return { lines: text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>), text, file };
}

const authorizationCode = 'SplxlOBeZQQYbYS6WxSbIA';

describe('the log file', () => {
  it('keeps error codes, whatever their shape', () => {
    const { lines } = logged((log) => {
      log.error('sync.failed', { code: 'auth.expired', error: new DossierError('disk.full', 'The disk is full.') });
      log.error('db.failed', { code: 'SQLITE_BUSY_SNAPSHOT' });
      log.error('fs.failed', { error: Object.assign(new Error('no space'), { code: 'ENOSPC' }) });
      log.warn('token.refused', { code: 'invalid_grant', status: 400 });
      log.warn('http.failed', { code: 429 });
      log.warn('provider.reply', { body: '{"code":"job_not_found","message":"no such job"}' });
    });
    expect(lines.map((line) => line.code ?? (line.error as { code?: unknown } | undefined)?.code)).toEqual(['auth.expired', 'SQLITE_BUSY_SNAPSHOT', 'ENOSPC', 'invalid_grant', 429, undefined]);
    expect((lines[0]?.error as { code?: unknown }).code).toBe('disk.full');
    expect(lines[5]?.body).toBe('{"code":"job_not_found","message":"no such job"}');
  });

  it('never holds an authorization code, a token or a password, as a field or inside text', () => {
    const { text } = logged((log) => {
      log.info('callback', { code: authorizationCode, state: 'abc' });
      log.info('request', { url: `http://127.0.0.1:5000/callback?code=${authorizationCode}&state=xyz`, headers: { Authorization: 'Bearer abc.def-ghi' } });
      log.info('reply', { body: `{"access_token":"at-123","refresh_token":"rt-456","code":"${authorizationCode}"}` });
      log.info('vault', { passphrase: 'hunter2', clientSecret: 'cs-789', id: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig' });
    });
    for (const secret of [authorizationCode, 'abc.def-ghi', 'at-123', 'rt-456', 'hunter2', 'cs-789', 'eyJhbGciOiJIUzI1NiJ9', 'xyz']) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('is readable by its owner only, in a folder only its owner can enter', () => {
    const { file } = logged((log) => log.info('started'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });
});
