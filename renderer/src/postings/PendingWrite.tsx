import type { OutboxItem } from '../../../shared/domain.ts';
import { useApp } from '../store/index.ts';

/** What the stored `code: message` of a failed write says to the user: the message, without the code. */
export function failureText(lastError: string): string {
  return lastError.replace(/^[a-z_]+\.[a-z_]+: /, '');
}

/**
 * One queued write in words, live: waiting (Withdraw, Send now), on its way, or not sent with the
 * provider's reason (Retry, Withdraw). Withdrawing is the undo of a queued write (decision 0015).
 */
export function PendingWrite({ item }: { item: OutboxItem }) {
  const client = useApp((state) => state.transport.client);
  const attempt = useApp((state) => state.attempt);
  const notify = useApp((state) => state.notify);
  const refreshOutbox = useApp((state) => state.refreshOutbox);
  const startSync = useApp((state) => state.startSync);
  const withdraw = async () => {
    const done = await attempt(() => client.call('outbox.withdraw', { id: item.id }));
    await refreshOutbox();
    if (done) notify(`Withdrew “${item.summary}”; it will not be sent.`);
  };
  const state = { pending: 'Waiting to send', sending: 'Sending…', sent: 'Sent', failed: 'Not sent' }[item.state];
  return (
    <div className={`pending-write ${item.state}`}>
      <span className={`outbox-state ${item.state}`}>{state}</span>
      <span className="grow">
        {item.summary}
        {item.state === 'failed' && item.lastError ? <span className="error-text"> — {failureText(item.lastError)}</span> : null}
      </span>
      {item.state === 'pending' ? (
        <button className="small" onClick={() => void startSync([item.accountId])}>
          Send now
        </button>
      ) : null}
      {item.state === 'failed' ? (
        <button className="small" onClick={() => void attempt(() => client.call('outbox.retry', { id: item.id })).then(() => startSync([item.accountId]))}>
          Retry
        </button>
      ) : null}
      {item.state === 'pending' || item.state === 'failed' ? (
        <button className="small" onClick={() => void withdraw()}>
          Withdraw
        </button>
      ) : null}
    </div>
  );
}
