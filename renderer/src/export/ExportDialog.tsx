import { useEffect, useId, useRef, useState } from 'react';
import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { ApiResult, EventPayload } from '../../../shared/contract.ts';
import { shortlistStatuses, type ApplicantFilter } from '../../../shared/domain.ts';
import { formatBytes } from '../common/format.ts';
import { errorCode, errorMessage } from '../common/transport.ts';
import { Dialog, HintedField } from '../common/ui.tsx';
import { useApp, type AppState } from '../store/index.ts';
import { FolderBrowser } from './FolderBrowser.tsx';

type Kind = EventPayload<'export.progress'>['kind'];
type Scope = 'job' | 'view' | 'shortlist' | 'selection' | 'applicant';
type Progress = Omit<EventPayload<'export.progress'>, 'kind'>;
type Outcome = ApiResult<'export.letters'>;

/** What the dialog shows: the form (with how the last run ended, if it failed or was cancelled), the running export, or its result. */
type Phase =
  | { name: 'form'; failure: { code: string; message: string } | null; cancelled: boolean }
  | { name: 'running'; kind: Kind; progress: Progress | null; cancelling: boolean }
  | { name: 'done'; kind: Kind; outcome: Outcome };

const kinds: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'letters', label: 'Recommendation letters', hint: 'A ZIP: a folder per applicant, a file per letter, and a manifest.' },
  { kind: 'packets', label: 'Applicant packets', hint: 'One PDF per applicant: CV, papers, statements and letters.' },
  { kind: 'applicants', label: 'Applicant table', hint: 'A CSV with your ratings, tags, status and notes.' },
  { kind: 'interviews', label: 'Interview calendar', hint: 'An .ics file for any calendar app.' },
];

const entryNouns: Record<Kind, string> = { letters: 'files', packets: 'packets', applicants: 'applicants', interviews: 'interviews' };

/** Characters no file system accepts in a name, and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const unsafeInName = /[\\/:*?"<>|\u0000-\u001f]+/g;

/** A readable file name for the default path; the core makes every name inside the export safe itself. */
function fileName(text: string): string {
  return text.replace(unsafeInName, '-').replace(/\s+/g, ' ').trim().replace(/[. ]+$/, '').slice(0, 120) || 'Dossier export';
}

function extension(kind: Kind, asFolder: boolean): string {
  if (kind === 'applicants') return '.csv';
  if (kind === 'interviews') return '.ics';
  return kind === 'packets' && asFolder ? '' : '.zip';
}

/** Gives a path the user typed the extension the chosen export writes, keeping the rest as typed. */
function withExtension(path: string, ext: string): string {
  return path.replace(/\.(zip|csv|ics)$/i, '') + ext;
}

function joinPath(folder: string, name: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${separator}${name}`;
}

/** A path's folder (null when it names none, as a bare file name does) and its last part. */
function splitPath(path: string): { folder: string | null; name: string } {
  const trimmed = path.trim();
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return { folder: null, name: trimmed };
  return { folder: trimmed.slice(0, cut) || trimmed.slice(0, cut + 1), name: trimmed.slice(cut + 1) };
}

interface ScopeChoice {
  scope: Scope;
  label: string;
  /** Why the choice cannot be taken now, or null. */
  unavailable: string | null;
  /** The words the default file name uses for it. */
  namePart: string;
  selection: ExportSelection;
  /** How many applicants it holds when the window knows; otherwise the core is asked (`countFilter`). */
  count: number | null;
  /** The table's filter listing the same applicants, to count them before anything is exported. */
  countFilter: ApplicantFilter | null;
  /** What the dialog says when it holds nobody. */
  emptyWarning: string;
}

type ScopeState = Pick<AppState, 'jobs' | 'jobId' | 'views' | 'viewId' | 'rowsById' | 'selectedId' | 'markedIds'>;

function scopeChoices(state: ScopeState): ScopeChoice[] {
  const job = state.jobs.find((candidate) => candidate.id === state.jobId);
  const view = state.views.find((candidate) => candidate.id === state.viewId);
  const applicant = state.selectedId === null ? undefined : state.rowsById[state.selectedId];
  const inJob: ExportSelection = job ? { jobId: job.id } : {};
  return [
    {
      scope: 'job',
      label: job ? `This job — ${job.title} (${job.applicationCount.toLocaleString()} applicants)` : 'Every job',
      unavailable: null,
      namePart: job?.title ?? 'All jobs',
      selection: inJob,
      count: job ? job.applicationCount : state.jobs.reduce((sum, candidate) => sum + candidate.applicationCount, 0),
      countFilter: null,
      emptyWarning: job ? 'This job has no applicants — nothing to export.' : 'There are no applicants yet — nothing to export. Sync an account first.',
    },
    {
      scope: 'view',
      label: view ? `Saved view “${view.name}”` : 'The current saved view',
      unavailable: view ? null : 'Open a saved view first.',
      namePart: view?.name ?? 'View',
      selection: view ? { viewId: view.id } : {},
      count: null,
      countFilter: view ? view.filter : null,
      emptyWarning: 'The saved view lists nobody — nothing to export.',
    },
    {
      scope: 'shortlist',
      label: job ? `The shortlist of ${job.title}` : 'The shortlist',
      unavailable: null,
      namePart: `${job?.title ?? 'All jobs'} shortlist`,
      selection: { ...inJob, shortlisted: true },
      count: null,
      countFilter: { ...(job ? { jobId: job.id } : {}), statuses: [...shortlistStatuses] },
      emptyWarning: 'The shortlist is empty — nothing to export. Shortlist applicants in the table first.',
    },
    {
      scope: 'selection',
      label: state.markedIds.length > 0 ? `The ${state.markedIds.length.toLocaleString()} selected applicants` : 'The selected applicants',
      unavailable: state.markedIds.length > 0 ? null : 'Select applicants in the table first (space, shift-click or ctrl-click).',
      namePart: `${state.markedIds.length} selected`,
      selection: { applicationIds: state.markedIds },
      count: state.markedIds.length,
      countFilter: null,
      emptyWarning: 'No applicants are selected — nothing to export.',
    },
    {
      scope: 'applicant',
      label: applicant ? `This applicant — ${applicant.name}` : 'The open applicant',
      unavailable: applicant ? null : 'Open an applicant first.',
      namePart: applicant?.name ?? 'Applicant',
      selection: applicant ? { applicationIds: [applicant.applicationId] } : {},
      count: applicant ? 1 : 0,
      countFilter: null,
      emptyWarning: 'No applicant is open — nothing to export.',
    },
  ];
}

/** How many applicants each choice holds: known ones at once, the shortlist and the saved view as the core counts them. */
function useScopeCounts(choices: ScopeChoice[]): Partial<Record<Scope, number>> {
  const [counted, setCounted] = useState<Partial<Record<Scope, number>>>({});
  useEffect(() => {
    const client = useApp.getState().transport.client;
    let current = true;
    for (const choice of choices) {
      if (choice.countFilter === null || choice.unavailable !== null) continue;
      // A failed count leaves the choice unknown: the export then runs and says what it saved.
      void client.call('applicants.list', { filter: choice.countFilter, limit: 1 }).then(
        (list) => current && setCounted((known) => ({ ...known, [choice.scope]: list.total })),
        () => undefined,
      );
    }
    return () => {
      current = false;
    };
  }, [choices]);
  return { ...Object.fromEntries(choices.filter((choice) => choice.count !== null).map((choice) => [choice.scope, choice.count])), ...counted };
}

const kindTitles: Record<Kind, string> = { letters: 'Letters', packets: 'Packets', applicants: 'Applicants', interviews: 'Interviews' };

function defaultPath(downloadsDir: string, kind: Kind, asFolder: boolean, choice: ScopeChoice): string {
  return joinPath(downloadsDir, fileName(`${kindTitles[kind]} - ${choice.namePart}`) + extension(kind, asFolder));
}

interface ExportRequest {
  kind: Kind;
  selection: ExportSelection;
  out: string;
  overwrite: boolean;
  packets: { zip: boolean; includeReview: boolean };
}

function runExport(request: ExportRequest): Promise<Outcome> {
  const client = useApp.getState().transport.client;
  const input = { selection: request.selection, out: request.out, overwrite: request.overwrite };
  switch (request.kind) {
    case 'letters':
      return client.call('export.letters', input);
    case 'packets':
      return client.call('export.packets', { ...input, ...request.packets });
    case 'applicants':
      return client.call('export.applicants', input);
    case 'interviews':
      return client.call('export.interviews', input);
  }
}

/** The action that fixes a failure: most are about where the file goes; a vanished view needs another choice. */
function fixFor(code: string): { label: string; target: 'path' | 'scope' } | null {
  if (code === 'disk.full' || code === 'export.failed') return { label: 'Choose another location', target: 'path' };
  if (code === 'export.exists') return { label: 'Choose another name', target: 'path' };
  if (code === 'input.invalid') return { label: 'Choose other applicants', target: 'scope' };
  return null;
}

/**
 * Exports letters, packets, the applicant table or interviews for the current job, saved view,
 * shortlist or open applicant, to a path typed or picked with the folder browser (a native save
 * dialog can replace both in the shell). While it runs the dialog shows the core's progress and can only be cancelled.
 */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const downloadsDir = useApp((state) => state.info?.downloadsDir ?? '');
  // What "this job", "this view" and "this applicant" mean is fixed when the dialog opens.
  const [choices] = useState(() => scopeChoices(useApp.getState()));
  const [kind, setKind] = useState<Kind>('letters');
  const [scope, setScope] = useState<Scope>(() => choices.find((option) => (option.scope === 'selection' || option.scope === 'view') && option.unavailable === null)?.scope ?? 'job');
  const [asFolder, setAsFolder] = useState(false);
  const [includeReview, setIncludeReview] = useState(false);
  const [typedPath, setTypedPath] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'form', failure: null, cancelled: false });
  const [browsing, setBrowsing] = useState(false);
  const pathRef = useRef<HTMLInputElement>(null);
  const scopeRef = useRef<HTMLFieldSetElement>(null);
  const ids = useId();

  // Back at the form after a run, the button that had focus is gone: put it on the fix, or on Export.
  useEffect(() => {
    const root = scopeRef.current?.closest<HTMLElement>('[role="dialog"]');
    if (!root || root.contains(document.activeElement)) return;
    root.querySelector<HTMLElement>('.export-alert button, footer button.primary')?.focus();
  }, [phase]);

  const counts = useScopeCounts(choices);
  const choice = choices.find((candidate) => candidate.scope === scope) ?? choices[0];
  if (!choice) return null;
  const empty = choice.unavailable === null && counts[choice.scope] === 0;
  const out = typedPath ?? defaultPath(downloadsDir, kind, asFolder, choice);

  /** The chosen folder with the file name the field holds (or the default one, when the field names none). */
  const chooseFolder = (folder: string) => {
    setBrowsing(false);
    const typedName = splitPath(out).name;
    setTypedPath(joinPath(folder, typedName || splitPath(defaultPath(downloadsDir, kind, asFolder, choice)).name));
  };

  /** A path the user typed keeps up with the choice: it takes the extension of what is now exported. */
  const chooseFormat = (nextKind: Kind, nextAsFolder: boolean) => {
    setKind(nextKind);
    setAsFolder(nextAsFolder);
    setTypedPath((path) => (path === null ? null : withExtension(path, extension(nextKind, nextAsFolder))));
  };

  /** `overwrite` only once the reviewer has been told a file is there and chose to replace it. */
  const start = async (overwrite = false) => {
    const trimmed = out.trim();
    if (choice.unavailable !== null || empty) return;
    if (!trimmed) {
      pathRef.current?.focus();
      return;
    }
    setPhase({ name: 'running', kind, progress: null, cancelling: false });
    const stop = useApp.getState().transport.client.on('export.progress', (event) => {
      if (event.kind !== kind) return;
      setPhase((current) => (current.name === 'running' ? { ...current, progress: { done: event.done, total: event.total, current: event.current } } : current));
    });
    try {
      const outcome = await runExport({ kind, selection: choice.selection, out: trimmed, overwrite, packets: { zip: !asFolder, includeReview } });
      setPhase({ name: 'done', kind, outcome });
    } catch (error) {
      const code = errorCode(error);
      setPhase(code === 'export.cancelled' ? { name: 'form', failure: null, cancelled: true } : { name: 'form', failure: { code, message: errorMessage(error) }, cancelled: false });
    } finally {
      stop();
    }
  };

  const cancel = () => {
    setPhase((current) => (current.name === 'running' ? { ...current, cancelling: true } : current));
    void useApp.getState().transport.client.call('export.cancel', {}).catch(() => undefined);
  };

  const fix = (target: 'path' | 'scope') => {
    if (target === 'path') {
      pathRef.current?.focus();
      pathRef.current?.select();
    } else {
      scopeRef.current?.querySelector<HTMLInputElement>('input:checked, input:not(:disabled)')?.focus();
    }
  };

  if (phase.name === 'running') {
    return (
      <Dialog
        title={`Exporting ${kindTitles[phase.kind].toLowerCase()}…`}
        onClose={onClose}
        dismissible={false}
        className="export-dialog"
        footer={
          <button key="cancel-export" onClick={cancel} disabled={phase.cancelling} autoFocus>
            {phase.cancelling ? 'Cancelling…' : 'Cancel export'}
          </button>
        }
      >
        <ExportProgress progress={phase.progress} />
        <p className="muted">
          Saving to <span className="code">{out}</span>
        </p>
      </Dialog>
    );
  }

  if (phase.name === 'done') {
    const { outcome } = phase;
    return (
      <Dialog
        title="Export finished"
        onClose={onClose}
        className="export-dialog"
        footer={
          <>
            <button key="again" onClick={() => setPhase({ name: 'form', failure: null, cancelled: false })}>
              Export something else
            </button>
            <button key="done" className="primary" onClick={onClose} autoFocus>
              Done
            </button>
          </>
        }
      >
        <div role="status" className="export-result">
          {outcome.entries === 0 ? <p className="export-empty">Nothing matched the choice: the file holds no {entryNouns[phase.kind]}.</p> : null}
          <p>
            Saved {outcome.entries.toLocaleString()} {entryNouns[phase.kind]} ({formatBytes(outcome.bytes)}) to
          </p>
          <p className="code" data-testid="export-file">
            {outcome.file}
          </p>
        </div>
      </Dialog>
    );
  }

  const fixing = phase.failure ? fixFor(phase.failure.code) : null;
  return (
    <Dialog
      title="Export"
      onClose={onClose}
      className="export-dialog"
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={() => void start()} disabled={!out.trim() || choice.unavailable !== null || empty}>
            {phase.failure ? 'Try again' : 'Export'}
          </button>
        </>
      }
    >
      {phase.failure ? (
        <div className="export-alert" role="alert">
          <p>{phase.failure.message}</p>
          {fixing ? (
            <button className="small" onClick={() => fix(fixing.target)}>
              {fixing.label}
            </button>
          ) : null}
          {phase.failure.code === 'export.exists' ? (
            <button className="small" onClick={() => void start(true)}>
              Replace the file
            </button>
          ) : null}
        </div>
      ) : null}
      {phase.cancelled ? (
        <p className="export-note" role="status">
          The export was cancelled; nothing was saved.
        </p>
      ) : null}
      <fieldset>
        <legend>What to export</legend>
        <div className="choices">
          {kinds.map((option) => (
            <label key={option.kind} className="choice">
              <input type="radio" name={`${ids}-kind`} value={option.kind} checked={kind === option.kind} onChange={() => chooseFormat(option.kind, asFolder)} />
              <span>
                {option.label}
                <small>{option.hint}</small>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {kind === 'packets' ? (
        <fieldset>
          <legend>Packets</legend>
          <div className="row-inline">
            <label className="inline-option">
              <input type="radio" name={`${ids}-packets`} checked={!asFolder} onChange={() => chooseFormat(kind, false)} /> In one ZIP file
            </label>
            <label className="inline-option">
              <input type="radio" name={`${ids}-packets`} checked={asFolder} onChange={() => chooseFormat(kind, true)} /> In a folder
            </label>
          </div>
          <label className="inline-option review-option">
            <input type="checkbox" checked={includeReview} onChange={(event) => setIncludeReview(event.target.checked)} /> My rating, status and tags on each cover
          </label>
        </fieldset>
      ) : null}
      <fieldset ref={scopeRef}>
        <legend>Which applicants</legend>
        <div className="scope-list">
          {choices.map((option) => (
            <label key={option.scope} className="inline-option" title={option.unavailable ?? undefined}>
              <input
                type="radio"
                name={`${ids}-scope`}
                value={option.scope}
                checked={scope === option.scope}
                disabled={option.unavailable !== null}
                onChange={() => setScope(option.scope)}
              />{' '}
              {option.label}
              {option.unavailable ? <span className="muted"> — {option.unavailable}</span> : null}
            </label>
          ))}
        </div>
        {empty ? (
          <p className="export-empty" role="status">
            {choice.emptyWarning}
          </p>
        ) : null}
      </fieldset>
      <div className="export-path">
        <HintedField
          label={kind === 'packets' && asFolder ? 'Save in folder' : 'Save as'}
          hint={kind === 'packets' && asFolder ? 'A new or empty folder; it is created if missing.' : 'The full path of the file; the folder must exist (your Downloads folder is made if missing).'}
        >
          <input
            ref={pathRef}
            type="text"
            spellCheck={false}
            value={out}
            onChange={(event) => setTypedPath(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              // Without this the same key press would go on to "click" the Cancel button that takes focus.
              event.preventDefault();
              void start();
            }}
          />
        </HintedField>
        <button className="choose-folder" onClick={() => setBrowsing(true)}>
          Choose folder…
        </button>
      </div>
      {browsing ? <FolderBrowser start={splitPath(out).folder} onChoose={chooseFolder} onClose={() => setBrowsing(false)} /> : null}
    </Dialog>
  );
}

function ExportProgress({ progress }: { progress: Progress | null }) {
  if (!progress || progress.total === 0) {
    return (
      <div className="export-progress">
        <div className="progress indeterminate" role="progressbar" aria-label="Export progress">
          <div />
        </div>
        <p className="muted">Preparing…</p>
      </div>
    );
  }
  const percent = Math.round((progress.done / progress.total) * 100);
  return (
    <div className="export-progress">
      <div className="progress" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} aria-valuetext={`${progress.done} of ${progress.total}`}>
        <div style={{ width: `${percent}%` }} />
      </div>
      <p className="row-inline">
        <span className="num">
          {progress.done.toLocaleString()} of {progress.total.toLocaleString()}
        </span>
        {progress.current ? <span className="muted current">{progress.current}</span> : null}
      </p>
    </div>
  );
}
