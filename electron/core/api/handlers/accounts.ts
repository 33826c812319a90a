import { providerIds } from '../../../../shared/domain.ts';
import { addAccount, listAccounts, removeAccount, updateAccount } from '../../accounts/store.ts';
import { cancelSignIn, signIn, signOut } from '../../auth/login.ts';
import { providers } from '../../providers/registry.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

export type AccountsApiName =
  | 'accounts.list'
  | 'accounts.add'
  | 'accounts.update'
  | 'accounts.remove'
  | 'accounts.capabilities'
  | 'accounts.providers'
  | 'auth.login'
  | 'auth.cancel'
  | 'auth.logout';

export function accountsHandlers(deps: CoreDeps): HandlerGroup<AccountsApiName> {
  return {
    'accounts.list': () => listAccounts(deps.context.db),
    'accounts.add': (input) => addAccount(deps, input),
    'accounts.update': (input) => updateAccount(deps, input),
    'accounts.remove': async ({ id }) => ({ removed: await removeAccount(deps, id) }),
    'accounts.capabilities': ({ provider }) => providers[provider].capabilities,
    'accounts.providers': () =>
      providerIds.map((id) => {
        const { label, setupHelp, capabilities } = providers[id];
        return { id, label, setupHelp, capabilities };
      }),
    'auth.login': ({ id, token }) => signIn(deps, id, { token }),
    'auth.cancel': ({ id }) => ({ cancelled: cancelSignIn(deps.context, id) }),
    'auth.logout': ({ id }) => signOut(deps, id),
  };
}
