import { useState } from 'react';
import type { Account, GrantType } from '../../../shared/domain.ts';
import { localTimeZone, timeZones } from '../common/format.ts';
import { errorMessage } from '../common/transport.ts';
import { HintedField } from '../common/ui.tsx';
import { useApp, type ProviderInfo } from '../store/index.ts';
import { ManifestPicker, type CheckedManifest, type ManifestSummary } from './ManifestPicker.tsx';
import { RedirectUriNote } from './RedirectUriNote.tsx';
import { SignInWaiting } from './SignInWaiting.tsx';

const grantLabels: Record<GrantType, string> = {
  client_credentials: 'Client id and secret (server to server)',
  authorization_code: 'Sign in through the browser',
  token: 'Paste an access token',
};

export function OnboardingScreen() {
  const providers = useApp((state) => state.providers);
  const hasAccounts = useApp((state) => state.accounts.length > 0);
  const setScreen = useApp((state) => state.setScreen);
  const [chosen, setChosen] = useState<ProviderInfo | null>(null);
  return (
    <div className="page">
      <div className="onboarding">
        <div className="page-head">
          <h1>{hasAccounts ? 'Add an account' : 'Welcome to Dossier'}</h1>
          {hasAccounts ? <button onClick={() => setScreen('applicants')}>Back to applicants</button> : null}
        </div>
        <DemoHero />
        <h2 style={{ marginBottom: 8 }}>Connect a recruiting platform</h2>
        <p className="muted">Dossier keeps a copy of your jobs, applicants, letters and documents on this computer so you can review them offline.</p>
        <div className="cards" role="group" aria-label="Providers">
          {providers.map((provider) => (
            <button key={provider.id} className="provider-card" aria-pressed={chosen?.id === provider.id} onClick={() => setChosen(provider)}>
              <h3>{provider.label}</h3>
              <Capabilities provider={provider} />
              {provider.dataSide ? <p className="data-side">{provider.dataSide}</p> : null}
            </button>
          ))}
        </div>
        {chosen ? <AccountForm key={chosen.id} provider={chosen} /> : null}
      </div>
    </div>
  );
}

function Capabilities({ provider }: { provider: ProviderInfo }) {
  const { capabilities } = provider;
  const offered = [
    capabilities.applications && 'applications',
    capabilities.letters && 'letters',
    capabilities.documents && 'documents',
    capabilities.interviews && 'interview slots',
    capabilities.writes.includes('job.create') && 'publishes postings',
  ].filter((item): item is string => Boolean(item));
  return (
    <div className="caps">
      {offered.map((item) => (
        <span key={item} className="chip">{item}</span>
      ))}
    </div>
  );
}

function DemoHero() {
  const client = useApp((state) => state.transport.client);
  const afterAccountsChanged = useApp((state) => state.afterAccountsChanged);
  const setScreen = useApp((state) => state.setScreen);
  const [state, setState] = useState<'idle' | 'starting' | { error: string }>('idle');
  const run = async () => {
    setState('starting');
    try {
      // demo.start has already started the sync of every account it could sign in.
      await client.call('demo.start', {});
      await afterAccountsChanged();
      setState('idle');
      setScreen('applicants');
    } catch (error) {
      setState({ error: errorMessage(error) });
    }
  };
  return (
    <div className="hero">
      <div className="grow">
        <h2>Try the demo workspace</h2>
        <p>Explore Dossier with generated job-market candidates from local practice servers. Nothing leaves this computer.</p>
        {typeof state === 'object' ? <p className="error-text" role="alert">{state.error}</p> : null}
      </div>
      <button className="primary" onClick={() => void run()} disabled={state === 'starting'}>
        {state === 'starting' ? 'Setting up the demo…' : 'Try the demo workspace'}
      </button>
    </div>
  );
}

/** What a manifest account needs, in place of the generic provider's "enter the endpoints": the manifest gave those. */
function manifestHelp(summary: ManifestSummary): string {
  const needs =
    summary.auth.grant === 'token'
      ? `Paste the API key or access token ${summary.name} issued you.`
      : summary.auth.grant === 'client_credentials'
        ? `Enter the client id and secret of your ${summary.name} API application.`
        : `Enter the client id ${summary.name} issued for a native (desktop) app; Dossier signs you in through your browser.`;
  return `${needs} The manifest gives the addresses${summary.auth.scope === null ? '' : ` and the scope (${summary.auth.scope})`}.${summary.documentation === null ? '' : ` ${summary.name} documents its API at ${summary.documentation}.`}`;
}

function AccountForm({ provider }: { provider: ProviderInfo }) {
  const client = useApp((state) => state.transport.client);
  const signIn = useApp((state) => state.signIn);
  const cancelSignIn = useApp((state) => state.cancelSignIn);
  const afterAccountsChanged = useApp((state) => state.afterAccountsChanged);
  const setScreen = useApp((state) => state.setScreen);
  const [manifest, setManifest] = useState<CheckedManifest | null>(null);
  // A manifest says how its provider signs in; the form offers only that.
  const grants = manifest?.summary.capabilities.grants ?? provider.capabilities.grants;
  const label = manifest?.summary.name ?? provider.label;
  const redirectRule = manifest?.summary.auth.redirect ?? provider.redirect;
  const [nameEdited, setNameEdited] = useState(false);
  const [form, setForm] = useState({
    name: provider.label,
    grant: grants[0] ?? ('authorization_code' as GrantType),
    baseUrl: '',
    authorizeUrl: '',
    tokenUrl: '',
    clientId: '',
    clientSecret: '',
    scope: '',
    token: '',
    timeZone: localTimeZone,
    redirectPort: '',
  });
  const [accountId, setAccountId] = useState<number | null>(null);
  /** The added account's redirect, shown to register before the first sign-in when its port is fixed. */
  const [redirect, setRedirect] = useState<Pick<Account, 'redirectUri' | 'redirectPort'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const waiting = useApp((state) => accountId !== null && state.signingIn.includes(accountId));
  const zones = timeZones();
  const update = <Key extends keyof typeof form>(key: Key, value: (typeof form)[Key]) => setForm((current) => ({ ...current, [key]: value }));
  const needsSecret = form.grant !== 'token';
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const browserSignIn = form.grant === 'authorization_code';
  const where = provider.redirectSetting ?? `${label}'s settings for your API application`;
  // With a manifest, its auth section gives the addresses and the scope.
  const asksEndpoints = provider.id === 'oauth2' && manifest === null;

  const chooseManifest = (checked: CheckedManifest | null) => {
    setManifest(checked);
    const nextGrants = checked?.summary.capabilities.grants ?? provider.capabilities.grants;
    setForm((current) => ({
      ...current,
      grant: nextGrants.includes(current.grant) ? current.grant : (nextGrants[0] ?? current.grant),
      // The manifest's name names the account, unless the user already named it.
      name: nameEdited ? current.name : (checked?.summary.name ?? provider.label),
    }));
  };

  const connect = async () => {
    setProblem(null);
    setBusy(true);
    try {
      let id = accountId;
      if (id === null) {
        const added = await client.call('accounts.add', {
          provider: provider.id,
          name: form.name,
          grant: form.grant,
          baseUrl: manifest ? undefined : optional(form.baseUrl),
          authorizeUrl: asksEndpoints ? optional(form.authorizeUrl) : undefined,
          tokenUrl: asksEndpoints ? optional(form.tokenUrl) : undefined,
          clientId: needsSecret ? optional(form.clientId) : undefined,
          clientSecret: needsSecret ? optional(form.clientSecret) : undefined,
          scope: manifest ? undefined : optional(form.scope),
          manifest: manifest?.choice,
          timeZone: form.timeZone,
          redirectPort: browserSignIn && form.redirectPort.trim() ? Number(form.redirectPort) : undefined,
        });
        setAccountId(added.id);
        if (added.redirectPort !== null) {
          // Registered first: a provider that refuses the redirect URI never sends the browser back.
          setRedirect(added);
          return;
        }
        id = added.id;
      }
      const signedIn = await signIn(id, form.grant === 'token' ? form.token.trim() : undefined);
      // A successful sign-in has started the account's first sync (the store's signIn).
      if (signedIn) {
        await afterAccountsChanged();
        setScreen('applicants');
      }
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="settings-section"
      style={{ marginTop: 16, maxWidth: 'none' }}
      aria-label={`Connect ${label}`}
      onSubmit={(event) => {
        event.preventDefault();
        void connect();
      }}
    >
      <h2>Connect {label}</h2>
      <div className="help" role="note">
        <strong>What you need and where to find it. </strong>
        {manifest ? manifestHelp(manifest.summary) : provider.setupHelp}
      </div>
      <div className="form-grid">
        <HintedField label="Account name" hint="How this account appears in Dossier, e.g. “Econ search 2026”.">
          <input
            type="text"
            required
            value={form.name}
            onChange={(event) => {
              setNameEdited(true);
              update('name', event.target.value);
            }}
          />
        </HintedField>
        {provider.id === 'oauth2' ? <ManifestPicker disabled={accountId !== null} onChange={chooseManifest} /> : null}
        {grants.length > 1 ? (
          <label className="field">
            <span>How to connect</span>
            <select value={form.grant} onChange={(event) => update('grant', event.target.value as GrantType)}>
              {grants.map((grant) => (
                <option key={grant} value={grant}>{grantLabels[grant]}</option>
              ))}
            </select>
          </label>
        ) : null}
        {manifest ? null : (
          <HintedField
            label={provider.id === 'jobspace' ? 'Your job board’s address' : 'Server address (optional)'}
            hint={provider.id === 'jobspace' ? 'Each Job Space board runs on its own site.' : 'Leave empty for the provider’s public service.'}
          >
            <input type="url" required={provider.id === 'jobspace' || provider.id === 'oauth2'} value={form.baseUrl} placeholder="https://…" onChange={(event) => update('baseUrl', event.target.value)} />
          </HintedField>
        )}
        {asksEndpoints ? (
          <>
            <label className="field">
              <span>Authorization endpoint</span>
              <input type="url" value={form.authorizeUrl} onChange={(event) => update('authorizeUrl', event.target.value)} />
            </label>
            <label className="field">
              <span>Token endpoint</span>
              <input type="url" required value={form.tokenUrl} onChange={(event) => update('tokenUrl', event.target.value)} />
            </label>
          </>
        ) : null}
        {needsSecret ? (
          <>
            <label className="field">
              <span>Client id</span>
              <input type="text" required autoComplete="off" spellCheck={false} value={form.clientId} onChange={(event) => update('clientId', event.target.value)} />
            </label>
            <HintedField label="Client secret" hint="Kept in the system’s secure storage, never in Dossier’s files.">
              <input type="password" autoComplete="off" value={form.clientSecret} onChange={(event) => update('clientSecret', event.target.value)} />
            </HintedField>
          </>
        ) : (
          <label className="field wide">
            <span>Access token</span>
            <input type="password" required autoComplete="off" value={form.token} onChange={(event) => update('token', event.target.value)} />
          </label>
        )}
        {provider.id === 'careerplug' || asksEndpoints ? (
          <label className="field">
            <span>Scope</span>
            <input type="text" value={form.scope} placeholder={provider.id === 'careerplug' ? 'global_partner_api (partner apps only)' : 'openid profile'} onChange={(event) => update('scope', event.target.value)} />
          </label>
        ) : null}
        {browserSignIn ? (
          <HintedField
            label="Redirect port (optional)"
            hint={
              redirectRule === 'registered'
                ? `${label} checks the redirect URI you registered. Leave empty and Dossier picks a port and shows the URI to register; give one if you registered it already.`
                : 'Leave empty for a new port on each sign-in (RFC 8252); give one if your provider wants the exact redirect URI.'
            }
          >
            <input type="number" min={1024} max={65535} disabled={accountId !== null} value={form.redirectPort} placeholder="e.g. 48123" onChange={(event) => update('redirectPort', event.target.value)} />
          </HintedField>
        ) : null}
        {provider.id === 'ejm' ? (
          <HintedField label="Time zone of your EconJobMarket account" hint="EconJobMarket sends times without a zone; Dossier reads them in this one.">
            <select value={form.timeZone} onChange={(event) => update('timeZone', event.target.value)}>
              {zones.map((zone) => (
                <option key={zone} value={zone}>{zone.replaceAll('_', ' ')}</option>
              ))}
            </select>
          </HintedField>
        ) : null}
      </div>
      {redirect ? <RedirectUriNote account={redirect} where={where} /> : null}
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {waiting && accountId !== null ? (
        form.grant === 'authorization_code' ? (
          <SignInWaiting accountId={accountId} label={label} />
        ) : (
          <div className="waiting" role="status" aria-live="polite">
            <span className="spinner" aria-hidden="true" />
            <span className="grow">{`Checking your credentials with ${label}…`}</span>
            <button type="button" onClick={() => void cancelSignIn(accountId)}>
              Cancel
            </button>
          </div>
        )
      ) : (
        <div className="row-inline" style={{ marginTop: 8 }}>
          <span className="grow" />
          <button className="primary" type="submit" disabled={busy}>
            {!browserSignIn
              ? 'Connect'
              : redirect
                ? 'I registered it: sign in with the browser'
                : redirectRule === 'registered' || form.redirectPort.trim()
                  ? 'Add the account'
                  : 'Sign in with the browser'}
          </button>
        </div>
      )}
    </form>
  );
}
