import { useState } from 'react';
import { useApp } from '../store/index.ts';

/**
 * A browser sign-in in progress: the address the system browser was asked to open, to open again
 * or copy (where no browser opened, a remote session, another profile), and a way to stop.
 */
export function SignInWaiting({ accountId, label, compact = false }: { accountId: number; label: string; compact?: boolean }) {
  const url = useApp((state) => state.signInUrls[accountId]);
  const cancelSignIn = useApp((state) => state.cancelSignIn);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (url === undefined) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the address is selected to copy by hand.
      document.getElementById(`sign-in-url-${accountId}`)?.focus();
    }
  };
  return (
    <div className={`sign-in-waiting${compact ? ' compact' : ''}`} role="status" aria-live="polite" aria-label={`Signing in to ${label}`}>
      <div className="row-inline">
        <span className="spinner" aria-hidden="true" />
        <span className="grow">
          {url === undefined ? `Starting the sign-in to ${label}…` : compact ? 'Waiting for the browser…' : `Waiting for you to sign in to ${label} in your browser…`}
        </span>
        <button type="button" className="small" onClick={() => void cancelSignIn(accountId)}>
          Cancel
        </button>
      </div>
      {url !== undefined ? (
        <div className="sign-in-address">
          <label htmlFor={`sign-in-url-${accountId}`}>{compact ? 'No browser? Open:' : 'No browser window? Open this address:'}</label>
          <div className="row-inline">
            <input id={`sign-in-url-${accountId}`} type="text" readOnly value={url} onFocus={(event) => event.currentTarget.select()} spellCheck={false} />
            <button type="button" className="small" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <a className="button small" href={url} target="_blank" rel="noopener noreferrer">
              Open again
            </a>
          </div>
        </div>
      ) : null}
    </div>
  );
}
