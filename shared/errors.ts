/**
 * Errors cross every boundary (core → CLI, core → IPC → renderer) as plain values.
 * `code` is stable and machine-readable; `message` tells the user what to do next;
 * `detail` carries provider/endpoint/status for the log and is never shown raw in the UI.
 */
export const errorCodes = [
  'input.invalid',
  'db.newer_schema',
  'db.corrupt',
  'db.open_failed',
  'db.busy',
  'vault.locked',
  'vault.wrong_passphrase',
  'vault.damaged',
  'vault.undecryptable',
  'vault.unavailable',
  'account.not_found',
  'account.exists',
  'auth.invalid_client',
  'auth.revoked',
  'auth.invalid_grant',
  'auth.expired',
  'auth.ip_not_allowed',
  'auth.not_provisioned',
  'auth.access_denied',
  'auth.state_mismatch',
  'auth.cancelled',
  'auth.timeout',
  'auth.redirect_port_busy',
  'auth.needs_login',
  'provider.throttled',
  'provider.unavailable',
  'provider.malformed_response',
  'provider.not_found',
  'provider.validation',
  'provider.unsupported',
  'provider.too_large',
  'network.unreachable',
  'document.hash_mismatch',
  'document.missing',
  'disk.full',
  'export.cancelled',
  'export.failed',
  'export.exists',
  'sync.cancelled',
  'sync.busy',
  'sync.interrupted',
  'committee.server',
  'committee.not_chair',
  'committee.invite',
  'committee.revoked',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorDetail {
  provider?: string;
  endpoint?: string;
  status?: number;
  field?: string;
  [key: string]: unknown;
}

export interface DossierErrorValue {
  code: ErrorCode;
  message: string;
  detail?: ErrorDetail;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
