/**
 * Renders build/icon.svg into the icons electron-builder packs: build/icons/<n>x<n>.png (Linux),
 * build/icon.png, build/icon.icns (macOS) and build/icon.ico (Windows), using the system Chromium.
 * Usage: npx node scripts/make-icons.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const buildDir = fileURLToPath(new URL('../build/', import.meta.url));
const svg = readFileSync(`${buildDir}icon.svg`, 'utf8');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const pngs = new Map<number, Buffer>();
try {
  for (const size of sizes) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`);
    pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    await page.close();
  }
} finally {
  await browser.close();
}

function png(size: number): Buffer {
  const data = pngs.get(size);
  if (!data) throw new Error(`no ${size}px rendering`);
  return data;
}

/** ICNS: a big-endian container of typed chunks; these types hold PNG data. */
function icns(): Buffer {
  const types: [string, number][] = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024], ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512]];
  const chunks = types.map(([type, size]) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(8 + png(size).length, 4);
    return Buffer.concat([header, png(size)]);
  });
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([header, body]);
}

/** ICO with PNG-compressed entries (Windows Vista and later); 256 is written as 0 in the directory. */
function ico(): Buffer {
  const entries = [16, 24, 32, 48, 64, 128, 256] as const;
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(entries.length, 4);
  let offset = 6 + 16 * entries.length;
  const directory = entries.map((size) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size === 256 ? 0 : size, 0);
    entry.writeUInt8(size === 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png(size).length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png(size).length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...entries.map(png)]);
}

mkdirSync(`${buildDir}icons`, { recursive: true });
for (const size of sizes) writeFileSync(`${buildDir}icons/${size}x${size}.png`, png(size));
writeFileSync(`${buildDir}icon.png`, png(1024));
writeFileSync(`${buildDir}icon.icns`, icns());
writeFileSync(`${buildDir}icon.ico`, ico());
console.log(`icons written to ${buildDir}`);
