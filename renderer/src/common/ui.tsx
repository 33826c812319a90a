import { cloneElement, Component, useEffect, useId, useRef, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import type { RatingScheme, ReviewStatus } from '../../../shared/domain.ts';
import { snippetParts } from './format.ts';
import { ratingLabel } from './rating.ts';

/** Renders a search snippet with its matches as <mark>; the text is never parsed as HTML. */
export function Snippet({ text }: { text: string }) {
  return (
    <>
      {snippetParts(text).map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
    </>
  );
}

export function StatusBadge({ status }: { status: ReviewStatus }) {
  return <span className={`status ${status}`}>{status}</span>;
}

export function RatingDisplay({ rating, scheme }: { rating: number | null; scheme: RatingScheme }) {
  if (rating === null) return <span className="muted" aria-label="Not rated">–</span>;
  const steps = scheme.max - scheme.min + 1;
  if (steps > 10) return <span className="num" aria-label={ratingLabel(scheme, rating)}>{rating}</span>;
  const filled = rating - scheme.min + 1;
  return (
    <span className="stars" aria-label={ratingLabel(scheme, rating)} title={ratingLabel(scheme, rating)}>
      {'★'.repeat(Math.max(0, filled))}
      <span className="off">{'★'.repeat(Math.max(0, steps - filled))}</span>
    </span>
  );
}

export function SearchIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M11 11l3.5 3.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

/** Keeps Tab and Shift+Tab cycling inside a modal, so keyboard focus never wanders behind it. */
function trapTab(event: KeyboardEvent<HTMLElement>): void {
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (element) => !element.matches(':disabled') && element.getClientRects().length > 0,
  );
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === event.currentTarget)) {
    last.focus();
    event.preventDefault();
  } else if (!event.shiftKey && active === last) {
    first.focus();
    event.preventDefault();
  }
}

/**
 * A modal dialog: focus moves in when it opens and stays inside, Escape closes it, focus returns
 * where it was. `dismissible={false}` (work in progress) hides the close button and ignores Escape
 * and clicks outside; the dialog then offers its own way out (Cancel).
 */
export function Dialog({ title, onClose, children, footer, dismissible = true, className }: { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; dismissible?: boolean; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not([data-close])');
    (first ?? ref.current)?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div
      className="backdrop"
      onMouseDown={(event) => {
        if (dismissible && event.target === event.currentTarget) onClose();
      }}
    >
      <div
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        tabIndex={-1}
        onKeyDown={(event) => {
          if (event.key === 'Tab') trapTab(event);
          if (event.key === 'Escape') {
            event.stopPropagation();
            if (dismissible) onClose();
          }
        }}
      >
        <header>
          <h2 id={titleId}>{title}</h2>
          {dismissible ? (
            <button className="ghost" data-close onClick={onClose} aria-label="Close">
              ✕
            </button>
          ) : null}
        </header>
        {children}
        {footer ? <footer>{footer}</footer> : null}
      </div>
    </div>
  );
}

/** True when a key press belongs to a text field and must not trigger a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

interface BoundaryState {
  failed: boolean;
}

/** Keeps one screen's failure from blanking the whole window; the rest of the app stays usable. */
export class ScreenBoundary extends Component<{ children: ReactNode; screen: string }, BoundaryState> {
  override state: BoundaryState = { failed: false };

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true };
  }

  override componentDidUpdate(previous: { screen: string }): void {
    if (previous.screen !== this.props.screen && this.state.failed) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="empty" role="alert">
        <p>This screen ran into a problem. Your data is safe.</p>
        <button onClick={() => this.setState({ failed: false })}>Try again</button> <button onClick={() => window.location.reload()}>Reload Dossier</button>
      </div>
    );
  }
}

/** A labelled control whose hint is read as its description, so the control's name stays just the label. */
export function HintedField({ label, hint, wide, children }: { label: string; hint: ReactNode; wide?: boolean; children: ReactElement<{ 'aria-describedby'?: string }> }) {
  const hintId = useId();
  return (
    <div className={`field${wide ? ' wide' : ''}`}>
      <label className="field-control">
        <span>{label}</span>
        {cloneElement(children, { 'aria-describedby': hintId })}
      </label>
      <small id={hintId}>{hint}</small>
    </div>
  );
}
