import { useEffect, useId, useState } from 'react';
import type { ApiInput, ApiResult } from '../../../shared/contract.ts';
import { errorMessage } from '../common/transport.ts';
import { useApp } from '../store/index.ts';

export type ManifestChoice = ApiInput<'manifests.check'>['manifest'];
export type ManifestSummary = ApiResult<'manifests.check'>;

/** The manifest the form will send, with what the core said it describes. */
export interface CheckedManifest {
  readonly choice: ManifestChoice;
  readonly summary: ManifestSummary;
}

const fileChoice = 'file';
const noChoice = '';

/**
 * The provider manifest of a generic OAuth 2.0 account (docs/providers/manifests.md): none (the
 * account only signs in), one that ships with Dossier, or a file the user chooses. A file's text
 * is read here and sent to the core as it is; the core checks it and says what it describes, or
 * where it is wrong. Nothing of the manifest is parsed or trusted in the page.
 */
export function ManifestPicker({ disabled, onChange }: { disabled: boolean; onChange: (checked: CheckedManifest | null) => void }) {
  const client = useApp((state) => state.transport.client);
  const [bundled, setBundled] = useState<ApiResult<'manifests.bundled'>>([]);
  const [selected, setSelected] = useState(noChoice);
  const [checked, setChecked] = useState<CheckedManifest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const statusId = useId();

  useEffect(() => {
    client.call('manifests.bundled', {}).then(setBundled, (error: unknown) => setProblem(errorMessage(error)));
  }, [client]);

  const settle = (next: CheckedManifest | null, error: string | null) => {
    setChecked(next);
    setProblem(error);
    onChange(next);
  };

  const check = async (choice: ManifestChoice) => {
    setChecking(true);
    try {
      settle({ choice, summary: await client.call('manifests.check', { manifest: choice }) }, null);
    } catch (error) {
      settle(null, errorMessage(error));
    } finally {
      setChecking(false);
    }
  };

  const select = (value: string) => {
    setSelected(value);
    settle(null, null);
    if (value !== noChoice && value !== fileChoice) void check({ bundled: value });
  };

  const readFile = async (file: File | undefined) => {
    if (file === undefined) return settle(null, null);
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      return settle(null, `${file.name}: could not be read (${errorMessage(error)}).`);
    }
    await check({ text, fileName: file.name });
  };

  return (
    <div className="field wide manifest-picker">
      <label className="field-control">
        <span>Manifest</span>
        <select value={selected} disabled={disabled} aria-describedby={statusId} onChange={(event) => select(event.target.value)}>
          <option value={noChoice}>None: sign in only</option>
          {bundled.map((entry) => (
            <option key={entry.id} value={entry.id}>{`${entry.name} (bundled manifest)`}</option>
          ))}
          <option value={fileChoice}>Choose a manifest file…</option>
        </select>
      </label>
      {selected === fileChoice ? (
        <label className="field-control">
          <span>Manifest file</span>
          <input type="file" accept=".json,application/json" disabled={disabled} aria-describedby={statusId} onChange={(event) => void readFile(event.target.files?.[0])} />
        </label>
      ) : null}
      <div id={statusId}>
        {problem ? (
          <p className="error-text manifest-error" role="alert">{problem}</p>
        ) : checking ? (
          <small role="status">Checking the manifest…</small>
        ) : checked ? (
          <small role="status">
            <strong>{checked.summary.name}</strong>
            {`: ${checked.summary.resources.map((resource) => resource.name).join(', ')} from ${checked.summary.baseUrl}`}
          </small>
        ) : (
          <small>A manifest tells Dossier where this provider keeps its jobs and applicants, so the account syncs them. Without one it only signs in.</small>
        )}
      </div>
    </div>
  );
}
