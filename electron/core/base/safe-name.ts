/**
 * File and folder names built from hostile display text (applicant and writer names, provider
 * file names) that must open cleanly on Windows, macOS and Linux and inside any unzip tool.
 */

const reservedCharacters = /[<>:"/\\|?*]/g;
// C0 and C1 controls, DEL, and the bidirectional overrides that make a name read differently than it is.
const controlCharacters = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const windowsReservedStem = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;

/** 255 bytes is the usual file-name limit; 120 keeps folder + file paths well under Windows' MAX_PATH. */
export const defaultMaxNameBytes = 120;

export interface SafeNameOptions {
  /** Used when nothing usable is left of the raw text. */
  readonly fallback?: string;
  /** Extension including its dot (".pdf"); kept whole when the stem is shortened. */
  readonly extension?: string;
  readonly maxBytes?: number;
}

/** Truncates to at most `maxBytes` UTF-8 bytes without splitting a code point. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

function cleanComponent(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(controlCharacters, '')
    .replace(reservedCharacters, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .trim();
}

function trimEnd(text: string): string {
  return text.replace(/[. ]+$/, '');
}

function cleanExtension(extension: string | undefined): string {
  if (!extension) return '';
  const cleaned = cleanComponent(extension).replace(/^\.+/, '').replace(/[. ]/g, '');
  return cleaned === '' ? '' : `.${truncateUtf8(cleaned, 16)}`;
}

/**
 * One safe path component: NFC, no separators, reserved or control characters, no leading dot
 * (hidden files, `..`), no trailing dots or spaces, no Windows device name, at most `maxBytes`
 * UTF-8 bytes including the extension.
 */
export function safeName(raw: string | null | undefined, options: SafeNameOptions = {}): string {
  const extension = cleanExtension(options.extension);
  const maxBytes = options.maxBytes ?? defaultMaxNameBytes;
  const fallback = options.fallback ?? 'untitled';
  let stem = cleanComponent(raw ?? '').replace(/^[. ]+/, '');
  if (extension !== '' && stem.toLowerCase().endsWith(extension.toLowerCase())) stem = stem.slice(0, -extension.length);
  stem = trimEnd(truncateUtf8(trimEnd(stem), maxBytes - Buffer.byteLength(extension, 'utf8')));
  if (stem === '') stem = fallback;
  // Windows treats "CON.pdf" and "con .txt" as the device too: guard the part before the first dot.
  const firstPart = stem.split('.')[0]?.trim() ?? '';
  if (windowsReservedStem.test(firstPart)) stem = `_${stem}`;
  return `${stem}${extension}`;
}

/** Splits "Name (2).pdf"-style numbering from the name so a collision can be numbered again. */
function withNumber(name: string, number: number, maxBytes: number): string {
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && name.length - dot <= 17;
  const stem = hasExtension ? name.slice(0, dot) : name;
  const extension = hasExtension ? name.slice(dot) : '';
  const suffix = ` (${number})`;
  const room = maxBytes - Buffer.byteLength(suffix + extension, 'utf8');
  return `${trimEnd(truncateUtf8(stem, room))}${suffix}${extension}`;
}

/**
 * Hands out distinct names inside one folder. Collisions are detected case-insensitively (and on
 * the NFC form) because Windows and macOS file systems are, and numbered like a file manager does:
 * "Name.pdf", "Name (2).pdf", "Name (3).pdf".
 */
export class NameAllocator {
  readonly #taken = new Set<string>();
  readonly #maxBytes: number;

  constructor(maxBytes = defaultMaxNameBytes) {
    this.#maxBytes = maxBytes;
  }

  allocate(raw: string | null | undefined, options: Omit<SafeNameOptions, 'maxBytes'> = {}): string {
    const base = safeName(raw, { ...options, maxBytes: this.#maxBytes });
    let candidate = base;
    for (let number = 2; this.#taken.has(foldCase(candidate)); number += 1) {
      candidate = withNumber(base, number, this.#maxBytes);
    }
    this.#taken.add(foldCase(candidate));
    return candidate;
  }
}

function foldCase(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
