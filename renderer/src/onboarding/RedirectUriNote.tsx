import { useEffect, useId, useRef, useState } from 'react';
import type { Account } from '../../../shared/domain.ts';

/**
 * The exact redirect URI to register with the provider for an account with a fixed loopback port,
 * to copy: a provider that compares it exactly refuses any other and never sends the browser back.
 */
export function RedirectUriNote({ account, where, compact = false }: { account: Pick<Account, 'redirectUri' | 'redirectPort'>; where: string; compact?: boolean }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const note = useRef<HTMLDivElement>(null);
  // The address appears once the account is added, below the form's fields: bring it into view, the next step is to copy it.
  useEffect(() => {
    if (!compact) note.current?.scrollIntoView({ block: 'center' });
  }, [compact]);
  if (account.redirectUri === null || account.redirectPort === null) return null;
  const uri = account.redirectUri;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(uri);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the address is selected to copy by hand.
      document.getElementById(id)?.focus();
    }
  };
  return (
    <div ref={note} className={`sign-in-address${compact ? ' compact' : ''}`} role="note">
      <label htmlFor={id}>{compact ? 'Redirect URI:' : `Register this redirect URI in ${where}, exactly as shown:`}</label>
      <div className="row-inline">
        <input id={id} type="text" readOnly value={uri} onFocus={(event) => event.currentTarget.select()} spellCheck={false} />
        <button type="button" className="small" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
