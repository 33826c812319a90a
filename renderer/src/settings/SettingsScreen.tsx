import { Fragment, useState } from 'react';
import type { Account, RatingScheme } from '../../../shared/domain.ts';
import { formatRelative } from '../common/format.ts';
import { errorMessage } from '../common/transport.ts';
import { HintedField } from '../common/ui.tsx';
import type { Theme } from '../common/theme.ts';
import { RedirectUriNote } from '../onboarding/index.ts';
import { useApp } from '../store/index.ts';

export function SettingsScreen() {
  return (
    <div className="page">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <AccountsSection />
      <RatingSection />
      <AppearanceSection />
      <DataSection />
    </div>
  );
}

function AccountsSection() {
  const accounts = useApp((state) => state.accounts);
  const providers = useApp((state) => state.providers);
  const client = useApp((state) => state.transport.client);
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
  const beginSignIn = useApp((state) => state.beginSignIn);
  const setScreen = useApp((state) => state.setScreen);
  const afterAccountsChanged = useApp((state) => state.afterAccountsChanged);
  const [confirming, setConfirming] = useState<number | null>(null);
  const editingAccountId = useApp((state) => state.editingAccountId);
  const editAccount = useApp((state) => state.editAccount);
  const label = (id: string) => providers.find((provider) => provider.id === id)?.label ?? id;
  return (
    <section className="settings-section" aria-labelledby="settings-accounts">
      <div className="row-inline" style={{ marginBottom: 10 }}>
        <h2 id="settings-accounts" className="grow" style={{ marginBottom: 0 }}>Accounts</h2>
        <button onClick={() => setScreen('onboarding')}>Add account</button>
      </div>
      {accounts.length === 0 ? <p className="muted">No accounts yet.</p> : null}
      <table className="plain">
        <tbody>
          {accounts.map((account) => (
            <Fragment key={account.id}>
              <tr>
                <td>
                  <strong>{account.name}</strong>
                  <div className="muted">{label(account.provider)} · {account.baseUrl}</div>
                  {account.stateMessage ? <div className={account.state === 'error' ? 'error-text' : 'muted'}>{account.stateMessage}</div> : null}
                  <RedirectUriNote account={account} where={providers.find((provider) => provider.id === account.provider)?.redirectSetting ?? label(account.provider)} compact />
                </td>
                <td className="muted">
                  {account.state.replace('_', ' ')}
                  <div>synced {formatRelative(account.lastSyncedAt)}</div>
                </td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {account.state === 'signed_out' || account.state === 'error' ? (
                    <button className="small" onClick={() => beginSignIn(account)}>Sign in</button>
                  ) : (
                    <button className="small" onClick={() => void attempt(() => client.call('auth.logout', { id: account.id })).then(afterAccountsChanged)}>Sign out</button>
                  )}{' '}
                  <button className="small" aria-expanded={editingAccountId === account.id} onClick={() => editAccount(editingAccountId === account.id ? null : account.id)}>
                    Edit
                  </button>{' '}
                  {confirming === account.id ? (
                    <>
                      <button
                        className="small danger"
                        onClick={() => void attempt(() => client.call('accounts.remove', { id: account.id })).then((result) => {
                          setConfirming(null);
                          // Whether the provider revoked the tokens is something the user may have to act on.
                          if (result !== undefined) notify(`Removed ${account.name}. ${result.revocation.message}`, result.revocation.outcome === 'not_revoked' ? 'error' : 'info');
                          return afterAccountsChanged();
                        })}
                      >
                        Remove with its local data
                      </button>{' '}
                      <button className="small" onClick={() => setConfirming(null)}>Keep</button>
                    </>
                  ) : (
                    <button className="small" onClick={() => setConfirming(account.id)}>Remove…</button>
                  )}
                </td>
              </tr>
              {editingAccountId === account.id ? <AccountEditor account={account} /> : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The account's connection settings, where a problem's "Edit account" leads: a changed secret,
 * client id or address (the provider moved, the app was re-registered). Saving signs the account
 * out when its sign-in settings changed, and its card then offers to sign in.
 */
function AccountEditor({ account }: { account: Account }) {
  const client = useApp((state) => state.transport.client);
  const editAccount = useApp((state) => state.editAccount);
  const afterAccountsChanged = useApp((state) => state.afterAccountsChanged);
  const signIn = useApp((state) => state.signIn);
  const [draft, setDraft] = useState({ name: account.name, baseUrl: account.baseUrl, clientId: account.clientId ?? '', clientSecret: '', token: '', redirectPort: account.redirectPort === null ? '' : String(account.redirectPort) });
  const [problem, setProblem] = useState<string | null>(null);
  const usesClient = account.grant !== 'token';
  // A fixed loopback port is kept per account (the redirect URI registered with the provider); it can move when another program holds it.
  const fixedPort = account.grant === 'authorization_code' && account.redirectPort !== null;
  const save = async () => {
    setProblem(null);
    try {
      await client.call('accounts.update', {
        id: account.id,
        name: draft.name,
        baseUrl: draft.baseUrl,
        ...(usesClient && draft.clientId.trim() ? { clientId: draft.clientId.trim() } : {}),
        ...(usesClient && draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
        ...(fixedPort && draft.redirectPort.trim() && Number(draft.redirectPort) !== account.redirectPort ? { redirectPort: Number(draft.redirectPort) } : {}),
      });
      editAccount(null);
      await afterAccountsChanged();
      // A pasted token signs the account in (and starts its sync) once the settings are saved.
      if (!usesClient && draft.token.trim()) await signIn(account.id, draft.token.trim());
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <tr>
      <td colSpan={3}>
        <form
          aria-label={`Edit ${account.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <div className="form-grid">
            <label className="field">
              <span>Account name</span>
              <input type="text" required value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
            </label>
            <label className="field">
              <span>Server address</span>
              <input type="url" required value={draft.baseUrl} onChange={(event) => setDraft({ ...draft, baseUrl: event.target.value })} />
            </label>
            {usesClient ? (
              <>
                <label className="field">
                  <span>Client id</span>
                  <input type="text" autoComplete="off" spellCheck={false} value={draft.clientId} onChange={(event) => setDraft({ ...draft, clientId: event.target.value })} />
                </label>
                <HintedField label="New client secret" hint="Leave empty to keep the one in the system’s secure storage.">
                  <input type="password" autoComplete="off" value={draft.clientSecret} onChange={(event) => setDraft({ ...draft, clientSecret: event.target.value })} />
                </HintedField>
                {fixedPort ? (
                  <HintedField label="Redirect port" hint="The port of the redirect URI registered with the provider. Change it here and there together.">
                    <input type="number" min={1024} max={65535} required value={draft.redirectPort} onChange={(event) => setDraft({ ...draft, redirectPort: event.target.value })} />
                  </HintedField>
                ) : null}
              </>
            ) : (
              <HintedField label="New access token" hint="Paste a fresh token to sign in again; it goes to the system’s secure storage.">
                <input type="password" autoComplete="off" autoFocus value={draft.token} onChange={(event) => setDraft({ ...draft, token: event.target.value })} />
              </HintedField>
            )}
          </div>
          {problem ? <p className="error-text" role="alert">{problem}</p> : null}
          <div className="row-inline">
            <span className="grow" />
            <button type="button" onClick={() => editAccount(null)}>Cancel</button>
            <button className="primary" type="submit">Save</button>
          </div>
        </form>
      </td>
    </tr>
  );
}

function RatingSection() {
  const scheme = useApp((state) => state.scheme);
  const setScheme = useApp((state) => state.setScheme);
  const [draft, setDraft] = useState<RatingScheme>(scheme);
  const values = Array.from({ length: Math.max(0, Math.min(21, draft.max - draft.min + 1)) }, (_, index) => draft.min + index);
  const valid = draft.max > draft.min && draft.max - draft.min <= 20;
  return (
    <section className="settings-section" aria-labelledby="settings-rating">
      <h2 id="settings-rating">Rating scheme</h2>
      <p className="muted">The committee’s scale. Keys 1–9 rate directly when they fall in the scale.</p>
      <div className="row-inline">
        <label className="field">
          <span>Lowest</span>
          <input type="number" value={draft.min} onChange={(event) => setDraft({ ...draft, min: Number(event.target.value) })} style={{ width: 80 }} />
        </label>
        <label className="field">
          <span>Highest</span>
          <input type="number" value={draft.max} onChange={(event) => setDraft({ ...draft, max: Number(event.target.value) })} style={{ width: 80 }} />
        </label>
      </div>
      {valid ? (
        <div className="form-grid">
          {values.map((value) => (
            <label key={value} className="field">
              <span>Label for {value}</span>
              <input
                type="text"
                value={draft.labels[String(value)] ?? ''}
                placeholder={value === draft.max ? 'e.g. Must interview' : value === draft.min ? 'e.g. Not a fit' : ''}
                onChange={(event) => setDraft({ ...draft, labels: { ...draft.labels, [String(value)]: event.target.value } })}
              />
            </label>
          ))}
        </div>
      ) : (
        <p className="error-text">The highest value must be above the lowest, at most 20 steps apart.</p>
      )}
      <button
        className="primary"
        disabled={!valid}
        onClick={() => {
          const labels = Object.fromEntries(Object.entries(draft.labels).filter(([key, label]) => label.trim() && Number(key) >= draft.min && Number(key) <= draft.max));
          void setScheme({ ...draft, labels });
        }}
      >
        Save scheme
      </button>
    </section>
  );
}

function AppearanceSection() {
  const theme = useApp((state) => state.theme);
  const setTheme = useApp((state) => state.setTheme);
  const options: { value: Theme; label: string }[] = [
    { value: 'system', label: 'Match the system' },
    { value: 'light', label: 'Light' },
    { value: 'dark', label: 'Dark' },
  ];
  return (
    <section className="settings-section" aria-labelledby="settings-appearance">
      <h2 id="settings-appearance">Appearance</h2>
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {options.map((option) => (
          <button key={option.value} role="radio" aria-checked={theme === option.value} aria-pressed={theme === option.value} onClick={() => void setTheme(option.value)}>
            {option.label}
          </button>
        ))}
      </div>
    </section>
  );
}

function DataSection() {
  const info = useApp((state) => state.info);
  return (
    <section className="settings-section" aria-labelledby="settings-data">
      <h2 id="settings-data">Data</h2>
      <p>Everything Dossier keeps — the database, downloaded documents and the log — is in this folder. Your ratings, notes and tags never leave it.</p>
      <p className="code" aria-label="Data location">{info?.dataDir ?? 'unknown'}</p>
      <p className="muted">
        Dossier {info?.version ?? ''} · {info?.host === 'browser' ? 'running in the browser host' : 'desktop app'} · {info?.online ? 'online' : 'offline'}
      </p>
    </section>
  );
}
