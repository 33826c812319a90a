import { expect } from 'vitest';

/** What every produced name must satisfy on Windows, macOS and Linux. */
export function expectPortableName(name: string, maxBytes = 120): void {
  expect(name).not.toMatch(/[<>:"/\\|?*\p{Cc}]/u);
  expect(name).not.toMatch(/[. ]$/);
  expect(name).not.toMatch(/^\./);
  expect(name.split('.')[0]?.trim()).not.toMatch(/^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i);
  expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(maxBytes);
  expect(name.normalize('NFC')).toBe(name);
  expect(name).not.toContain('\ufffd');
}
