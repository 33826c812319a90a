import { DossierError } from '../../base/errors.ts';

/** Plain http is accepted only for servers on this machine (sandboxes, test servers); everything else must be https. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

export function assertSecureUrl(url: URL, what: string): void {
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
    throw new DossierError('input.invalid', `The ${what} must start with https:// (plain http is allowed only for 127.0.0.1).`, { url: url.origin });
  }
}
