import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiResult } from '../../../shared/contract.ts';
import { errorMessage } from '../common/transport.ts';
import { Dialog } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';

type Listing = ApiResult<'files.folders'>;

type Shown =
  | { name: 'reading'; listing: Listing | null }
  | { name: 'listed'; listing: Listing; active: number }
  | { name: 'failed'; listing: Listing | null; message: string };

/**
 * Chooses a folder without typing its path: the folders in one folder, entered with a click or
 * ↑/↓ and Enter, left with Up (or Backspace). Starts in `start` when it is an existing folder,
 * else where the core starts (Downloads, or home). `onChoose` receives the folder shown.
 */
export function FolderBrowser({ start, onChoose, onClose }: { start: string | null; onChoose: (folder: string) => void; onClose: () => void }) {
  const [shown, setShown] = useState<Shown>({ name: 'reading', listing: null });
  const listRef = useRef<HTMLUListElement>(null);
  const ids = useId();

  // Only the folder asked for last is shown, however the replies to quick Enter presses arrive.
  const latest = useRef(0);
  const open = useCallback((path: string | undefined, fallBackToStart: boolean) => {
    const read = (folder: string | undefined, fallBack: boolean) => {
      const request = ++latest.current;
      setShown((current) => ({ name: 'reading', listing: current.listing }));
      useApp
        .getState()
        .transport.client.call('files.folders', folder === undefined ? {} : { path: folder })
        .then(
          (listing) => {
            if (request !== latest.current) return;
            setShown({ name: 'listed', listing, active: 0 });
            listRef.current?.focus();
          },
          (error: unknown) => {
            if (request !== latest.current) return;
            // A typed folder that is gone or mistyped is no reason to show nothing: start where the core starts.
            if (fallBack) read(undefined, false);
            else setShown((current) => ({ name: 'failed', listing: current.listing, message: errorMessage(error) }));
          },
        );
    };
    read(path, fallBackToStart);
  }, []);

  const [initial] = useState(start);
  useEffect(() => open(initial ?? undefined, initial !== null), [open, initial]);

  const listing = shown.listing;
  const folders = shown.name === 'listed' ? shown.listing.folders : [];
  const active = shown.name === 'listed' ? Math.min(shown.active, folders.length - 1) : -1;
  const goUp = () => {
    if (listing?.parent) open(listing.parent, false);
  };

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (shown.name !== 'listed') return;
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: folders.length - 1, PageDown: active + 10, PageUp: active - 10 };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      const next = Math.max(0, Math.min(folders.length - 1, target));
      setShown({ ...shown, active: next });
      listRef.current?.children[next]?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      // Without this the key press would go on to the dialog's buttons.
      event.preventDefault();
      const folder = folders[active];
      if (folder) open(folder.path, false);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      goUp();
    }
  };

  return (
    <Dialog
      title="Choose a folder"
      onClose={onClose}
      className="folder-browser"
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={listing === null} onClick={() => listing && onChoose(listing.path)}>
            Use this folder
          </button>
        </>
      }
    >
      <div className="folder-where">
        <button className="small" onClick={goUp} disabled={!listing?.parent} aria-label="Up to the folder above">
          ↑ Up
        </button>
        <span className="code" id={`${ids}-where`} title={listing?.path}>
          {listing?.path ?? 'Reading…'}
        </span>
      </div>
      {shown.name === 'failed' ? (
        <p className="export-alert" role="alert">
          {shown.message}
        </p>
      ) : null}
      <ul
        ref={listRef}
        className="folder-list"
        role="listbox"
        tabIndex={0}
        aria-labelledby={`${ids}-where`}
        aria-busy={shown.name === 'reading'}
        aria-activedescendant={active >= 0 && folders[active] ? `${ids}-folder-${active}` : undefined}
        onKeyDown={onListKey}
      >
        {folders.map((folder, index) => (
          <li
            key={folder.path}
            id={`${ids}-folder-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            onClick={() => open(folder.path, false)}
          >
            {folder.name}
          </li>
        ))}
      </ul>
      {shown.name === 'listed' && folders.length === 0 ? <p className="muted folder-empty">No folders in here. Use this folder, or go up.</p> : null}
      <p className="muted folder-help">↑/↓ to move, Enter to open a folder, Backspace to go up. Hidden folders are not shown; at most 500 are listed.</p>
    </Dialog>
  );
}
