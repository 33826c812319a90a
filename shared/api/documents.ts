import { z } from 'zod';
import { Id } from '../domain.ts';
import { endpoint } from './define.ts';

/**
 * Which applications an export covers. Every criterion given narrows it (a job plus the
 * shortlist is that job's shortlist); none at all means every application. `shortlisted` keeps
 * the candidates at status shortlisted, interview or offer; `applicationIds` are hand-picked.
 */
export const ExportSelection = z.object({
  accountId: Id.optional(),
  jobId: Id.optional(),
  viewId: Id.optional(),
  shortlisted: z.boolean().optional(),
  applicationIds: z.array(Id).max(20000).optional(),
});
export type ExportSelection = z.infer<typeof ExportSelection>;

const ExportResult = z.object({ file: z.string(), entries: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() });

export const documentsApi = {
  /** Resolves a document to a transport-specific URL (app:// in the shell, /documents/… in the browser host). */
  'documents.locate': endpoint({
    input: z.object({ documentId: Id }),
    result: z.object({ url: z.string().nullable(), fileName: z.string(), mimeType: z.string().nullable(), available: z.boolean() }),
    errors: ['document.missing'],
  }),
  /** `opened: false` with the `file` a copy was saved to, when the file is not a document type a system viewer may be handed. */
  'documents.openExternal': endpoint({ input: z.object({ documentId: Id }), result: z.object({ opened: z.boolean(), file: z.string().nullable() }), errors: ['document.missing'] }),
  'documents.saveAs': endpoint({ input: z.object({ documentId: Id, target: z.string().min(1).max(4096).optional() }), result: z.object({ file: z.string().nullable() }), errors: ['document.missing'] }),
  /** Of these documents, the ones the reviewer has opened (read marks are kept on this computer only). */
  'documents.reads': endpoint({ input: z.object({ documentIds: z.array(Id).max(1000) }), result: z.object({ read: z.array(Id) }), errors: [] }),
  'documents.markRead': endpoint({ input: z.object({ documentId: Id, read: z.boolean() }), result: z.object({ read: z.boolean() }), errors: ['document.missing'] }),
  /** The sub-folders of an absolute folder (Downloads, or home without one, when none is given), to choose where an export goes. Hidden folders are left out; at most 500, by name. */
  'files.folders': endpoint({
    input: z.object({ path: z.string().min(1).max(4096).optional() }),
    result: z.object({ path: z.string(), parent: z.string().nullable(), folders: z.array(z.object({ name: z.string(), path: z.string() })) }),
    errors: ['input.invalid'],
  }),
  'export.letters': endpoint({ input: z.object({ selection: ExportSelection, out: z.string().min(1).max(4096), overwrite: z.boolean().default(false) }), result: ExportResult, errors: ['export.cancelled', 'export.failed', 'export.exists', 'disk.full', 'document.hash_mismatch', 'input.invalid'] }),
  /** With `zip`, `out` is the .zip file; without, `out` is a folder that receives one PDF per applicant. `includeReview` puts rating, status and tags on each cover. */
  'export.packets': endpoint({ input: z.object({ selection: ExportSelection, out: z.string().min(1).max(4096), overwrite: z.boolean().default(false), zip: z.boolean().default(true), includeReview: z.boolean().default(false) }), result: ExportResult, errors: ['export.cancelled', 'export.failed', 'export.exists', 'disk.full', 'input.invalid'] }),
  'export.applicants': endpoint({ input: z.object({ selection: ExportSelection, out: z.string().min(1).max(4096), overwrite: z.boolean().default(false) }), result: ExportResult, errors: ['export.cancelled', 'export.failed', 'export.exists', 'disk.full', 'input.invalid'] }),
  'export.interviews': endpoint({ input: z.object({ selection: ExportSelection, out: z.string().min(1).max(4096), overwrite: z.boolean().default(false) }), result: ExportResult, errors: ['export.cancelled', 'export.failed', 'export.exists', 'disk.full', 'input.invalid'] }),
  /** Cancels every export in progress; each one rejects with `export.cancelled` and leaves nothing at its target. */
  'export.cancel': endpoint({ input: z.object({}), result: z.object({ cancelled: z.boolean() }), errors: [] }),
};
