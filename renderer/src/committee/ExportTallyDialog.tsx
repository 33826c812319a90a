import { useState } from 'react';
import type { Committee } from '../../../shared/api/committee.ts';
import { errorCode, errorMessage } from '../common/transport.ts';
import { Dialog, HintedField } from '../common/ui.tsx';
import { FolderBrowser } from '../export/FolderBrowser.tsx';
import { useApp } from '../store/index.ts';

type Phase = { name: 'form'; problem: { code: string; message: string } | null } | { name: 'running' } | { name: 'done'; path: string; rows: number };

/** Writes the committee's tally as a CSV into a folder, typed or chosen with the export's folder browser. */
export function ExportTallyDialog({ committee, onClose }: { committee: Committee; onClose: () => void }) {
  const client = useApp((state) => state.transport.client);
  const downloadsDir = useApp((state) => state.info?.downloadsDir ?? '');
  const [folder, setFolder] = useState(downloadsDir);
  const [browsing, setBrowsing] = useState(false);
  const [phase, setPhase] = useState<Phase>({ name: 'form', problem: null });
  const run = (overwrite: boolean) => {
    if (!folder.trim()) return;
    setPhase({ name: 'running' });
    client.call('committee.exportTally', { committeeId: committee.id, out: folder.trim(), overwrite }).then(
      (result) => setPhase({ name: 'done', path: result.path, rows: result.rows }),
      (error: unknown) => setPhase({ name: 'form', problem: { code: errorCode(error), message: errorMessage(error) } }),
    );
  };
  if (phase.name === 'done') {
    return (
      <Dialog title="Tally exported" onClose={onClose} className="export-dialog" footer={<button className="primary" onClick={onClose} autoFocus>Done</button>}>
        <div role="status" className="export-result">
          <p>Saved {phase.rows.toLocaleString()} candidates to</p>
          <p className="code" data-testid="tally-file">
            {phase.path}
          </p>
        </div>
      </Dialog>
    );
  }
  const problem = phase.name === 'form' ? phase.problem : null;
  return (
    <Dialog
      title={`Export the tally of ${committee.name}`}
      onClose={onClose}
      dismissible={phase.name !== 'running'}
      className="export-dialog"
      footer={
        <>
          <button onClick={onClose} disabled={phase.name === 'running'}>
            Cancel
          </button>
          <button className="primary" onClick={() => run(false)} disabled={phase.name === 'running' || !folder.trim()}>
            {phase.name === 'running' ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      {problem ? (
        <div className="export-alert" role="alert">
          <p>{problem.message}</p>
          {problem.code === 'export.exists' ? (
            <button className="small" onClick={() => run(true)}>
              Replace the file
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="muted">A CSV file with a row per candidate and a column per member, as the committee’s table shows them.</p>
      <div className="export-path">
        <HintedField label="Save in folder" hint="The folder must exist (your Downloads folder is made if missing).">
          <input type="text" spellCheck={false} value={folder} onChange={(event) => setFolder(event.target.value)} onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            run(false);
          }} />
        </HintedField>
        <button className="choose-folder" onClick={() => setBrowsing(true)}>
          Choose folder…
        </button>
      </div>
      {browsing ? (
        <FolderBrowser
          start={folder.trim() || null}
          onChoose={(chosen) => {
            setBrowsing(false);
            setFolder(chosen);
          }}
          onClose={() => setBrowsing(false)}
        />
      ) : null}
    </Dialog>
  );
}
