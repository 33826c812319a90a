import { describe, expect, it } from 'vitest';
import { NameAllocator, safeName, truncateUtf8 } from '../../electron/core/base/safe-name.ts';
import { expectPortableName } from './portable.ts';

describe('safe names', () => {
  it('replaces separators, reserved and control characters and never leaves a traversal', () => {
    for (const raw of ['../../etc/passwd', '..\\..\\Windows\\System32', 'a<b>c:d"e|f?g*h', 'tab\there\u0000nul', '\u202eevil\u202dfdp.exe', '..', '.', '   ']) {
      const name = safeName(raw, { extension: '.pdf' });
      expectPortableName(name);
      expect(name).not.toContain('..');
      expect(name.endsWith('.pdf')).toBe(true);
    }
    expect(safeName('../../etc/passwd')).toBe('_._etc_passwd');
    expect(safeName('', { fallback: 'Letter', extension: 'pdf' })).toBe('Letter.pdf');
  });

  it('avoids Windows device names with or without an extension, in any case', () => {
    for (const raw of ['CON', 'con', 'Prn.txt', 'aux', 'NUL.tar.gz', 'COM1', 'com9.pdf', 'LPT1', 'lpt9 ']) {
      const name = safeName(raw, { extension: '.pdf' });
      expectPortableName(name);
      expect(name.startsWith('_')).toBe(true);
    }
    expect(safeName('Conrad')).toBe('Conrad');
    expect(safeName('COM10')).toBe('COM10');
  });

  it('normalises to NFC and strips trailing dots and spaces', () => {
    const decomposed = 'Jose\u0301 Mu\u0308ller';
    expect(safeName(decomposed)).toBe('José Müller');
    expect(safeName('Dr. Smith. . ', { extension: '.pdf' })).toBe('Dr. Smith.pdf');
  });

  it('caps the length in UTF-8 bytes without splitting a code point, keeping the extension', () => {
    const long = `${'é'.repeat(150)}😀${'x'.repeat(150)}`;
    const name = safeName(long, { extension: '.pdf', maxBytes: 120 });
    expectPortableName(name);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    expect(truncateUtf8('a😀b', 3)).toBe('a');
    expect(truncateUtf8('a😀b', 5)).toBe('a😀');
    const emoji = safeName('😀'.repeat(100), { maxBytes: 30 });
    expect(emoji).toBe('😀'.repeat(7));
  });

  it('numbers collisions, detected case-insensitively, and keeps numbered names distinct and short', () => {
    const names = new NameAllocator(40);
    const given = ['Jane Doe', 'jane doe', 'JANE DOE', 'Jane Doe (2)', 'Jane Doe'].map((raw) => names.allocate(raw, { extension: '.pdf' }));
    expect(given).toEqual(['Jane Doe.pdf', 'jane doe (2).pdf', 'JANE DOE (3).pdf', 'Jane Doe (2) (2).pdf', 'Jane Doe (4).pdf']);
    expect(new Set(given.map((name) => name.toLowerCase())).size).toBe(given.length);
    const longNames = new NameAllocator(40);
    const long = Array.from({ length: 12 }, () => longNames.allocate('w'.repeat(300), { extension: '.pdf' }));
    expect(new Set(long.map((name) => name.toLowerCase())).size).toBe(12);
    for (const name of long) expectPortableName(name, 40);
    expect(long[11]).toMatch(/ \(12\)\.pdf$/);
  });
});
