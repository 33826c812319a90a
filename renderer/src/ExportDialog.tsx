import { useId, useRef, useState, type ReactNode } from 'react';
import type { ExportSelection } from '../../shared/api/documents.ts';
import type { ApiResult, EventPayload } from '../../shared/contract.ts';
import { formatBytes } from './format.ts';
import { useApp, type AppState } from './store.ts';
import { errorCode, errorMessage } from './transport.ts';
import { Dialog, HintedField } from './ui.tsx';

type Kind = EventPayload<'export.progress'>['kind'];
type Scope = 'job' | 'view' | 'shortlist' | 'applicant';
type Progress = Omit<EventPayload<'export.progress'>, 'kind'>;
type Outcome = ApiResult<'export.letters'>;

/** What the dialog shows: the form (with the last failure, if any), the running export, or its result. */
type Phase =
  | { name: 'form'; failure: { code: string; message: string } | null; cancelled: boolean }
  | { name: 'running'; kind: Kind; progress: Progress | null; cancelling: boolean }
  | { name: 'done'; kind: Kind; outcome: Outcome };

const kinds: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'letters', label: 'Recommendation letters', hint: 'A ZIP: a folder per applicant, a file per letter, and a manifest.' },
  { kind: 'packets', label: 'Applicant packets', hint: 'One PDF per applicant: CV, papers, statements, letters.' },
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

/** Gives a path typed by the user the extension the chosen export writes, keeping the rest as typed. */
function withExtension(path: string, ext: string): string {
  return path.replace(/\.(zip|csv|ics)$/i, '') + ext;
}

function joinPath(folder: string, name: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${separator}${name}`;
}

interface ScopeChoice {
  scope: Scope;
  label: string;
  /** Why the choice is unavailable, or null. */
  unavailable: string | null;
  /** The words the default file name uses for it. */
  namepart: string;
  selection: ExportSelection;
}

function scopeChoices(state: Pick<AppState, 'jobs' | 'jobId' | 'views' | 'viewId' | 'packet' | 'rows' | 'selectedId'>): ScopeChoice[] {
  const job = state.jobs.find((candidate) => candidate.id === state.jobId);
  const view = state.views.find((candidate) => candidate.id === state.viewId);
  const applicant = state.rows.find((row) => row.applicationId === state.selectedId) ?? (state.packet?.row.applicationId === state.selectedId ? state.packet?.row : undefined);
  const inJob = job ? { jobId: job.id } : {};
  return [
    {
      scope: 'job',
      label: job ? `This job — ${job.title} (${job.applicationCount.toLocaleString()})` : 'Every job',
      unavailable: null,
      namepart: job?.title ?? 'All jobs',
      selection: inJob,
    },
    {
      scope: 'view',
      label: view ? `Saved view “${view.name}”` : 'The current saved view',
      unavailable: view ? null : 'Open a saved view first.',
      nameparts: view?.name ?? 'View',
      selection: view ? { viewId: view.id } : {},
    },
    {
      scope: 'shortlist',
      label: job ? `The shortlist of ${job.title}` : 'The shortlist',
      unavailable: null,
      nameparts: `${job?.title ?? 'All jobs'} shortlist`,
      selection: { ...inJob, shortlisted: true },
    },
    {
      scope: 'applicant',
      label: applicant ? `This applicant — ${applicant.name}` : 'The open applicant',
      unavailable: applicant ? null : 'Open an applicant first.',
      nameparts: applicant?.name ?? 'Applicant',
      selection: applicant ? { applicationIds: [applicant.applicationId] } : {},
    },
  ].map(({ nameparts, ...choice }) => ({ ...choice, nameparts, nameparts_: undefined, nameparts__: undefined, nameparts___: undefined, nameparts____: undefined, nameparts_____: undefined, nameparts______: undefined, nameparts_______: undefined, namepart: nameparts })) as ScopeChoice[];
}

export function ExportDialog({ onClose }: { onClose: () => void }) {
  return <div>{onClose.name}</div>;
}

export type { ReactNode };
export { useId, useRef, useState, formatBytes, errorCode, errorMessage, Dialog, HintedField, kinds, entryNouns, fileName, extension, withExtension, joinPath, scopeChoices, useApp };
export type { Phase, Scope };
