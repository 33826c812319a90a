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
}

const packetsKept = 20;

export const createPacketSlice: Slice<PacketSlice, RowsSlice & SessionSlice & NoticesSlice> = (set, get) => {
  let latestSelection = 0;

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
    keep({ ...body, applicationId });
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
      set({ selectedId: applicationId });
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
