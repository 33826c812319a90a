import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Account, GrantType } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { ProviderDefinition } from '../providers/catalogue.ts';

/** What the account's input says about its redirect port (`AccountInput.redirectPort`). */
export type RedirectPortChoice = number | 'auto' | 'any' | undefined;

/** A port on 127.0.0.1 that nothing listens on right now, and that no other account uses. */
async function freeLoopbackPort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
        const chosen = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(chosen));
      });
    });
    if (!taken.has(port)) return port;
  }
  throw new DossierError('internal', 'Dossier could not find a free port for the sign-in redirect. Give one yourself (any free port from 1024 to 65535).', { field: 'redirectPort' });
}

/**
 * The fixed redirect port an account keeps, or null for a new port each sign-in. A provider that
 * registers redirect URIs (the catalogue's `redirect: 'registered'`) always gets a fixed one:
 * the one given, the one it has, or a free one picked now and kept. A generic OAuth 2.0 account
 * fixes one only when asked to. Only the browser sign-in has a redirect.
 */
export async function resolveRedirectPort(
  definition: Pick<ProviderDefinition, 'id' | 'label' | 'profile'>,
  account: { grant: GrantType },
  choice: RedirectPortChoice,
  current: Account['redirectPort'],
  taken: () => ReadonlySet<number>,
): Promise<number | null> {
  const registered = definition.profile.redirect === 'registered';
  if (account.grant !== 'authorization_code') {
    if (choice !== undefined) {
      throw new DossierError('input.invalid', `Only a sign-in through the browser has a redirect port; this ${definition.label} account uses ${account.grant}.`, { field: 'redirectPort' });
    }
    return current;
  }
  if (choice === 'any') {
    if (registered) {
      throw new DossierError(
        'input.invalid',
        `${definition.label} registers the redirect URI of your API application, so Dossier keeps one fixed port for it. Give that port, or leave it to Dossier.`,
        { field: 'redirectPort', provider: definition.id },
      );
    }
    return null;
  }
  if (typeof choice === 'number') return choice;
  if (choice === 'auto' || (registered && current === null)) return current ?? freeLoopbackPort(taken());
  return current;
}
