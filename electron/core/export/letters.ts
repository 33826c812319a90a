import { Readable } from 'node:stream';
import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { SelectedApplication } from '../storage/applications-query.ts';
import type { Storage } from '../storage/storage.ts';
import { csvDocument, type Cell } from './csv.ts';
import { progressReporter, writeAtomically, type ExportOutcome, type ExportRun } from './output.ts';
import { extensionOf, isCompressed, RecordReader, type LetterRecord } from './records.ts';
import { NameAllocator } from '../base/safe-name.ts';
import { applicantSortName, resolveSelection, type SelectionSources } from './selection.ts';
import { BlobReader } from './blob-reader.ts';
import { writeZip, type ZipEntry } from './zip.ts';

export const manifestName = 'manifest.csv';
/**
 * Letters are read a few ahead of the one being written (reading and hashing overlap writing, a few
 * files in memory). No forced collections: under the core's heap limits (electron/host/heap.ts)
 * yazl's per-entry garbage raised the peak of 8,000 letters by 6–10 MB without them, and a full
 * collection every 64 MB cost about 0.9 s of the main thread's 9 s (test/bench/export.ts).
 */
const lettersZip = { readAhead: 3 } as const;
const manifestHeader = ['Applicant', 'Writer', 'Institution', 'Received', 'File', 'SHA-256', 'Note'] as const;

/** One applicant's folder: the applications of the same person share it, each letter once. */
interface ApplicantGroup {
  readonly name: string;
  readonly applications: SelectedApplication[];
}

/** Groups the selected applications by person (an applicant may have applied to two of the selected jobs). */
export function groupByApplicant(applications: readonly SelectedApplication[]): ApplicantGroup[] {
  const groups = new Map<string, ApplicantGroup>();
  for (const application of applications) {
    const key = `${application.accountId}\u0000${application.applicantRemoteId ?? `application:${application.remoteId}`}`;
    const group = groups.get(key) ?? { name: applicantSortName(application), applications: [] };
    group.applications.push(application);
    groups.set(key, group);
  }
  return [...groups.values()];
}

interface PlannedLetter {
  readonly applicant: string;
  readonly letter: LetterRecord;
  /** Archive path, or null when the letter's bytes are not in the store. */
  readonly entryName: string | null;
}

/** Decides every archive path before a byte is written, so the manifest can lead the archive. */
function planLetters(records: RecordReader, applications: readonly SelectedApplication[]): PlannedLetter[] {
  const folders = new NameAllocator();
  folders.allocate(manifestName);
  const planned: PlannedLetter[] = [];
  for (const group of groupByApplicant(applications)) {
    const seen = new Set<number>();
    const letters = group.applications.flatMap((application) => records.lettersOf(application)).filter((letter) => {
      if (seen.has(letter.letterId)) return false;
      seen.add(letter.letterId);
      return true;
    });
    if (letters.length === 0) continue;
    const folder = folders.allocate(group.name, { fallback: 'Applicant' });
    const files = new NameAllocator();
    for (const letter of letters) {
      const entryName = letter.path === null ? null : `${folder}/${files.allocate(letter.writerName, { extension: extensionOf(letter), fallback: 'Letter' })}`;
      planned.push({ applicant: group.name, letter, entryName });
    }
  }
  return planned;
}

function manifestRow({ applicant, letter, entryName }: PlannedLetter): Cell[] {
  return [
    applicant,
    letter.writerName,
    letter.writerInstitution,
    letter.receivedAt,
    entryName,
    entryName === null ? null : letter.sha256,
    entryName === null ? 'not downloaded yet: sync the account with documents, then export again' : null,
  ];
}

function modifiedTime(receivedAt: string | null): Date {
  const parsed = receivedAt === null ? Number.NaN : Date.parse(receivedAt);
  return Number.isNaN(parsed) ? new Date() : new Date(parsed);
}

/**
 * The selection's recommendation letters as one ZIP: `manifest.csv`, then a folder per applicant
 * with one file per letter named after its writer. Only letters of the selected applications are
 * read; PDFs and other compressed formats are stored, not re-deflated.
 */
export async function exportLetters(
  sources: SelectionSources & Pick<Storage, 'exportRecords'>,
  storeDir: string,
  selection: ExportSelection,
  out: string,
  run: ExportRun = {},
): Promise<ExportOutcome> {
  const planned = planLetters(new RecordReader(sources.exportRecords, storeDir), resolveSelection(sources, selection));
  const files = planned.filter((item) => item.entryName !== null);
  const report = progressReporter(files.length, run.onProgress);
  const manifest = csvDocument(manifestHeader, planned.map(manifestRow));
  let done = 0;
  report(0, null, true);
  return writeAtomically(out, run, async (temporary) => {
    const blobs = new BlobReader();
    const entries: ZipEntry[] = [
      { name: manifestName, compress: true, mtime: new Date(), open: () => Readable.from([Buffer.from(manifest, 'utf8')]) },
      ...files.map(({ applicant, letter, entryName }): ZipEntry => ({
        name: entryName as string,
        compress: !isCompressed(extensionOf(letter)),
        mtime: modifiedTime(letter.receivedAt),
        open: () => blobs.open(letter.path as string, letter.sha256 as string, letter.size),
        onWritten: () => report((done += 1), applicant),
      })),
    ];
    try {
      await writeZip(temporary, entries, run.signal, lettersZip);
    } finally {
      await blobs.close();
    }
    report(done, null, true);
    return entries.length;
  });
}
