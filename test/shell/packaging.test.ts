import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The electron-builder configuration, checked by electron-builder's own schema validation (the
 * function it runs before packaging), and the promises it must keep: fuses, unpacked native
 * module, targets, hardened runtime, icons.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = JSON.parse(readFileSync(`${root}build/electron-builder.json`, 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  files: string[];
  linux: { target: string[]; icon: string };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; icon: string };
  win: { target: string[]; icon: string };
};
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = requireFromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder configuration', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is really validated: a misspelt option is refused', async () => {
    const misspelt = { ...config, mac: { ...config.mac, hardendRuntime: true } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('sets every fuse the checklist asks for (#19)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('pins a current Electron exactly (#16)', () => {
    const version = packageJson.devDependencies.electron ?? '';
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('packs the app into asar, with better-sqlite3\'s Node-API prebuilds unpacked and not rebuilt', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/prebuilds/*.node');
    expect(config.npmRebuild).toBe(false);
    expect(packageJson.dependencies['better-sqlite3']).toBeDefined();
    expect(statSync(`${root}node_modules/better-sqlite3/prebuilds/linux-x64.node`).isFile()).toBe(true);
  });

  it('ships the built shell and renderer, starting at package.json main', () => {
    expect(packageJson.main).toBe('dist/electron/main.js');
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
  });

  it('builds AppImage and deb, a hardened dmg with entitlements, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.win.target).toEqual(['nsis']);
    const entitlements = readFileSync(`${root}${config.mac.entitlements}`, 'utf8');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    expect(entitlements).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    expect(entitlements).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|disable-executable-page-protection/);
  });

  it('has real icons: PNG sizes for Linux, an ICNS and an ICO', () => {
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = readFileSync(`${root}${config.linux.icon}/${size}x${size}.png`);
      expect(png.subarray(0, 8)).toEqual(pngSignature);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    const icns = readFileSync(`${root}${config.mac.icon}`);
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic10'))).toBe(true);
    const ico = readFileSync(`${root}${config.win.icon}`);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5);
    const largestOffset = ico.readUInt32LE(6 + 16 * (ico.readUInt16LE(4) - 1) + 12);
    expect(ico.subarray(largestOffset, largestOffset + 8)).toEqual(pngSignature);
  });
});
