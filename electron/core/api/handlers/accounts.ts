import { providerIds } from '../../../../shared/domain.ts';
import { providers } from '../../providers/catalogue.ts';
import { summarizeManifest } from '../../providers/manifest-summary.ts';
import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export type AccountsApiName =
  | 'accounts.list'
  | 'accounts.add'
  | 'accounts.update'
  | 'accounts.remove'
  | 'accounts.capabilities'
  | 'accounts.providers'
  | 'manifests.bundled'
  | 'manifests.check'
  | 'auth.login'
  | 'auth.cancel'
  | 'auth.logout';

export function accountsHandlers({ accounts, auth }: CoreServices): HandlerGroup<AccountsApiName> {
  return {
    'accounts.list': () => accounts.list(),
    'accounts.add': (input) => accounts.add(input),
    'accounts.update': (input) => accounts.update(input),
    'accounts.remove': ({ id }) => auth.removeAccount(id),
    'accounts.capabilities': ({ provider }) => providers[provider].capabilities,
    'accounts.providers': () =>
      providerIds.map((id) => {
        const { label, setupHelp, dataSide, capabilities, profile, redirectSetting } = providers[id];
        return { id, label, setupHelp, dataSide: dataSide ?? null, capabilities, redirect: profile.redirect, redirectSetting: redirectSetting ?? null };
      }),
    'manifests.bundled': () => accounts.bundledManifests(),
    'manifests.check': ({ manifest: choice }) => {
      const { manifest, stored } = accounts.chooseManifest(choice);
      return summarizeManifest(manifest, stored.fileName);
    },
    'auth.login': ({ id, token }) => auth.signIn(id, { token }),
    'auth.cancel': ({ id }) => ({ cancelled: auth.cancelSignIn(id) }),
    'auth.logout': ({ id }) => auth.signOut(id),
  };
}
