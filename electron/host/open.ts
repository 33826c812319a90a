import { spawn } from 'node:child_process';
import { resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isOpenableDocument } from '../core/base/document-types.ts';
import { DossierError } from '../core/base/errors.ts';

/**
 * What any host (the desktop shell, the browser host, the command line) lets reach the system's
 * opener, as plain functions: one rule, so no host can be the weaker door (Electron security
 * checklist #15).
 */

const maxUrlLength = 8192;

/** Parses a URL the WHATWG way; anything that is not a string or does not parse is `undefined`. */
export function parseUrl(raw: unknown): URL | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > maxUrlLength) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

export function hasCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/**
 * A URL fit for the system browser: parsed, http(s) only, no embedded credentials, and returned
 * re-serialised (never the raw string), so `javascript:`, `file:`, `smb:` or custom handlers never
 * reach the opener.
 */
export function safeExternalUrl(raw: unknown): string | undefined {
  const url = parseUrl(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || hasCredentials(url) || url.hostname === '') return undefined;
  return url.href;
}

export type CoreOpenDecision = { kind: 'web'; url: string } | { kind: 'file'; path: string } | { kind: 'refused' };

/**
 * What the core may ask a host to open: a web address it built (an authorize URL), or a copy of a
 * document it wrote under the profile's temporary folder, with a document extension. A provider
 * could name a file `cv.exe` or `cv.desktop`; the OS would run it, so those are refused.
 */
export function decideCoreOpen(raw: unknown, tempDir: string): CoreOpenDecision {
  const web = safeExternalUrl(raw);
  if (web !== undefined) return { kind: 'web', url: web };
  const url = parseUrl(raw);
  if (!url || url.protocol !== 'file:' || (url.host !== '' && url.host !== 'localhost')) return { kind: 'refused' };
  let path: string;
  try {
    path = resolvePath(fileURLToPath(url));
  } catch {
    return { kind: 'refused' };
  }
  const inside = path.startsWith(`${resolvePath(tempDir)}${sep}`);
  return inside && isOpenableDocument(path) ? { kind: 'file', path } : { kind: 'refused' };
}

export function refusedOpen(): DossierError {
  return new DossierError('input.invalid', 'Dossier opens only web pages and documents in your system apps; this one was refused. Use "Save as" to keep a copy.');
}

/** The desktop's "open this" command; arguments are passed as an array, never through a shell. */
function opener(platform: NodeJS.Platform): { command: string; args: (target: string) => string[] } {
  if (platform === 'darwin') return { command: 'open', args: (target) => [target] };
  if (platform === 'win32') return { command: 'explorer.exe', args: (target) => [target] };
  return { command: 'xdg-open', args: (target) => [target] };
}

/**
 * Opens what the core asked for with the desktop's default application (the browser host's and the
 * command line's opener; the shell uses Electron's `shell` after the same `decideCoreOpen`).
 */
export function openWithDesktop(raw: string, tempDir: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const decision = decideCoreOpen(raw, tempDir);
  if (decision.kind === 'refused') return Promise.reject(refusedOpen());
  const target = decision.kind === 'web' ? decision.url : decision.path;
  const { command, args } = opener(platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args(target), { stdio: 'ignore', detached: true });
    child.once('error', (error) => {
      reject(new DossierError('internal', `This computer has no program to open ${decision.kind === 'file' ? 'the file' : 'the link'} with (${command} failed). Open it by hand: ${target}`, { command }, { cause: error }));
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
