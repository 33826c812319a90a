import { useState } from 'react';
import type { RatingScheme } from '../../../shared/domain.ts';
import { formatRelative } from '../common/format.ts';
import type { Theme } from '../common/theme.ts';
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
  const signIn = useApp((state) => state.signIn);
  const setScreen = useApp((state) => state.setScreen);
  const afterAccountsChanged = useApp((state) => state.afterAccountsChanged);
  const [confirming, setConfirming] = useState<number | null>(null);
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
            <tr key={account.id}>
              <td>
                <strong>{account.name}</strong>
                <div className="muted">{label(account.provider)} · {account.baseUrl}</div>
                {account.stateMessage ? <div className={account.state === 'error' ? 'error-text' : 'muted'}>{account.stateMessage}</div> : null}
              </td>
              <td className="muted">
                {account.state.replace('_', ' ')}
                <div>synced {formatRelative(account.lastSyncedAt)}</div>
              </td>
              <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                {account.state === 'signed_out' || account.state === 'error' ? (
                  <button className="small" onClick={() => void signIn(account.id)}>Sign in</button>
                ) : (
                  <button className="small" onClick={() => void attempt(() => client.call('auth.logout', { id: account.id })).then(afterAccountsChanged)}>Sign out</button>
                )}{' '}
                {confirming === account.id ? (
                  <>
                    <button
                      className="small danger"
                      onClick={() => void attempt(() => client.call('accounts.remove', { id: account.id })).then(() => { setConfirming(null); return afterAccountsChanged(); })}
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
          ))}
        </tbody>
      </table>
    </section>
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
