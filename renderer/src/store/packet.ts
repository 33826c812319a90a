import type { Packet } from '../../../shared/domain.ts';
import { errorMessage } from '../common/transport.ts';
import type { NoticesSlice } from './notices.ts';
import type { RowsSlice } from './rows.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/** A packet without its row, which lives in `rowsById` under the same application id. */
export type PacketBody = Omit<Packet, 'row'> & { applicationId: number };

/** The open applicant and the packets read or fetched ahead, so moving through the list never waits on the network. */
export interface PacketSlice {
  selectedId: number | null;
  /** At most `packetsKept`, least recently opened first; the open one is never let go. */
  packets: Map<number, PacketBody>;
  /** Opens an applicant; `refresh` fetches the packet again when it changed (a new interview). */
  select: (applicationId: number | null, options?: { refresh?: boolean }) => void;
  /** Moves the selection through the table's list; ±Infinity goes to either end. */
  move: (step: number) => void;
  applyNotes: (notes: { applicationId: number; note: string }[]) => void;
  reader: ReaderState;
  /** Documents the reviewer has read, among the packets fetched. */
  readIds: ReadonlySet<number>;
  openDocument: (documentId: number) => void;
  /** The document shown beside the open one (a letter beside the CV), or none. */
  setBeside: (documentId: number | null) => void;
  setReadingMode: (on: boolean) => void;
  toggleDocumentList: () => void;
  /** Moves the reader to the next or previous readable document of the open packet. */
  moveDocument: (step: number) => void;
  /** Pages the open document's viewer, when one is showing. */
  turnPage: (step: number) => void;
  /** The viewer of the open document registers how to page it, and unregisters (null) when it goes. */
  setPageTurner: (turner: ((step: number) => void) | null) => void;
  markRead: (documentId: number, read: boolean) => Promise<void>;
  /**
   * Documents arrived (a sync is downloading, or has finished): the open packet is fetched again
   * when it still waits for some, and packets held ahead that wait for some are let go so they are
   * fetched fresh when opened.
   */
  refreshDocuments: () => Promise<void>;
}

export interface ReaderState {
  /** The document chosen in the open packet; null (or one not in it) means its first readable one. */
  documentId: number | null;
  besideId: number | null;
  /** The reader fills the window; Esc leaves. */
  readingMode: boolean;
  /** The list of the packet's documents above the reader; remembered across launches. */
  listOpen: boolean;
}

const listOpenKey = 'dossier.reader.documentListOpen';

/** What may be shown in the reader: a document whose bytes are here. */
export function readableDocuments(packet: PacketBody | undefined): PacketBody['documents'] {
  return packet?.documents.filter((document) => document.available) ?? [];
}

/** The document the reader shows for a packet: the chosen one if it is readable there, else the first unread, else the first. */
export function readerDocument(packet: PacketBody | undefined, chosenId: number | null, readIds: ReadonlySet<number>): PacketBody['documents'][number] | null {
  const readable = readableDocuments(packet);
  return readable.find((document) => document.id === chosenId) ?? readable.find((document) => !readIds.has(document.id)) ?? readable[0] ?? null;
}

const packetsKept = 20;

export const createPacketSlice: Slice<PacketSlice, RowsSlice & SessionSlice & NoticesSlice> = (set, get) => {
  let latestSelection = 0;
  let pageTurner: ((step: number) => void) | null = null;
  const setReader = (change: Partial<ReaderState>) => set({ reader: { ...get().reader, ...change } });

  const fetchReads = async (body: PacketBody) => {
    const { read } = await get().transport.client.call('documents.reads', { documentIds: body.documents.map((document) => document.id) });
    const readIds = new Set(get().readIds);
    for (const document of body.documents) readIds.delete(document.id);
    for (const id of read) readIds.add(id);
    set({ readIds });
  };

  const keep = (body: PacketBody) => {
    const packets = new Map(get().packets);
    packets.delete(body.applicationId);
    packets.set(body.applicationId, body);
    const { selectedId } = get();
    for (const id of packets.keys()) {
      if (packets.size <= packetsKept) break;
      if (id !== selectedId) packets.delete(id);
    }
    set({ packets });
  };

  const forget = (applicationId: number) => {
    const packets = new Map(get().packets);
    packets.delete(applicationId);
    set({ packets });
  };

  const fetchPacket = async (applicationId: number) => {
    const { row, ...body } = await get().transport.client.call('applicants.packet', { applicationId });
    get().holdRow(row);
    const packet = { ...body, applicationId };
    // The reader picks the first unread document, so the read marks arrive before the packet shows.
    await fetchReads(packet).catch(() => undefined);
    keep(packet);
  };

  const prefetchNeighbours = () => {
    const { listIds, selectedId, packets } = get();
    const index = selectedId === null ? -1 : listIds.indexOf(selectedId);
    for (const id of [listIds[index + 1], listIds[index - 1]]) {
      if (id !== undefined && !packets.has(id)) void fetchPacket(id).catch(() => undefined);
    }
  };

  return {
    selectedId: null,
    packets: new Map(),
    select: (applicationId, { refresh = false } = {}) => {
      const selection = ++latestSelection;
      if (refresh && applicationId !== null) forget(applicationId);
      set({ selectedId: applicationId, reader: { ...get().reader, documentId: null, besideId: null } });
      if (applicationId === null) return;
      const cached = get().packets.get(applicationId);
      if (cached) {
        keep(cached);
        return prefetchNeighbours();
      }
      fetchPacket(applicationId).then(prefetchNeighbours, (error: unknown) => {
        if (selection === latestSelection) get().notify(errorMessage(error), 'error');
      });
    },
    move: (step) => {
      const { listIds, selectedId } = get();
      if (listIds.length === 0) return;
      const index = selectedId === null ? -1 : listIds.indexOf(selectedId);
      const next = listIds[Math.min(listIds.length - 1, Math.max(0, index === -1 ? 0 : index + step))];
      if (next !== undefined && next !== selectedId) get().select(next);
    },
    reader: { documentId: null, besideId: null, readingMode: false, listOpen: readStoredFlag(listOpenKey, false) },
    readIds: new Set(),
    openDocument: (documentId) => setReader({ documentId, besideId: get().reader.besideId === documentId ? null : get().reader.besideId }),
    setBeside: (besideId) => setReader({ besideId }),
    setReadingMode: (readingMode) => setReader({ readingMode }),
    toggleDocumentList: () => {
      const listOpen = !get().reader.listOpen;
      storeFlag(listOpenKey, listOpen);
      setReader({ listOpen });
    },
    moveDocument: (step) => {
      const { selectedId, packets, reader, readIds } = get();
      const packet = selectedId === null ? undefined : packets.get(selectedId);
      const readable = readableDocuments(packet);
      const current = readerDocument(packet, reader.documentId, readIds);
      const index = current ? readable.indexOf(current) : -1;
      const next = readable[Math.min(readable.length - 1, Math.max(0, index + step))];
      if (next && next !== current) get().openDocument(next.id);
    },
    turnPage: (step) => pageTurner?.(step),
    setPageTurner: (turner) => {
      pageTurner = turner;
    },
    markRead: async (documentId, read) => {
      const mark = (on: boolean) => {
        const readIds = new Set(get().readIds);
        if (on) readIds.add(documentId);
        else readIds.delete(documentId);
        set({ readIds });
      };
      mark(read);
      try {
        await get().transport.client.call('documents.markRead', { documentId, read });
      } catch (error) {
        mark(!read);
        get().notify(errorMessage(error), 'error');
      }
    },
    refreshDocuments: async () => {
      const waitsForDocuments = (body: PacketBody) => body.documents.some((document) => !document.available);
      const { packets, selectedId } = get();
      const stale = [...packets.values()].filter((body) => body.applicationId !== selectedId && waitsForDocuments(body));
      if (stale.length > 0) {
        const kept = new Map(packets);
        for (const body of stale) kept.delete(body.applicationId);
        set({ packets: kept });
      }
      const open = selectedId === null ? undefined : packets.get(selectedId);
      if (!open || !waitsForDocuments(open)) return;
      let documents: PacketBody['documents'];
      try {
        ({ documents } = await get().transport.client.call('applicants.packet', { applicationId: open.applicationId }));
      } catch {
        // The packet stays as it was; the next document or the sync's end asks again.
        return;
      }
      // Only the documents are taken: the open packet's note and the reviewer's place in it stay as they are.
      const current = get().packets.get(open.applicationId);
      if (current && get().selectedId === open.applicationId) keep({ ...current, documents });
    },
    applyNotes: (notes) => {
      const packets = new Map(get().packets);
      for (const { applicationId, note } of notes) {
        const body = packets.get(applicationId);
        if (body && body.note !== note) packets.set(applicationId, { ...body, note });
      }
      set({ packets });
    },
  };
};

/** A remembered on/off choice of this window's; storage may be unavailable (a locked-down profile), then the default holds. */
function readStoredFlag(key: string, fallback: boolean): boolean {
  try {
    const value = globalThis.localStorage?.getItem(key);
    return value === null || value === undefined ? fallback : value === 'true';
  } catch {
    return fallback;
  }
}

function storeFlag(key: string, value: boolean): void {
  try {
    globalThis.localStorage?.setItem(key, String(value));
  } catch {
    // Not remembered; the choice still holds for this session.
  }
}
