import { writeFile } from 'node:fs/promises';
import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { SelectedApplication } from '../storage/applications-query.ts';
import { csvDocument, type Cell } from './csv.ts';
import { throwIfCancelled, writeAtomically, type ExportOutcome, type ExportRun } from './output.ts';
import { resolveSelection, type SelectionSources } from './selection.ts';

const columns: readonly [string, (application: SelectedApplication) => Cell][] = [
  ['Application ID', (a) => a.applicationId],
  ['Last name', (a) => a.lastName],
  ['First name', (a) => [a.firstName, a.middleName].filter(Boolean).join(' ') || null],
  ['Email', (a) => a.email],
  ['Job', (a) => a.jobTitle],
  ['Institution', (a) => a.institution],
  ['Degree', (a) => a.degree],
  ['Degree year', (a) => a.degreeYear],
  ['Current position', (a) => [a.currentPosition, a.currentInstitution].filter(Boolean).join(', ') || null],
  ['Primary field', (a) => a.primaryField],
  ['Applied', (a) => a.appliedAt],
  ['Letters received', (a) => a.lettersReceived],
  ['Letters expected', (a) => a.lettersExpected],
  ['Rating', (a) => a.rating],
  ['Committee score', (a) => (a.committeeScore === null ? null : Math.round(a.committeeScore * 100) / 100)],
  ['Scores', (a) => a.scores],
  ['Status', (a) => a.status],
  ['Tags', (a) => a.tags.join('; ')],
  ['Notes', (a) => a.note],
];

/** The selection as a spreadsheet: one row per application with the reviewer's rating, status, tags and notes. */
export async function exportApplicants(sources: SelectionSources, selection: ExportSelection, out: string, run: ExportRun = {}): Promise<ExportOutcome> {
  const applications = resolveSelection(sources, selection);
  throwIfCancelled(run.signal);
  const text = csvDocument(
    columns.map(([header]) => header),
    applications.map((application) => columns.map(([, cell]) => cell(application))),
  );
  return writeAtomically(out, run, async (temporary) => {
    await writeFile(temporary, text, { encoding: 'utf8', signal: run.signal });
    run.onProgress?.({ done: applications.length, total: applications.length, current: null });
    return applications.length;
  });
}
