import type { ExportSelection } from '../../../shared/api/documents.ts';
import { ApplicantFilter, shortlistStatuses } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import type { SelectedApplication } from '../storage/applications-query.ts';
import type { SavedViewsTable } from '../storage/saved-views.ts';
import type { Storage } from '../storage/storage.ts';

/** What resolving a selection reads: the saved views and the applications. */
export type SelectionSources = Pick<Storage, 'savedViews' | 'applications'>;


function savedViewFilter(views: SavedViewsTable, viewId: number): ApplicantFilter {
  const stored = views.storedFilter(viewId);
  if (stored === undefined) throw new DossierError('input.invalid', 'That saved view no longer exists. Pick another view or export the whole job.', { field: 'viewId', viewId });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    parsed = undefined;
  }
  const filter = ApplicantFilter.safeParse(parsed);
  if (!filter.success) throw new DossierError('export.failed', 'That saved view is damaged. Open it, save it again, then export.', { viewId });
  return filter.data;
}

/**
 * Resolves a selection to its applications, ordered by applicant name. Every criterion given
 * narrows the selection (a job and the shortlist means the job's shortlist); none means all.
 * A saved view selects what the applicant table lists for it, through the table's own filter, so
 * the two never disagree.
 */
export function resolveSelection(sources: SelectionSources, selection: ExportSelection): SelectedApplication[] {
  return sources.applications.selected({
    accountId: selection.accountId,
    jobId: selection.jobId,
    listedBy: selection.viewId === undefined ? undefined : savedViewFilter(sources.savedViews, selection.viewId),
    statuses: selection.shortlisted ? [...shortlistStatuses] : undefined,
    applicationIds: selection.applicationIds,
    // Hand-picked applications are exported as asked; anything chosen by rule leaves out what vanished upstream.
    current: selection.applicationIds === undefined,
  });
}

/** "Last, First Middle" for folders, files and lists; the remote id when the provider gave no name. */
export function applicantSortName(application: SelectedApplication): string {
  const given = [application.firstName, application.middleName].filter((part) => part && part.trim() !== '').join(' ');
  const last = application.lastName?.trim() ?? '';
  if (last !== '' && given !== '') return `${last}, ${given}`;
  if (last !== '' || given !== '') return last || given;
  return `Applicant ${application.applicantRemoteId ?? application.remoteId}`;
}

/** "First Middle Last" for cover pages and calendars. */
export function applicantDisplayName(application: SelectedApplication): string {
  const name = [application.firstName, application.middleName, application.lastName].filter((part) => part && part.trim() !== '').join(' ');
  return name === '' ? `Applicant ${application.applicantRemoteId ?? application.remoteId}` : name;
}
