import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from './transport.ts';
import { Dialog } from './ui.tsx';

/**
 * A dialog that does one thing when confirmed: its content, what went wrong last (said in the
 * dialog, not in a passing toast), and Cancel beside the action's button. While the action runs
 * both buttons are held and the dialog cannot be dismissed; once it succeeds `onDone` has the
 * result (and closes the dialog); if it fails the dialog stays open and says why.
 */
export function ActionDialog<Result>({ title, actionLabel, busyLabel, className, onClose, run, onDone, children }: {
  title: string;
  actionLabel: string;
  /** The action's button while it runs, e.g. “Removing…”. */
  busyLabel: string;
  className?: string | undefined;
  onClose: () => void;
  run: () => Promise<Result>;
  onDone: (result: Result) => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    run().then(onDone, (error: unknown) => {
      setBusy(false);
      setProblem(errorMessage(error));
    });
  };
  return (
    <Dialog title={title} onClose={onClose} dismissible={!busy} {...(className === undefined ? {} : { className })}>
      <form aria-label={title} onSubmit={onSubmit}>
        {problem ? (
          <p className="export-alert" role="alert">
            {problem}
          </p>
        ) : null}
        {children}
        <footer>
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? busyLabel : actionLabel}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
