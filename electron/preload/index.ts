import { contextBridge, ipcRenderer } from 'electron';
import type { ApiInput, ApiName, DossierClient, EventName, EventPayload } from '../../shared/contract.ts';

/**
 * The only thing the page gets: the typed contract as two functions. Raw ipcRenderer never crosses
 * the bridge (Electron security checklist #20); the main process validates every input again.
 */
const client: DossierClient = {
  call: async <Name extends ApiName>(name: Name, input: ApiInput<Name>) => {
    const outcome = (await ipcRenderer.invoke('dossier:call', name, input)) as { ok: true; result: never } | { ok: false; error: { code: string; message: string } };
    if (outcome.ok) return outcome.result;
    throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
  },
  on: <Name extends EventName>(name: Name, listener: (payload: EventPayload<Name>) => void) => {
    const forward = (_event: unknown, eventName: unknown, payload: unknown) => {
      if (eventName === name) listener(payload as EventPayload<Name>);
    };
    ipcRenderer.on('dossier:event', forward);
    return () => {
      ipcRenderer.off('dossier:event', forward);
    };
  },
};

contextBridge.exposeInMainWorld('dossier', client);
