import { spawn } from 'node:child_process';
import { DossierError } from '../core/base/errors.ts';

/** The desktop's "open this" command; arguments are passed as an array, never through a shell. */
function opener(platform: NodeJS.Platform): { command: string; args: (target: string) => string[] } {
  if (platform === 'darwin') return { command: 'open', args: (target) => [target] };
  if (platform === 'win32') return { command: 'explorer.exe', args: (target) => [target] };
  return { command: 'xdg-open', args: (target) => [target] };
}

/**
 * Opens an http(s) or file URL with the desktop's default application. Only those schemes pass:
 * a URL from a provider must never become a command (Electron security checklist #15).
 */
export function openWithDesktop(url: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const parsed = new URL(url);
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
    return Promise.reject(new DossierError('input.invalid', 'Only web addresses and local files can be opened.', { protocol: parsed.protocol }));
  }
  const { command, args } = opener(platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args(parsed.href), { stdio: 'ignore', detached: true });
    child.once('error', (error) => {
      reject(new DossierError('internal', `This computer has no program to open ${parsed.protocol === 'file:' ? 'the file' : 'the link'} with (${command} failed). Open it by hand: ${parsed.href}`, { command }, { cause: error }));
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
