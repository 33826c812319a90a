import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { SelectedApplication } from '../storage/applications-query.ts';
import type { Storage } from '../storage/storage.ts';
import { drawCover, type CoverContent } from './cover.ts';
import { exportError, progressReporter, throwIfCancelled, writeAtomically, type ExportOutcome, type ExportRun } from './output.ts';
import { setOutline, type OutlineItem } from './pdf-outline.ts';
import { extensionOf, RecordReader, type StoredFile } from './records.ts';
import { NameAllocator } from '../base/safe-name.ts';
import { applicantDisplayName, applicantSortName, resolveSelection, type SelectionSources } from './selection.ts';
import { releaseAfterWrite, releaseNow, writeZip } from './zip.ts';

export interface PacketOptions {
  /** Put the reviewer's rating, status and tags on the cover (notes stay private). */
  readonly includeReview?: boolean;
}

/** One packet built at a time (no read-ahead); pdf-lib leaves much garbage per byte, so collect often. */
const packetsZip = { readAhead: 0, collectEvery: 16 * 1024 * 1024 } as const;

interface PacketPart extends StoredFile {
  readonly label: string;
}

const kindLabels: Record<string, string> = { cv: 'CV', statement: 'Statement', paper: 'Paper', other: 'Document' };

function partsOf(records: RecordReader, application: SelectedApplication): PacketPart[] {
  return [
    ...records.documentsOf(application).map((document) => ({ ...document, label: `${kindLabels[document.kind] ?? 'Document'}: ${document.title}` })),
    ...records.lettersOf(application).map((letter) => ({
      ...letter,
      label: `Letter: ${letter.writerName}${letter.writerInstitution ? ` (${letter.writerInstitution})` : ''}`,
    })),
  ];
}

/**
 * Loads one stored document as a PDF (by its signature: providers' MIME types are not trusted), or
 * says in words why it cannot go into the packet. The bytes read are added to `read` so the caller
 * can free them as soon as the packet is saved.
 */
async function loadPart(part: PacketPart, read: Buffer[]): Promise<PDFDocument | string> {
  if (part.path === null) return 'not downloaded yet';
  const bytes = await readFile(part.path);
  read.push(bytes);
  if (!bytes.subarray(0, 1024).toString('latin1').includes('%PDF-')) {
    return `not a PDF (${extensionOf(part) || 'unknown type'}); export it with the letters or save it from the app`;
  }
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    return (error as Error).name === 'EncryptedPDFError' ? 'password-protected, cannot be merged' : 'could not be read as a PDF';
  }
}

function coverDetails(application: SelectedApplication, options: PacketOptions): CoverContent['details'] {
  const degree = [application.degree, application.institution, application.degreeYear?.toString() ?? null].filter(Boolean).join(', ');
  const details: [string, string | null][] = [
    ['Job', application.jobTitle],
    ['Email', application.email],
    ['Phone', application.phone],
    ['Country', application.country],
    ['Web page', application.url],
    ['Degree', degree || null],
    ['Current position', [application.currentPosition, application.currentInstitution].filter(Boolean).join(', ') || null],
    ['Field', application.primaryField],
    ['Applied', application.appliedAt],
    ['Letters', `${application.lettersReceived} received of ${application.lettersExpected} expected`],
  ];
  if (options.includeReview) {
    details.push(['Rating', application.rating?.toString() ?? 'not rated'], ['Status', application.status], ['Tags', application.tags.join(', ') || null]);
  }
  return details;
}

/**
 * One applicant's packet as PDF bytes: a cover page, then the CV, statements, papers, other
 * documents and letters, each with a bookmark. Source documents are loaded one at a time.
 */
export async function buildPacket(records: RecordReader, application: SelectedApplication, options: PacketOptions = {}): Promise<Uint8Array> {
  const packet = await PDFDocument.create();
  packet.setTitle(`Packet: ${applicantDisplayName(application)}`, { showInWindowTitleBar: true });
  packet.setProducer('Dossier');
  const included: OutlineItem[] = [];
  const lines: { readonly label: string; readonly reason: string | null; readonly pageIndex: number }[] = [];
  const read: Buffer[] = [];
  for (const part of partsOf(records, application)) {
    const loaded = await loadPart(part, read);
    const pageIndex = packet.getPageCount();
    if (typeof loaded === 'string') {
      lines.push({ label: part.label, reason: loaded, pageIndex });
      continue;
    }
    for (const page of await packet.copyPages(loaded, loaded.getPageIndices())) packet.addPage(page);
    lines.push({ label: part.label, reason: null, pageIndex });
    included.push({ title: part.label, pageIndex });
  }
  // The cover goes in front and its length shifts every page number in it: draw it assuming one
  // page, and again with the right offset in the rare case it needs more.
  const drawWithOffset = (offset: number): Promise<number> =>
    drawCover(packet, {
      title: applicantDisplayName(application),
      details: coverDetails(application, options),
      contents: lines.map((line) => `${line.label}: ${line.reason ?? `page ${line.pageIndex + offset + 1}`}`),
    });
  let coverPages = await drawWithOffset(1);
  if (coverPages !== 1) {
    for (let page = 0; page < coverPages; page += 1) packet.removePage(0);
    coverPages = await drawWithOffset(coverPages);
  }
  setOutline(packet, [{ title: 'Cover', pageIndex: 0 }, ...included.map((item) => ({ ...item, pageIndex: item.pageIndex + coverPages }))]);
  const saved = await packet.save({ useObjectStreams: true });
  // The saved packet holds copies of every page: the sources' memory can go back now, not at the next collection.
  for (const buffer of read) releaseNow(buffer);
  return saved;
}

/**
 * Packets of the selection, one PDF per application. With `zip`, all of them in one ZIP at `out`
 * (each packet is built only when the archive reaches it, so one packet is in memory at a time);
 * without, into the folder `out`, each file written atomically, and a cancel removes what this run wrote.
 */
export async function exportPackets(
  sources: SelectionSources & Pick<Storage, 'exportRecords'>,
  storeDir: string,
  selection: ExportSelection,
  out: string,
  options: PacketOptions & { readonly zip: boolean },
  run: ExportRun = {},
): Promise<ExportOutcome> {
  const applications = resolveSelection(sources, selection);
  const records = new RecordReader(sources.exportRecords, storeDir);
  const names = new NameAllocator();
  const planned = applications.map((application) => ({ application, name: names.allocate(applicantSortName(application), { extension: '.pdf', fallback: 'Applicant' }) }));
  const report = progressReporter(planned.length, run.onProgress);
  report(0, null, true);
  let done = 0;
  if (options.zip) {
    return writeAtomically(out, run, async (temporary) => {
      await writeZip(
        temporary,
        planned.map(({ application, name }) => ({
          name,
          compress: false,
          mtime: new Date(),
          open: async () => {
            const bytes = await buildPacket(records, application, options);
            return Readable.from([releaseAfterWrite(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))]);
          },
          onWritten: () => report((done += 1), applicantSortName(application)),
        })),
        run.signal,
        packetsZip,
      );
      return planned.length;
    });
  }
  const folder = resolve(out);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  let bytes = 0;
  try {
    for (const { application, name } of planned) {
      throwIfCancelled(run.signal);
      const target = join(folder, name);
      const outcome = await writeAtomically(target, run, async (temporary) => {
        const bytes = await buildPacket(records, application, options);
        await writeFile(temporary, bytes, { flag: 'wx', mode: 0o600 });
        releaseNow(bytes);
        return 1;
      });
      written.push(outcome.file);
      bytes += outcome.bytes;
      report((done += 1), applicantSortName(application));
    }
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    throw exportError(error, folder, run.signal);
  }
  return { file: folder, entries: written.length, bytes };
}
