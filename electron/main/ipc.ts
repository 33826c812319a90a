import type { DispatchOutcome } from '../core/api/dispatch.ts';
import type { Logger } from '../core/base/log.ts';
import type { ApiName } from '../../shared/contract.ts';
import { isTrustedSender, untrustedSenderError, validateIpcCall } from './security.ts';

/** The IPC channel names the preload uses; nothing else is ever handled. */
export const ipcChannels = { call: 'dossier:call', event: 'dossier:event' } as const;

/**
 * One renderer request: the sender's frame must be `app://dossier`, the input must pass the
 * contract's schema, and only then does it reach the core.
 */
export async function handleRendererCall(
  frame: { readonly url: string } | null | undefined,
  name: unknown,
  input: unknown,
  forward: (name: ApiName, input: unknown) => Promise<DispatchOutcome>,
  log: Logger,
): Promise<DispatchOutcome> {
  if (!isTrustedSender(frame)) {
    log.warn('ipc.untrusted_sender', { url: frame?.url.slice(0, 200) ?? null });
    return { ok: false, error: untrustedSenderError };
  }
  const checked = validateIpcCall(name, input);
  if (!checked.ok) return checked;
  return forward(checked.name, checked.input);
}
